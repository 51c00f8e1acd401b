import Foundation
import TetherModel

/// A parsed `labelSelector` query: a conjunction of requirements with the
/// operators `labels.Parse` accepts (`=`, `==`, `!=`, `in`, `notin`, exists,
/// `!` not-exists, `>`, `<`).
package struct LabelSelector: Sendable, Hashable {
    package enum Requirement: Sendable, Hashable {
        case equals(String, String)
        case notEquals(String, String)
        case `in`(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
        case greaterThan(String, Int)
        case lessThan(String, Int)
    }

    package var requirements: [Requirement]

    /// The selector that matches everything.
    package static let everything = LabelSelector(requirements: [])

    package init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// Parses selector text.
    ///
    /// - Throws: `EmulatorError` with code `.badRequest` when the text is not
    ///   a valid selector.
    package init(parsing text: String) throws(EmulatorError) {
        var requirements: [Requirement] = []
        for term in Self.splitTerms(text) {
            let trimmed = term.trimmed
            if trimmed.isEmpty { continue }
            requirements.append(try Self.requirement(trimmed))
        }
        self.requirements = requirements
    }

    /// Whether labels satisfy every requirement.
    package func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let k, let v): labels[k] == v
            case .notEquals(let k, let v): labels[k] != v
            case .in(let k, let values): labels[k].map(values.contains) ?? false
            case .notIn(let k, let values): !(labels[k].map(values.contains) ?? false)
            case .exists(let k): labels[k] != nil
            case .doesNotExist(let k): labels[k] == nil
            case .greaterThan(let k, let n): labels[k].flatMap { Int($0) }.map { $0 > n } ?? false
            case .lessThan(let k, let n): labels[k].flatMap { Int($0) }.map { $0 < n } ?? false
            }
        }
    }

    /// Splits at commas outside parentheses.
    private static func splitTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var depth = 0
        for ch in text {
            switch ch {
            case "(": depth += 1; current.append(ch)
            case ")": depth -= 1; current.append(ch)
            case "," where depth == 0: terms.append(current); current = ""
            default: current.append(ch)
            }
        }
        terms.append(current)
        return terms
    }

    private static func requirement(_ term: String) throws(EmulatorError) -> Requirement {
        func bad() -> EmulatorError {
            .badRequest("unable to parse requirement: found '\(term)', expected: valid label selector")
        }
        if term.hasPrefix("!") {
            let key = String(term.dropFirst()).trimmed
            guard isValidKey(key) else { throw bad() }
            return .doesNotExist(key)
        }
        // Set-based: "key in (a,b)" / "key notin (a,b)".
        let words = term.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        if words.count == 2 {
            let rest = words[1].trimmed
            for (op, negate) in [("notin", true), ("in", false)] where rest.hasPrefix(op) {
                let list = rest.dropFirst(op.count).trimmed
                guard list.hasPrefix("("), list.hasSuffix(")") else { continue }
                let values = Set(list.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
                    .map { String($0).trimmed })
                let key = String(words[0])
                guard isValidKey(key) else { throw bad() }
                return negate ? .notIn(key, values) : .in(key, values)
            }
        }
        for op in ["==", "!=", "=", ">", "<"] {
            guard let range = term.range(of: op) else { continue }
            let key = String(term[..<range.lowerBound]).trimmed
            let value = String(term[range.upperBound...]).trimmed
            guard isValidKey(key) else { throw bad() }
            switch op {
            case "!=": return .notEquals(key, value)
            case ">", "<":
                guard let n = Int(value) else { throw bad() }
                return op == ">" ? .greaterThan(key, n) : .lessThan(key, n)
            default: return .equals(key, value)
            }
        }
        guard isValidKey(term) else { throw bad() }
        return .exists(term)
    }

    private static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
    }
}

/// A parsed `fieldSelector`: `metadata.name` and `metadata.namespace` with
/// `=`, `==` and `!=`, the fields every resource supports, and the fields the API server
/// indexes for Events (`involvedObject.*`, `reason`, `type`, `source`, …), which
/// `kubectl describe` selects by.
package struct FieldSelector: Sendable, Hashable {
    package struct Requirement: Sendable, Hashable {
        package var field: String
        package var value: String
        package var negated: Bool
    }

    package var requirements: [Requirement]

    /// - Throws: `EmulatorError` with code `.badRequest` for other fields or operators.
    package init(parsing text: String) throws(EmulatorError) {
        var requirements: [Requirement] = []
        for term in text.split(separator: ",") {
            let term = String(term).trimmed
            var negated = false
            let parts: (String, String)
            if let r = term.range(of: "!=") {
                negated = true
                parts = (String(term[..<r.lowerBound]), String(term[r.upperBound...]))
            } else if let r = term.range(of: "==") ?? term.range(of: "=") {
                parts = (String(term[..<r.lowerBound]), String(term[r.upperBound...]))
            } else {
                throw .badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            let field = parts.0.trimmed
            guard field == "metadata.name" || field == "metadata.namespace" || Self.eventFields[field] != nil else {
                throw .badRequest("field label not supported: \(field)")
            }
            requirements.append(Requirement(field: field, value: parts.1.trimmed, negated: negated))
        }
        self.requirements = requirements
    }

    package init() { requirements = [] }

    /// The Event fields the API server selects by, and where each is in the object.
    static let eventFields: [String: [String]] = [
        "involvedObject.kind": ["involvedObject", "kind"], "involvedObject.namespace": ["involvedObject", "namespace"],
        "involvedObject.name": ["involvedObject", "name"], "involvedObject.uid": ["involvedObject", "uid"],
        "involvedObject.apiVersion": ["involvedObject", "apiVersion"],
        "involvedObject.resourceVersion": ["involvedObject", "resourceVersion"],
        "involvedObject.fieldPath": ["involvedObject", "fieldPath"], "reason": ["reason"], "type": ["type"],
        "source": ["source", "component"], "reportingComponent": ["reportingComponent"],
    ]

    /// Whether `object` is selected (every field, Event fields included).
    package func matches(_ object: Value) -> Bool {
        requirements.allSatisfy { r in
            let path = Self.eventFields[r.field] ?? r.field.split(separator: ".").map(String.init)
            let actual = object[path: path]?.scalarText ?? ""
            return (actual == r.value) != r.negated
        }
    }

    /// Whether an object with this name and namespace is selected.
    package func matches(name: String, namespace: String) -> Bool {
        requirements.allSatisfy { r in
            let actual = r.field == "metadata.name" ? name : namespace
            return (actual == r.value) != r.negated
        }
    }
}

extension StringProtocol {
    var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
