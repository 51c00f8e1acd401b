import TetherTemplate

/// Sprig's conversions (`strval`, `toInt64`, `toFloat64`, `strslice`) and reflect.DeepEqual.
extension Sprig {
    /// Sprig's `strval`: strings as they are, `[]byte` as text, anything else as `%v` prints it.
    static func strval(_ v: TemplateValue) -> String {
        switch v {
        case .string(let s): return s
        case .list(let items, .uint(.uint8)): return String(decoding: bytes(items), as: UTF8.self)
        default: return GoFormat.string(v)
        }
    }

    static func bytes(_ items: [TemplateValue]) -> [UInt8] {
        items.map { if case .uint(let u, _) = $0 { UInt8(truncatingIfNeeded: u) } else { 0 } }
    }

    static func byteList(_ bytes: [UInt8]) -> TemplateValue {
        .list(bytes.map { .uint(UInt64($0), .uint8) }, .uint(.uint8))
    }

    /// Go's `int64(f)` on amd64: out-of-range and NaN give the minimum value instead of trapping.
    static func goInt64(_ d: Double) -> Int64 {
        guard d.isFinite, d > -9.3e18, d < 9.3e18 else { return Int64.min }
        guard d >= -9223372036854775808.0, d < 9223372036854775808.0 else { return Int64.min }
        return Int64(d)
    }

    /// Sprig's `toInt64`: strings parsed base 10 (0 when not a number), bools 1/0, floats truncated.
    static func toInt64(_ v: TemplateValue) -> Int64 {
        switch v {
        case .string(let s): return Int64(s) ?? 0
        case .int(let i, _): return i
        case .uint(let u, _): return u <= UInt64(Int64.max) ? Int64(u) : Int64.max
        case .float(let f, _): return goInt64(f)
        case .bool(let b): return b ? 1 : 0
        default: return 0
        }
    }

    /// Go's `int` is 64 bits here, so `toInt` is `toInt64`.
    static func toInt(_ v: TemplateValue) -> Int { Int(toInt64(v)) }

    /// Sprig's `toFloat64`: strings through `strconv.ParseFloat` (0 on failure), bools 1/0.
    static func toFloat64(_ v: TemplateValue) -> Double {
        switch v {
        case .string(let s): return parseFloat(s) ?? 0
        case .int(let i, _): return Double(i)
        case .uint(let u, _): return Double(u)
        case .float(let f, _): return f
        case .bool(let b): return b ? 1 : 0
        default: return 0
        }
    }

    /// `strconv.ParseFloat(s, 64)` for the spellings templates use (no hex floats, no `_`).
    static func parseFloat(_ s: String) -> Double? {
        let lower = s.lowercased()
        switch lower {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        guard !s.isEmpty, s.utf8.allSatisfy({ "+-0123456789.eE".utf8.contains($0) }) else { return nil }
        return Double(s)
    }

    /// Sprig's `strslice`: a slice's non-nil elements as strings, a non-slice as one string.
    static func strslice(_ v: TemplateValue) -> [String] {
        if let items = v.listValue {
            return items.filter { !$0.isNull }.map(strval)
        }
        if v.isNull { return [] }
        return [strval(v)]
    }

    static func stringList(_ items: [String]) -> TemplateValue {
        .list(items.map { .string($0) }, .string)
    }

    /// Go's `reflect.DeepEqual`: same types and equal contents.
    static func deepEqual(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x, let k), .int(let y, let l)): return x == y && k == l
        case (.uint(let x, let k), .uint(let y, let l)): return x == y && k == l
        case (.float(let x, let k), .float(let y, let l)): return x == y && k == l
        case (.complex(let r, let i), .complex(let s, let j)): return r == s && i == j
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x, let t), .list(let y, let u)):
            return t == u && x.count == y.count && zip(x, y).allSatisfy { deepEqual($0, $1) }
        case (.map(let x, let t), .map(let y, let u)):
            return t == u && x.count == y.count && x.allSatisfy { key, value in y[key].map { deepEqual(value, $0) } ?? false }
        case (.object(let x), .object(let y)):
            return x.typeName == y.typeName && (x.isEqual(to: y) ?? (x.formatted == y.formatted))
        default: return false
        }
    }

    /// The Go kind name Sprig's messages print (`reflect.TypeOf(x).Kind()`).
    static func kind(_ v: TemplateValue) -> String {
        v.isNull ? "invalid" : v.kindName
    }

    /// The items of a slice or array argument, or Sprig's error for anything else.
    static func items(_ v: TemplateValue, _ message: (String) -> String) throws -> [TemplateValue] {
        guard let items = v.listValue else { throw SprigError(message(kind(v))) }
        return items
    }

    /// Sprig's `empty`: zero values, empty collections and nil are empty; structs never are.
    static func isEmpty(_ v: TemplateValue) -> Bool {
        !v.isTruthy
    }

    /// Makes a function over one string that returns a string.
    static func stringFunction(_ body: @escaping @Sendable (String) -> String) -> TemplateFunction {
        TemplateFunction([.string]) { args, _ in .string(body(args[0].stringValue ?? "")) }
    }

    static func str(_ args: [TemplateValue], _ i: Int) -> String { args[i].stringValue ?? "" }
    static func int(_ args: [TemplateValue], _ i: Int) -> Int {
        if case .int(let v, _) = args[i] { return Int(v) }
        return toInt(args[i])
    }
}
