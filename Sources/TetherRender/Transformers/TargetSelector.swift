import TetherModel

/// A compiled patch `target`: anchored regular expressions for group,
/// version, kind, name and namespace, plus label and annotation selectors.
struct TargetSelector {
    private var fields: [(KeyPath<Probe, String>, Regex<AnyRegexOutput>)] = []
    private var labelRequirements: [Requirement] = []
    private var annotationRequirements: [Requirement] = []

    /// What a selector looks at.
    struct Probe {
        var group, version, kind, name, namespace: String
    }

    init(_ target: Kustomization.Selector, file: String) throws {
        let parts: [(KeyPath<Probe, String>, String?, String)] = [
            (\.group, target.group, "group"), (\.version, target.version, "version"), (\.kind, target.kind, "kind"),
            (\.name, target.name, "name"), (\.namespace, target.namespace, "namespace"),
        ]
        for (path, pattern, field) in parts {
            guard let pattern, !pattern.isEmpty else { continue }
            do {
                fields.append((path, try Regex("^(?:" + pattern + ")$")))
            } catch {
                throw RenderError(.invalidPatch, "target \(field) '\(pattern)' is not a valid regular expression. Fix it.", file: file)
            }
        }
        labelRequirements = try Requirement.parse(target.labelSelector ?? "", file: file)
        annotationRequirements = try Requirement.parse(target.annotationSelector ?? "", file: file)
    }

    func matches(_ object: RenderedObject) -> Bool {
        let gvk = object.resource.gvk
        let ids = [object.id] + object.history
        for (path, regex) in fields {
            let ok: Bool
            if path == \Probe.name || path == \Probe.namespace {
                ok = ids.contains { id in
                    let probe = Probe(group: gvk.group, version: gvk.version, kind: gvk.kind, name: id.name, namespace: id.namespace)
                    return (try? regex.wholeMatch(in: probe[keyPath: path])) != nil
                }
            } else {
                let probe = Probe(group: gvk.group, version: gvk.version, kind: gvk.kind, name: "", namespace: "")
                ok = (try? regex.wholeMatch(in: probe[keyPath: path])) != nil
            }
            if !ok { return false }
        }
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
