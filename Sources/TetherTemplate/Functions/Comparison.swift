/// Go's `eq`, `lt` and `le` with its basic-kind rules: values compare only within one kind
/// (bool, int, uint, float, complex, string), except that signed and unsigned integers compare
/// with each other; `int` vs `float64` is "incompatible types for comparison".
enum Comparison {
    enum Kind { case invalid, bool, complex, int, float, string, uint }

    static func basicKind(_ v: TemplateValue?) -> Kind {
        switch v {
        case .bool?: return .bool
        case .int?: return .int
        case .uint?: return .uint
        case .float?: return .float
        case .complex?: return .complex
        case .string?: return .string
        default: return .invalid
        }
    }

    static func eq(_ a: Val, _ rest: [Val]) throws -> Bool {
        let arg1 = Builtins.concrete(a)
        if rest.isEmpty { throw Builtins.Failure("missing argument for comparison") }
        let k1 = basicKind(arg1)
        for b in rest {
            let arg = Builtins.concrete(b)
            let k2 = basicKind(arg)
            var truth = false
            if k1 != k2 {
                switch (arg1, arg) {
                case (.int(let i, _)?, .uint(let u, _)?): truth = i >= 0 && UInt64(i) == u
                case (.uint(let u, _)?, .int(let i, _)?): truth = i >= 0 && u == UInt64(i)
                default:
                    if let arg1, let arg { throw incompatible(arg1, arg) }
                }
            } else {
                switch (arg1, arg) {
                case (.bool(let x)?, .bool(let y)?): truth = x == y
                case (.complex(let r1, let i1)?, .complex(let r2, let i2)?): truth = r1 == r2 && i1 == i2
                case (.float(let x, _)?, .float(let y, _)?): truth = x == y
                case (.int(let x, _)?, .int(let y, _)?): truth = x == y
                case (.string(let x)?, .string(let y)?): truth = x == y
                case (.uint(let x, _)?, .uint(let y, _)?): truth = x == y
                default:
                    truth = try compareOther(arg1, arg)
                }
            }
            if truth { return true }
        }
        return false
    }

    /// Non-basic kinds: nil compares with anything nil-able; maps, slices and functions are
    /// not comparable; objects ask `isEqual`.
    private static func compareOther(_ a: TemplateValue?, _ b: TemplateValue?) throws -> Bool {
        let aNil = a == nil || isNilValue(a!)
        let bNil = b == nil || isNilValue(b!)
        if let a, let b, a.kindName != b.kindName {
            throw Builtins.Failure(
                "non-comparable types \(GoFormat.sprintf("%s", [a])): \(a.typeName), \(b.typeName): \(GoFormat.string(b))")
        }
        if aNil || bNil { return aNil == bNil }
        guard let a, let b else { return false }
        if case .object(let x) = a, case .object(let y) = b, x.typeName == y.typeName, let equal = x.isEqual(to: y) {
            return equal
        }
        if case .object(let x) = a, case .object(let y) = b, x.typeName != y.typeName {
            return false
        }
        throw Builtins.Failure("non-comparable type \(GoFormat.sprintf("%s", [b])): \(b.typeName)")
    }

    private static func isNilValue(_ v: TemplateValue) -> Bool {
        if case .object(let o) = v { return o.isNil }
        return false
    }

    static func lt(_ a: Val, _ b: Val) throws -> Bool {
        let arg1 = Builtins.concrete(a)
        let k1 = basicKind(arg1)
        if k1 == .invalid { throw Builtins.Failure("invalid type for comparison") }
        let arg2 = Builtins.concrete(b)
        let k2 = basicKind(arg2)
        if k2 == .invalid { throw Builtins.Failure("invalid type for comparison") }
        if k1 != k2 {
            switch (arg1, arg2) {
            case (.int(let i, _)?, .uint(let u, _)?): return i < 0 || UInt64(i) < u
            case (.uint(let u, _)?, .int(let i, _)?): return i >= 0 && u < UInt64(i)
            default: throw incompatible(arg1!, arg2!)
            }
        }
        switch (arg1, arg2) {
        case (.float(let x, _)?, .float(let y, _)?): return x < y
        case (.int(let x, _)?, .int(let y, _)?): return x < y
        case (.string(let x)?, .string(let y)?): return x.utf8.lexicographicallyPrecedes(y.utf8)
        case (.uint(let x, _)?, .uint(let y, _)?): return x < y
        default: throw Builtins.Failure("invalid type for comparison")
        }
    }

    /// Go 1.24+: "incompatible types for comparison: float64 and int".
    private static func incompatible(_ a: TemplateValue, _ b: TemplateValue) -> Builtins.Failure {
        Builtins.Failure("incompatible types for comparison: \(a.typeName) and \(b.typeName)")
    }

    static func le(_ a: Val, _ b: Val) throws -> Bool {
        if try lt(a, b) { return true }
        return try eq(a, [b])
    }
}
