import Foundation
import TetherTemplate

/// A `fail` or `required` failure: Helm prints it as `execution error at (FILE:LINE:COL): MESSAGE`.
struct HelmTemplateFailure: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Helm's own template functions (`pkg/engine/funcs.go` and `engine.go`), which win over
/// Sprig's of the same name.
enum HelmFunctions {
    /// How many times one named template may be `include`d inside itself (Helm: 1000).
    static let includeRecursionLimit = 1000

    /// Every Helm function, `lookup` answering from `lookup` (offline: an empty map).
    static func table(lookup: @escaping @Sendable (_ apiVersion: String, _ kind: String, _ namespace: String, _ name: String) throws -> TemplateValue) -> [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        f["toYaml"] = TemplateFunction([.any]) { a, _ in .string(HelmYAML.toYAML(a[0])) }
        f["mustToYaml"] = TemplateFunction([.any]) { a, _ in .string(try HelmYAML.encode(a[0])) }
        f["toYamlPretty"] = TemplateFunction([.any]) { a, _ in .string(HelmYAML.toYAML(a[0])) }
        f["fromYaml"] = TemplateFunction([.string]) { a, _ in HelmYAML.fromYAML(a[0].stringValue ?? "") }
        f["fromYamlArray"] = TemplateFunction([.string]) { a, _ in HelmYAML.fromYAMLArray(a[0].stringValue ?? "") }
        f["fromJson"] = TemplateFunction([.string]) { a, _ in HelmYAML.fromJSON(a[0].stringValue ?? "") }
        f["fromJsonArray"] = TemplateFunction([.string]) { a, _ in HelmYAML.fromJSONArray(a[0].stringValue ?? "") }
        f["toToml"] = TemplateFunction([.any]) { a, _ in .string(HelmYAML.toTOML(a[0])) }
        f["required"] = TemplateFunction([.string, .any]) { a, _ in
            switch a[1] {
            case .null: throw HelmTemplateFailure(message: a[0].stringValue ?? "")
            case .string(let s) where s.isEmpty: throw HelmTemplateFailure(message: a[0].stringValue ?? "")
            default: return a[1]
            }
        }
        f["fail"] = TemplateFunction([.string]) { a, _ in throw HelmTemplateFailure(message: a[0].stringValue ?? "") }
        f["lookup"] = TemplateFunction([.string, .string, .string, .string]) { a, _ in
            try lookup(a[0].stringValue ?? "", a[1].stringValue ?? "", a[2].stringValue ?? "", a[3].stringValue ?? "")
        }
        f["include"] = TemplateFunction([.string, .any]) { a, context in
            let name = a[0].stringValue ?? ""
            let key = "include:" + name
            let count = context.counters[key] ?? 0
            if count > includeRecursionLimit {
                throw HelmTemplateFailure(message: "rendering template has a nested reference name: \(name): unable to execute template")
            }
            context.counters[key] = count + 1
            defer { context.counters[key] = count }
            return .string(try context.execute(name, data: a[1]))
        }
        f["tpl"] = TemplateFunction([.string, .any]) { a, context in
            let text = a[0].stringValue ?? ""
            var copy = context.templates
            let name = copy.name
            do {
                try copy.parse(text, name: name, replacing: true)
                let out = try context.execute(name, data: a[1], in: copy)
                return .string(out.replacingOccurrences(of: "<no value>", with: ""))
            } catch {
                throw TplFailure(text: text, cause: error)
            }
        }
        return f
    }
}

/// A failure inside `tpl`, worded as Helm wraps it.
struct TplFailure: Error, Sendable, CustomStringConvertible {
    var text: String
    var cause: any Error
    var description: String { "error during tpl function execution for \(goQuote(text)): \(cause)" }
}

private func goQuote(_ s: String) -> String {
    GoFormat.sprintf("%q", [.string(s)])
}
