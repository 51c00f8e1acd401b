/// Formats `Double`s exactly as Go's `strconv` does in the two places that
/// decide Tether's output bytes: the YAML encoder of `kubectl kustomize`
/// (`FormatFloat(f, 'g', -1, 64)`) and Go's `encoding/json`.
package enum GoFloat {
    /// `strconv.FormatFloat(d, verb, -1, 64)`, with negative zero written as zero: the
    /// JSON and YAML round trips kustomize and SOPS make drop the sign of -0.
    /// With `bitSize` 32 the digits are the shortest that round-trip through a `Float`.
    private static func shortest(_ d: Double, _ verb: Character, bitSize: Int = 64) -> String {
        GoFloatFormat.format(d == 0 ? 0 : d, verb: verb, precision: -1, bitSize: bitSize)
    }

    /// Go's `strconv.FormatFloat(d, 'g', -1, bitSize)`, with YAML's spellings of
    /// infinity and NaN. `bitSize` 32 is what sigs.k8s.io/yaml uses for a float mapping key.
    package static func gFormat(_ d: Double, bitSize: Int = 64) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite || (bitSize == 32 && Float(d).isInfinite) { return d < 0 ? "-.inf" : ".inf" }
        return shortest(d, "g", bitSize: bitSize)
    }

    /// Go's `strconv.FormatFloat(d, 'f', -1, 64)`: the shortest round-trip
    /// digits, never an exponent (`1234568000`, `0.2`, `3.14`). SOPS hashes and
    /// encrypts floats in this form.
    package static func fFormat(_ d: Double) -> String {
        shortest(d, "f")
    }

    /// The text `kubectl kustomize` prints for a float that survived its
    /// YAML → JSON → YAML round trip: integral values below 1e21 that fit a
    /// 64-bit integer print as integers, everything else in `'g'` form.
    package static func yamlText(_ d: Double) -> String {
        if let i = exactInteger(d) { return i }
        return gFormat(d)
    }

    /// Go's `encoding/json` spelling of a float64: `'f'` form, `'e'` form below 1e-6 and
    /// from 1e21 with a one-digit negative exponent (`1e-7`, not `1e-07`).
    package static func jsonText(_ d: Double) -> String {
        let magnitude = abs(d)
        guard magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) else { return shortest(d, "f") }
        var text = shortest(d, "e")
        if let e = text.lastIndex(of: "e"), text[e...].hasPrefix("e-0") { text.remove(at: text.index(e, offsetBy: 2)) }
        return text
    }

    /// The integer text Go's JSON-then-YAML round trip turns `d` into, if
    /// any: Go's JSON writes an integral float below 1e21 as its shortest
    /// digits padded with zeros (2^63 becomes 9223372036854776000), and the
    /// YAML reader takes that back as an integer when it fits Int64 or
    /// UInt64.
    private static func exactInteger(_ d: Double) -> String? {
        integerValue(d).map { v in
            switch v {
            case .int(let i): return String(i)
            case .uint(let u): return String(u)
            default: return ""
            }
        }
    }

    private static func integerValue(_ d: Double) -> Value? {
        guard d.isFinite, d == d.rounded(.towardZero), abs(d) < 1e21 else { return nil }
        if d == 0 { return .int(0) }
        var text = Array(shortest(abs(d), "f").utf8)
        if d < 0 { text.insert(UInt8(ascii: "-"), at: 0) }
        return ScalarResolver.parseInteger(text)
    }

    /// The value a decoded float should be stored as: integral floats become
    /// the integers kustomize's JSON round trip makes of them.
    package static func normalized(_ d: Double) -> Value {
        integerValue(d) ?? .float(d)
    }
}
