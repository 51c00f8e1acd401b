/// A Go type, as far as templates can tell types apart: the element type of a slice or map,
/// the type of a function parameter, the type `%T` prints.
package indirect enum TemplateType: Sendable, Hashable {
    /// `interface {}`: accepts every value, including nil.
    case any
    case bool
    case string
    case int(TemplateValue.IntKind)
    case uint(TemplateValue.UIntKind)
    case float(TemplateValue.FloatKind)
    case complex128
    /// `[]T`.
    case slice(TemplateType)
    /// `map[string]T`.
    case map(TemplateType)
    /// A host type, by its Go name (`*chart.Metadata`, `*semver.Version`, `time.Time`).
    case named(String)

    /// `int`.
    package static let int = TemplateType.int(.int)
    /// `int64`.
    package static let int64 = TemplateType.int(.int64)
    /// `float64`.
    package static let float64 = TemplateType.float(.float64)

    /// The name Go prints for the type: `interface {}`, `[]string`, `map[string]interface {}`.
    package var name: String {
        switch self {
        case .any: return "interface {}"
        case .bool: return "bool"
        case .string: return "string"
        case .int(let kind): return kind.rawValue
        case .uint(let kind): return kind.rawValue
        case .float(let kind): return kind.rawValue
        case .complex128: return "complex128"
        case .slice(let element): return "[]" + element.name
        case .map(let value): return "map[string]" + value.name
        case .named(let name): return name
        }
    }

    /// Whether Go's untyped nil can be assigned to a value of this type (interfaces, slices,
    /// maps and pointers can; numbers, strings and bools cannot).
    package var canBeNil: Bool {
        switch self {
        case .any, .slice, .map: return true
        case .named(let name): return name.hasPrefix("*")
        default: return false
        }
    }
}
