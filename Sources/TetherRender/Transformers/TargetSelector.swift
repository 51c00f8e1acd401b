import TetherModel

/// A compiled patch `target`: anchored regular expressions for group,
/// version, kind, name and namespace, plus label and annotation selectors.
struct TargetSelector {
    private var group, version, kind, name, namespace: Pattern?
    private var labelRequirements: [Requirement] = []
    private var annotationRequirements: [Requirement] = []

    /// An anchored regular expression, or a plain string compared directly
    /// when it has no regular-expression syntax (most targets).
    enum Pattern {
        case literal(String)
        case regex(Regex<AnyRegexOutput>)

        init?(_ pattern: String?, field: String, file: String) throws {
            guard let pattern, !pattern.isEmpty else { return nil }
            if pattern.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0.properties.numericType != nil || "-_/:@".unicodeScalars.contains($0) }) {
                self = .literal(pattern)
                return
            }
            do {
                self = .regex(try Regex("^(?:" + pattern + ")$"))
            } catch {
                throw RenderError(.invalidPatch, "target \(field) '\(pattern)' is not a valid regular expression. Fix it.", file: file)
            }
        }

        func matches(_ text: String) -> Bool {
            switch self {
            case .literal(let s): return s == text
            case .regex(let r): return (try? r.wholeMatch(in: text)) != nil
            }
        }
    }

    init(_ target: Kustomization.Selector, file: String) throws {
        group = try Pattern(target.group, field: "group", file: file)
        version = try Pattern(target.version, field: "version", file: file)
        kind = try Pattern(target.kind, field: "kind", file: file)
        name = try Pattern(target.name, field: "name", file: file)
        namespace = try Pattern(target.namespace, field: "namespace", file: file)
        labelRequirements = try Requirement.parse(target.labelSelector ?? "", file: file)
        annotationRequirements = try Requirement.parse(target.annotationSelector ?? "", file: file)
    }

    /// kustomize's `ResMap.Select`: name and namespace match the original
    /// or the current identity (namespaces as kustomize's effective ones),
    /// group, version and kind the current type.
    func matches(_ object: RenderedObject) -> Bool {
        let original = object.originalID, current = object.id
        if let namespace {
            let clusterScoped = ClusterScope.kinds.contains(object.resource.kind)
            func effective(_ ns: String) -> String { clusterScoped ? "_non_namespaceable_" : Namespaces.effective(ns) }
            guard namespace.matches(effective(original.namespace)) || namespace.matches(effective(current.namespace)) else { return false }
        }
        if let name, !name.matches(original.name) && !name.matches(current.name) { return false }
        let gvk = object.resource.gvk
        if let group, !group.matches(gvk.group) { return false }
        if let version, !version.matches(gvk.version) { return false }
        if let kind, !kind.matches(gvk.kind) { return false }
        if labelRequirements.isEmpty && annotationRequirements.isEmpty { return true }
        let labels = Dictionary(object.resource.labels, uniquingKeysWith: { a, _ in a })
        let annotations = Dictionary(object.resource.annotations, uniquingKeysWith: { a, _ in a })
        return labelRequirements.allSatisfy { $0.matches(labels) } && annotationRequirements.allSatisfy { $0.matches(annotations) }
    }

    /// One term of a Kubernetes label selector.
    struct Requirement {
        enum Operator { case equals, notEquals, exists, notExists, isIn, notIn }
        var key: String
        var op: Operator
        var values: [String]

        func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch op {
            case .equals: return value == values.first
            case .notEquals: return value != values.first
            case .exists: return value != nil
            case .notExists: return value == nil
            case .isIn: return value.map(values.contains) ?? false
            case .notIn: return !(value.map(values.contains) ?? false)
            }
        }

        /// Parses `a=b,c!=d,e,!f,g in (x,y),h notin (z)`.
        static func parse(_ text: String, file: String) throws -> [Requirement] {
            var terms: [String] = []
            var depth = 0, current = ""
            for c in text {
                if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
                if c == "," && depth == 0 { terms.append(current); current = "" } else { current.append(c) }
            }
            terms.append(current)
            return try terms.map { $0.trimmingSpaces }.filter { !$0.isEmpty }.map { term in
                if let r = term.firstRange(of: "!=") {
                    return Requirement(key: String(term[..<r.lowerBound]).trimmingSpaces, op: .notEquals, values: [String(term[r.upperBound...]).trimmingSpaces])
                }
                if let r = term.firstRange(of: "==") ?? term.firstRange(of: "=") {
                    return Requirement(key: String(term[..<r.lowerBound]).trimmingSpaces, op: .equals, values: [String(term[r.upperBound...]).trimmingSpaces])
                }
                for (word, op) in [(" notin ", Operator.notIn), (" in ", Operator.isIn)] {
                    if let r = term.firstRange(of: word) {
                        let list = term[r.upperBound...].trimmingSpaces
                        guard list.hasPrefix("("), list.hasSuffix(")") else { break }
                        let values = list.dropFirst().dropLast().split(separator: ",").map { String($0).trimmingSpaces }
                        return Requirement(key: String(term[..<r.lowerBound]).trimmingSpaces, op: op, values: values)
                    }
                }
                if term.hasPrefix("!") { return Requirement(key: String(term.dropFirst()).trimmingSpaces, op: .notExists, values: []) }
                guard !term.contains(" ") else {
                    throw RenderError(.invalidPatch, "selector term '\(term)' is not valid. Use key=value, key!=value, key, !key, key in (a,b).", file: file)
                }
                return Requirement(key: term, op: .exists, values: [])
            }
        }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
