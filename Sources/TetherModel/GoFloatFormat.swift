#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Go's `strconv.FormatFloat` for the `e`, `E`, `f`, `F`, `g`, `G` formats: shortest
/// round-trip digits for precision -1 (Swift's `description` picks the same digits), and
/// C's correctly rounded `printf` digits otherwise, laid out the way Go lays them out.
/// `GoFloat`'s YAML, JSON and SOPS spellings and the template engine's `printf` verbs
/// all format through it.
package enum GoFloatFormat {
    /// Decimal digits `d` and point position: value = 0.d × 10^dp.
    struct Digits {
        var digits: [UInt8]
        var dp: Int
        var negative: Bool
    }

    package static func shortest(_ value: Double, bitSize: Int, format: Character, precision: Int) -> String {
        self.format(value, verb: format, precision: precision, bitSize: bitSize)
    }

    package static func format(_ value: Double, verb: Character, precision: Int, bitSize: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let fmt = verb == "F" ? "f" : verb
        var prec = precision
        var digs: Digits
        if prec < 0 {
            digs = shortestDigits(value, bitSize: bitSize)
            switch fmt {
            case "e", "E": prec = max(digs.digits.count - 1, 0)
            case "f": prec = max(digs.digits.count - digs.dp, 0)
            case "g", "G": prec = digs.digits.count
            default: break
            }
        } else {
            switch fmt {
            case "e", "E": digs = rounded(value, significant: prec + 1)
            case "f": digs = fixedDigits(value, decimals: prec)
            case "g", "G":
                if prec == 0 { prec = 1 }
                digs = rounded(value, significant: prec)
                while digs.digits.count > 1 && digs.digits.last == UInt8(ascii: "0") { digs.digits.removeLast() }
            default:
                digs = shortestDigits(value, bitSize: bitSize)
            }
        }
        switch fmt {
        case "e", "E":
            return fmtE(digs, prec: prec, upper: fmt == "E")
        case "f":
            return fmtF(digs, prec: prec)
        case "g", "G":
            var eprec = prec
            if eprec > digs.digits.count && digs.digits.count >= digs.dp { eprec = digs.digits.count }
            if precision < 0 { eprec = 6 }
            let exp = digs.dp - 1
            if exp < -4 || exp >= eprec {
                var p = prec
                if p > digs.digits.count { p = digs.digits.count }
                return fmtE(digs, prec: p - 1, upper: fmt == "G")
            }
            var p = prec
            if p > digs.dp { p = digs.digits.count }
            return fmtF(digs, prec: max(p - digs.dp, 0))
        default:
            return "%" + String(verb)
        }
    }

    static func shortestDigits(_ value: Double, bitSize: Int) -> Digits {
        let text = bitSize == 32 ? Float(value).description : value.description
        return parse(Array(text.utf8))
    }

    /// Parses "-1.2345e-07", "123.45" or "0.001" into digits and point position.
    static func parse(_ text: [UInt8]) -> Digits {
        var negative = false
        var i = 0
        if i < text.count && text[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var digits: [UInt8] = []
        var dp = 0
        var seenDot = false
        var exponent = 0
        while i < text.count {
            let c = text[i]
            if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                exponent = Int(String(decoding: text[(i + 1)...], as: UTF8.self)) ?? 0
                break
            } else if c == UInt8(ascii: ".") {
                seenDot = true
            } else {
                digits.append(c)
                if !seenDot { dp += 1 }
            }
            i += 1
        }
        var lead = 0
        while lead < digits.count && digits[lead] == UInt8(ascii: "0") { lead += 1 }
        digits.removeFirst(lead)
        dp -= lead
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { return Digits(digits: [], dp: 0, negative: negative) }
        return Digits(digits: digits, dp: dp + exponent, negative: negative)
    }

    private static func cFormat(_ format: String, _ precision: Int, _ value: Double) -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: 512 + max(0, precision) + 330)
        let count = withVaList([Int32(precision), value]) { args in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, args) }
        }
        return buffer.prefix(Int(max(0, count))).map { UInt8(bitPattern: $0) }
    }

    /// `significant` correctly rounded significant digits (trailing zeros kept).
    static func rounded(_ value: Double, significant: Int) -> Digits {
        let text = cFormat("%.*e", max(significant - 1, 0), value)
        var d = parse(text)
        if d.digits.isEmpty { d.dp = 0 }
        while d.digits.count < significant && !d.digits.isEmpty { d.digits.append(UInt8(ascii: "0")) }
        return d
    }

    static func fixedDigits(_ value: Double, decimals: Int) -> Digits {
        parse(cFormat("%.*f", decimals, value))
    }

    static func fmtE(_ d: Digits, prec: Int, upper: Bool) -> String {
        var out = d.negative ? "-" : ""
        out.append(d.digits.isEmpty ? "0" : Character(Unicode.Scalar(d.digits[0])))
        if prec > 0 {
            out += "."
            var i = 1
            let m = min(d.digits.count, prec + 1)
            while i < m {
                out.append(Character(Unicode.Scalar(d.digits[i])))
                i += 1
            }
            while i <= prec {
                out += "0"
                i += 1
            }
        }
        out += upper ? "E" : "e"
        var exp = d.digits.isEmpty ? 0 : d.dp - 1
        if exp < 0 {
            out += "-"
            exp = -exp
        } else {
            out += "+"
        }
        out += exp < 10 ? "0\(exp)" : "\(exp)"
        return out
    }

    static func fmtF(_ d: Digits, prec: Int) -> String {
        var out = d.negative ? "-" : ""
        if d.dp > 0 {
            let m = min(d.digits.count, d.dp)
            for i in 0..<m { out.append(Character(Unicode.Scalar(d.digits[i]))) }
            if m < d.dp { out += String(repeating: "0", count: d.dp - m) }
        } else {
            out += "0"
        }
        if prec > 0 {
            out += "."
            for i in 1...prec {
                let j = d.dp + i - 1
                out.append(j >= 0 && j < d.digits.count ? Character(Unicode.Scalar(d.digits[j])) : "0")
            }
        }
        return out
    }
}
