/// Formats `Double`s exactly as Go's `strconv` does in the two places that
/// decide Tether's output bytes: the YAML encoder of `kubectl kustomize`
/// (`FormatFloat(f, 'g', -1, 64)`) and Go's `encoding/json`.
package enum GoFloat {
    /// Shortest round-trip decimal digits of `d` (no leading or trailing
    /// zeros) and the decimal point position: value = 0.DIGITS × 10^point.
    /// With `bitSize` 32 the digits are the shortest that round-trip through a `Float`.
    private static func shortestDigits(_ d: Double, bitSize: Int = 64) -> (digits: [UInt8], point: Int) {
        // Swift's description is the shortest round-trip representation, the
        // same digit string Go's shortest formatting picks.
        let text = Array((bitSize == 32 ? Float(abs(d)).description : abs(d).description).utf8)
        var digits: [UInt8] = []
        var point = 0
        var seenDot = false
        var exponent = 0
        var i = 0
        while i < text.count {
            let c = text[i]
            if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                exponent = Int(String(decoding: text[(i + 1)...], as: UTF8.self)) ?? 0
                break
            } else if c == UInt8(ascii: ".") {
                seenDot = true
            } else {
                digits.append(c)
                if !seenDot { point += 1 }
            }
            i += 1
        }
        // Strip leading zeros (moving the point) and trailing zeros.
        var lead = 0
        while lead < digits.count - 1 && digits[lead] == UInt8(ascii: "0") { lead += 1 }
        digits.removeFirst(lead)
        point -= lead
        while digits.count > 1 && digits.last == UInt8(ascii: "0") { digits.removeLast() }
        if digits == [UInt8(ascii: "0")] { return (digits, 1) }
        return (digits, point + exponent)
    }

    private static func exponentForm(_ digits: [UInt8], _ point: Int, negative: Bool, minExponentDigits: Int) -> String {
        var out = negative ? "-" : ""
        out.unicodeScalars.append(Unicode.Scalar(digits[0]))
        if digits.count > 1 {
            out += "."
            out += String(decoding: digits[1...], as: UTF8.self)
        }
        let exp = point - 1
        out += exp < 0 ? "e-" : "e+"
        var e = String(abs(exp))
        while e.count < minExponentDigits { e = "0" + e }
        return out + e
    }

    private static func fixedForm(_ digits: [UInt8], _ point: Int, negative: Bool) -> String {
        var out = negative ? "-" : ""
        if point <= 0 {
            out += "0."
            out += String(repeating: "0", count: -point)
            out += String(decoding: digits, as: UTF8.self)
        } else if point >= digits.count {
            out += String(decoding: digits, as: UTF8.self)
            out += String(repeating: "0", count: point - digits.count)
        } else {
            out += String(decoding: digits[..<point], as: UTF8.self)
            out += "."
            out += String(decoding: digits[point...], as: UTF8.self)
        }
        return out
    }

    /// Go's `strconv.FormatFloat(d, 'g', -1, bitSize)`, with YAML's spellings of
    /// infinity and NaN. `bitSize` 32 is what sigs.k8s.io/yaml uses for a float mapping key.
    package static func gFormat(_ d: Double, bitSize: Int = 64) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite || (bitSize == 32 && Float(d).isInfinite) { return d < 0 ? "-.inf" : ".inf" }
        let (digits, point) = shortestDigits(d, bitSize: bitSize)
        let negative = d.sign == .minus && !(digits == [UInt8(ascii: "0")])
        let exp = point - 1
        if exp < -4 || exp >= 6 {
            return exponentForm(digits, point, negative: negative, minExponentDigits: 2)
        }
        return fixedForm(digits, point, negative: negative)
    }

    /// Go's `strconv.FormatFloat(d, 'f', -1, 64)`: the shortest round-trip
    /// digits, never an exponent (`1234568000`, `0.2`, `3.14`). SOPS hashes and
    /// encrypts floats in this form.
    package static func fFormat(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        let (digits, point) = shortestDigits(d)
        let negative = d.sign == .minus && !(digits == [UInt8(ascii: "0")])
        return fixedForm(digits, point, negative: negative)
    }

    /// The text `kubectl kustomize` prints for a float that survived its
    /// YAML → JSON → YAML round trip: integral values below 1e21 that fit a
    /// 64-bit integer print as integers, everything else in `'g'` form.
    package static func yamlText(_ d: Double) -> String {
        if let i = exactInteger(d) { return i }
        return gFormat(d)
    }

    /// Go's `encoding/json` spelling of a float64.
    package static func jsonText(_ d: Double) -> String {
        let magnitude = abs(d)
        let (digits, point) = shortestDigits(d)
        let negative = d.sign == .minus && !(digits == [UInt8(ascii: "0")])
        if magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) {
            return exponentForm(digits, point, negative: negative, minExponentDigits: 1)
        }
        return fixedForm(digits, point, negative: negative)
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
        let (digits, point) = shortestDigits(d)
        var text = Array(fixedForm(digits, point, negative: false).utf8)
        if d < 0 { text.insert(UInt8(ascii: "-"), at: 0) }
        return ScalarResolver.parseInteger(text)
    }

    /// The value a decoded float should be stored as: integral floats become
    /// the integers kustomize's JSON round trip makes of them.
    package static func normalized(_ d: Double) -> Value {
        integerValue(d) ?? .float(d)
    }
}
