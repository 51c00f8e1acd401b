import Foundation
import TetherModel

/// Builds meta.k8s.io/v1 Tables, the server-side printing `kubectl get`
/// asks for with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`.
enum TableConvertor {
    /// What each row carries besides its cells (the `includeObject` query parameter).
    enum IncludeObject: String {
        case none = "None", metadata = "Metadata", object = "Object"
    }

    static func table(items: [Value], columns: [TableColumn], include: IncludeObject, listMetadata: OrderedMap,
                      now: Date = Date()) -> Value {
        let rows = items.map { item -> Value in
            var row = OrderedMap()
            row["cells"] = .list(columns.map { $0.cell(item, now) })
            switch include {
            case .none: break
            case .object: row["object"] = item
            case .metadata:
                row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                 "metadata": item["metadata"] ?? .map(OrderedMap())]
            }
            return .map(row)
        }
        return ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": .map(listMetadata),
                "columnDefinitions": .list(columns.map(\.definition)), "rows": .list(rows)]
    }

    /// A custom resource version's columns: Name, then its
    /// `additionalPrinterColumns`, or Age when it declares none
    /// (apiextensions-apiserver pkg/registry/customresource/tableconvertor).
    static func customColumns(crd: Value?, version: String) -> [TableColumn] {
        let entry = crd?[path: ["spec", "versions"]]?.listValue?.first { $0["name"]?.stringValue == version }
        guard let declared = entry?["additionalPrinterColumns"]?.listValue, !declared.isEmpty else { return [.name, .age] }
        return [.name] + declared.map { column in
            let type = column["type"]?.stringValue ?? "string"
            let path = JSONPathLite(column["jsonPath"]?.stringValue ?? "")
            return TableColumn(name: column["name"]?.stringValue ?? "", type: type, format: column["format"]?.stringValue ?? "",
                               description: column["description"]?.stringValue ?? "Custom resource definition column (in JSONPath format): \(column["jsonPath"]?.stringValue ?? "")",
                               priority: column["priority"]?.intValue ?? 0) { object, now in
                guard let first = path.evaluate(object).first else { return .null }
                if type == "date" { return .string(TableColumn.age(first, now: now)) }
                if type == "string" { return .string(first.scalarText ?? (try? JSONEncoding().string(first)) ?? "") }
                return first
            }
        }
    }
}

/// The JSONPath subset printer columns use: `.a.b`, `.a[0]`, `.a[*].b`,
/// `.a[?(@.type=="Ready")].status`, with `\.` escaping a dot in a key.
struct JSONPathLite: Sendable {
    enum Step: Sendable {
        case key(String), index(Int), all, filter(key: String, value: String)
    }

    let steps: [Step]

    init(_ text: String) {
        var steps: [Step] = []
        var chars = Array(text.trimmingCharacters(in: CharacterSet(charactersIn: "{}")))[...]
        var key = ""
        func flush() { if !key.isEmpty { steps.append(.key(key)); key = "" } }
        while let c = chars.popFirst() {
            switch c {
            case "\\": if let next = chars.popFirst() { key.append(next) }
            case ".": flush()
            case "[":
                flush()
                var inner = ""
                while let d = chars.popFirst(), d != "]" { inner.append(d) }
                if inner == "*" {
                    steps.append(.all)
                } else if let n = Int(inner) {
                    steps.append(.index(n))
                } else if inner.hasPrefix("?(@."), inner.hasSuffix(")"), let eq = inner.range(of: "==") {
                    let k = String(inner[inner.index(inner.startIndex, offsetBy: 4)..<eq.lowerBound])
                    let v = inner[eq.upperBound..<inner.index(before: inner.endIndex)].trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
                    steps.append(.filter(key: k, value: v))
                } else {
                    steps.append(.key(inner.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))))
                }
            default: key.append(c)
            }
        }
        flush()
        self.steps = steps
    }

    func evaluate(_ value: Value) -> [Value] {
        var current = [value]
        for step in steps {
            current = current.flatMap { v -> [Value] in
                switch step {
                case .key(let k): return v[k].map { [$0] } ?? []
                case .index(let n):
                    guard let list = v.listValue else { return [] }
                    let i = n < 0 ? list.count + n : n
                    return list.indices.contains(i) ? [list[i]] : []
                case .all: return v.listValue ?? v.mapValue?.values ?? []
                case .filter(let k, let want):
                    return (v.listValue ?? []).filter { $0[k]?.scalarText == want }
                }
            }
        }
        return current
    }
}
