/// A value as a Go template sees it: the dynamic image of the Go `interface{}` values that
/// Helm hands to `text/template` (values decoded from YAML/JSON, results of Sprig functions,
/// and host objects such as `.Capabilities`).
///
/// Go keeps the exact type of every value and the engine needs it: `typeOf`/`%T` print it,
/// `eq` refuses to compare an `int` with a `float64`, a function taking `int` refuses a
/// `float64`. So integers carry their kind, lists their element type and maps their value type.
///
/// ```swift
/// let values: TemplateValue = .map(["name": .string("web"), "replicas": .float(3)])
/// values.typeName                 // "map[string]interface {}"
/// TemplateValue.list([.string("a")], .string).typeName   // "[]string"
/// ```
package enum TemplateValue: Sendable {
    /// Go's untyped `nil` (an `interface{}` holding nothing). Printed as `<nil>` by `print`,
    /// and as `<no value>` when it is the result of a pipeline, as Go does.
    case null
    /// A Go `bool`.
    case bool(Bool)
    /// A signed integer of the given Go kind (`int` unless said otherwise).
    case int(Int64, IntKind = .int)
    /// An unsigned integer of the given Go kind.
    case uint(UInt64, UIntKind = .uint)
    /// A floating-point number; Helm's values are always `float64`.
    case float(Double, FloatKind = .float64)
    /// A Go `complex128` (only template constants such as `1i` produce one).
    case complex(real: Double, imaginary: Double)
    /// A Go `string`.
    case string(String)
    /// A Go slice; `elementType` is `.any` for `[]interface {}`, `.string` for `[]string`, ...
    case list([TemplateValue], TemplateType = .any)
    /// A Go map with string keys, a reference as in Go (see ``TemplateMap``); iteration and
    /// printing are in sorted key order, as Go's `range` and `fmt` do. `valueType` is `.any`
    /// for `map[string]interface {}`. `.map([...])` makes a new map.
    case map(TemplateMap, TemplateType = .any)
    /// A host object with fields and methods (`.Release`, `.Files`, a semver version...).
    case object(any TemplateObject)

    /// Go's signed integer kinds.
    package enum IntKind: String, Sendable, Hashable, CaseIterable {
        case int, int8, int16, int32, int64
    }

    /// Go's unsigned integer kinds.
    package enum UIntKind: String, Sendable, Hashable, CaseIterable {
        case uint, uint8, uint16, uint32, uint64, uintptr
    }

    /// Go's floating-point kinds.
    package enum FloatKind: String, Sendable, Hashable, CaseIterable {
        case float64, float32
    }
}

extension TemplateValue {
    /// The Go type of the value as `%T` (and Sprig's `typeOf`) prints it: `int`, `float64`,
    /// `[]interface {}`, `map[string]interface {}`, `<nil>` for nil, the object's `typeName`.
    package var typeName: String {
        type?.name ?? "<nil>"
    }

    /// The Go type of the value, or `nil` for Go's untyped nil.
    package var type: TemplateType? {
        switch self {
        case .null: return nil
        case .bool: return .bool
        case .int(_, let kind): return .int(kind)
        case .uint(_, let kind): return .uint(kind)
        case .float(_, let kind): return .float(kind)
        case .complex: return .complex128
        case .string: return .string
        case .list(_, let element): return .slice(element)
        case .map(_, let valueType): return .map(valueType)
        case .object(let object): return .named(object.typeName)
        }
    }

    /// Go's truth as `if`, `with`, `and`, `or` and `not` use it: false, 0, a nil pointer or
    /// interface, and any empty array, slice, map or string are false; everything else is true.
    package var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i, _): return i != 0
        case .uint(let u, _): return u != 0
        case .float(let f, _): return f != 0
        case .complex(let r, let i): return r != 0 || i != 0
        case .string(let s): return !s.isEmpty
        case .list(let items, _): return !items.isEmpty
        case .map(let entries, _): return !entries.isEmpty
        case .object(let object):
            if let underlying = object.underlying { return underlying.isTruthy }
            return !object.isNil
        }
    }

    /// The keys of a map in the order Go iterates and prints them (byte-wise sorted).
    /// - Parameter entries: the map.
    /// - Returns: its keys, sorted as Go's `fmtsort` sorts strings.
    package static func sortedKeys(_ entries: [String: TemplateValue]) -> [String] {
        entries.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The string, or `nil` when this is not a string.
    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The elements, or `nil` when this is not a list (or an object over a list).
    package var listValue: [TemplateValue]? {
        switch self {
        case .list(let items, _): return items
        case .object(let object): return object.underlying?.listValue
        default: return nil
        }
    }

    /// The entries now (a snapshot), or `nil` when this is not a map (or an object over a
    /// map). Use ``mapReference`` to change the map.
    package var mapValue: [String: TemplateValue]? {
        switch self {
        case .map(let map, _): return map.entries
        case .object(let object): return object.underlying?.mapValue
        default: return nil
        }
    }

    /// Whether this is Go's untyped nil.
    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension TemplateValue {
    /// Go's `reflect.Kind` name of the value, as Sprig's `kindOf`/`kindIs` use it: `int`,
    /// `float64`, `string`, `bool`, `slice`, `map`, `ptr`, `struct`, `func`, `invalid` for nil.
    package var kindName: String {
        switch self {
        case .null: return "invalid"
        case .bool: return "bool"
        case .int(_, let kind): return kind.rawValue
        case .uint(_, let kind): return kind.rawValue
        case .float(_, let kind): return kind.rawValue
        case .complex: return "complex128"
        case .string: return "string"
        case .list: return "slice"
        case .map: return "map"
        case .object(let object):
            if let underlying = object.underlying { return underlying.kindName }
            if object is TemplateFunction { return "func" }
            return object.typeName.hasPrefix("*") ? "ptr" : "struct"
        }
    }
}
