/// A JSON-like value as Kubernetes and kustomize see it: the data model every
/// Tether target shares.
///
/// Maps keep their keys in insertion order, which is what the Kubernetes API
/// and `--output json` users expect; the YAML encoder sorts keys itself, the
/// way `kubectl kustomize` prints them.
package enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    /// An unsigned integer above `Int.max`; smaller ones are always `.int`.
    case uint(UInt)
    case float(Double)
    case string(String)
    case list([Value])
    case map(OrderedMap)
}

extension Value {
    /// The string, or `nil` when this is not a string.
    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The map, or `nil` when this is not a map.
    package var mapValue: OrderedMap? {
        if case .map(let m) = self { return m }
        return nil
    }

    /// The list, or `nil` when this is not a list.
    package var listValue: [Value]? {
        if case .list(let l) = self { return l }
        return nil
    }

    /// The integer, or `nil` when this is not an integer that fits in `Int`.
    package var intValue: Int? {
        if case .int(let i) = self { return i }
        return nil
    }

    /// The Boolean, or `nil` when this is not a Boolean.
    package var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// Whether this is `null`.
    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A short name of the value's type for error messages ("a map", "a string").
    package var typeDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .uint: return "an integer"
        case .float: return "a number"
        case .string: return "a string"
        case .list: return "a list"
        case .map: return "a map"
        }
    }

    /// The scalar as the text a string-only Kubernetes field (a label value,
    /// an annotation) would hold; `nil` for lists and maps.
    package var scalarText: String? {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .float(let d): return GoFloat.yamlText(d)
        case .string(let s): return s
        case .list, .map: return nil
        }
    }

    /// Reads or writes the value of `key` when this is a map.
    ///
    /// Reading from a non-map gives `nil`; writing to a non-map replaces it
    /// with a map holding only that key.
    package subscript(key: String) -> Value? {
        get { mapValue?[key] }
        set {
            var m = mapValue ?? OrderedMap()
            m[key] = newValue
            self = .map(m)
        }
    }

    /// The value at a path of map keys, or `nil` when any step is missing.
    package subscript(path path: [String]) -> Value? {
        var current = self
        for key in path {
            guard let next = current[key] else { return nil }
            current = next
        }
        return current
    }
}

extension Value: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    package init(nilLiteral: ()) { self = .null }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(integerLiteral value: Int) { self = .int(value) }
    package init(floatLiteral value: Double) { self = .float(value) }
    package init(stringLiteral value: String) { self = .string(value) }
    package init(arrayLiteral elements: Value...) { self = .list(elements) }
    package init(dictionaryLiteral elements: (String, Value)...) {
        self = .map(OrderedMap(elements))
    }
}
