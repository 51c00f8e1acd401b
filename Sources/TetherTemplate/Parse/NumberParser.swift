/// Go's `parse.newNumber`: what a number, character or complex constant means (int, uint,
/// float and complex readings at once), with Go's `strconv` syntax (base prefixes `0x`,
/// `0o`, `0b`, leading-zero octal, `_` separators, hex floats with a `p` exponent).
enum NumberParser {
    struct Failure: Error {
        var message: String
    }

    static func parse(pos: Int, text: String, kind: Item.Kind) throws -> NumberNode {
        var n = NumberNode(pos: pos, text: text)
        if kind == .charConstant {
            let scalars = Array(text.unicodeScalars)
            guard let (rune, tail) = GoUnquote.unquoteChar(Array(scalars[1...]), quote: "'") else {
                throw Failure(message: "invalid syntax")
            }
            if tail.count != 1 || tail[0] != "'" { throw Failure(message: "malformed character constant: \(text)") }
            n.int64 = Int64(rune)
            n.isInt = true
            n.uint64 = UInt64(rune)
            n.isUint = true
            n.float64 = Double(rune)
            n.isFloat = true
            return n
        }
        if kind == .complex {
            guard let c = parseComplex(text) else { throw Failure(message: "illegal number syntax: \(goQuote(text))") }
            n.isComplex = true
            n.complex = c
            simplifyComplex(&n)
            return n
        }
        if text.hasSuffix("i"), let f = parseFloat(String(text.dropLast())) {
            n.isComplex = true
            n.complex = (0, f)
            simplifyComplex(&n)
            return n
        }
        let u = parseUint(text)
        if let u {
            n.isUint = true
            n.uint64 = u
        }
        if let i = parseInt(text) {
            n.isInt = true
            n.int64 = i
            if i == 0 {
                n.isUint = true
                n.uint64 = u ?? 0
            }
        }
        if n.isInt {
            n.isFloat = true
            n.float64 = Double(n.int64)
        } else if n.isUint {
            n.isFloat = true
            n.float64 = Double(n.uint64)
        } else if let f = parseFloat(text) {
            if !text.contains(where: { ".eEpP".contains($0) }) {
                throw Failure(message: "integer overflow: \(goQuote(text))")
            }
            n.isFloat = true
            n.float64 = f
            if f.isFinite, f == f.rounded(), abs(f) < 9.2e18 {
                n.isInt = true
                n.int64 = Int64(f)
            }
            if f.isFinite, f == f.rounded(), f >= 0, f < 1.8e19 {
                n.isUint = true
                n.uint64 = UInt64(f)
            }
        }
        if !n.isInt && !n.isUint && !n.isFloat { throw Failure(message: "illegal number syntax: \(goQuote(text))") }
        return n
    }

    private static func simplifyComplex(_ n: inout NumberNode) {
        n.isFloat = n.complex.1 == 0
        if n.isFloat {
            n.float64 = n.complex.0
            let f = n.float64
            n.isInt = f.isFinite && f == f.rounded() && abs(f) < 9.2e18
            if n.isInt { n.int64 = Int64(f) }
            n.isUint = f.isFinite && f == f.rounded() && f >= 0 && f < 1.8e19
            if n.isUint { n.uint64 = UInt64(f) }
        }
    }

    /// `a+bi` / `a-bi` (fmt.Sscan of a complex128).
    private static func parseComplex(_ text: String) -> (Double, Double)? {
        let bytes = Array(text.utf8)
        guard bytes.last == UInt8(ascii: "i") else { return nil }
        // The imaginary part starts at the last sign that is not right after an exponent mark.
        var split = -1
        var i = bytes.count - 2
        while i > 0 {
            let c = bytes[i]
            if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                let prev = bytes[i - 1]
                if prev != UInt8(ascii: "e") && prev != UInt8(ascii: "E") && prev != UInt8(ascii: "p") && prev != UInt8(ascii: "P") {
                    split = i
                    break
                }
            }
            i -= 1
        }
        guard split > 0 else { return nil }
        let realText = String(decoding: bytes[..<split], as: UTF8.self)
        let imagText = String(decoding: bytes[split..<(bytes.count - 1)], as: UTF8.self)
        guard let r = parseFloat(realText), let im = parseFloat(imagText) else { return nil }
        return (r, im)
    }

    /// Splits sign, base and digits for base-0 integer syntax; nil when malformed.
    private static func integerParts(_ text: String) -> (negative: Bool, digits: String, radix: Int)? {
        var s = Substring(text)
        var negative = false
        if s.first == "+" || s.first == "-" {
            negative = s.first == "-"
            s = s.dropFirst()
        }
        var radix = 10
        var prefixed = false
        if s.count >= 2 && s.first == "0" {
            let second = s[s.index(after: s.startIndex)]
            switch second {
            case "x", "X": radix = 16; s = s.dropFirst(2); prefixed = true
            case "o", "O": radix = 8; s = s.dropFirst(2); prefixed = true
            case "b", "B": radix = 2; s = s.dropFirst(2); prefixed = true
            default: radix = 8; s = s.dropFirst(1); prefixed = true
            }
        }
        guard underscoresOK(Substring(text).drop(while: { $0 == "+" || $0 == "-" })) else { return nil }
        let digits = s.filter { $0 != "_" }
        if digits.isEmpty { return prefixed && radix == 8 ? (negative, "0", 8) : nil }
        return (negative, String(digits), radix)
    }

    /// Go's `underscoreOK`: `_` only between digits or after a base prefix.
    private static func underscoresOK(_ s: Substring) -> Bool {
        var chars = Array(s)
        var saw: Character = "^"
        var i = 0
        var hex = false
        if chars.count >= 2 && chars[0] == "0" && "xXbBoO".contains(chars[1]) {
            hex = chars[1] == "x" || chars[1] == "X"
            i = 2
            saw = "0"
        }
        chars = Array(chars)
        while i < chars.count {
            let c = chars[i]
            if c.isASCII && (c.isNumber || (hex && c.isHexDigit)) {
                saw = "0"
            } else if c == "_" {
                if saw != "0" { return false }
                saw = "_"
            } else {
                if saw == "_" { return false }
                saw = "!"
            }
            i += 1
        }
        return saw != "_"
    }

    static func parseUint(_ text: String) -> UInt64? {
        guard let (negative, digits, radix) = integerParts(text), !negative, !text.hasPrefix("+") else { return nil }
        return UInt64(digits, radix: radix)
    }

    static func parseInt(_ text: String) -> Int64? {
        guard let (negative, digits, radix) = integerParts(text), let magnitude = UInt64(digits, radix: radix) else {
            return nil
        }
        if negative {
            if magnitude > UInt64(Int64.max) + 1 { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        return magnitude > UInt64(Int64.max) ? nil : Int64(magnitude)
    }

    /// Go's `strconv.ParseFloat(s, 64)` for the syntax the lexer lets through.
    static func parseFloat(_ text: String) -> Double? {
        guard !text.isEmpty else { return nil }
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let lower = body.lowercased()
        if lower.hasPrefix("0x") {
            guard lower.contains("p") || !lower.contains(".") else { return nil }
        }
        if text.contains("_") {
            guard underscoresOK(body) else { return nil }
        }
        let cleaned = text.filter { $0 != "_" }
        // Go rejects a leading-zero octal look-alike only for integers; "089.5" is a float.
        guard cleaned.allSatisfy({ $0.isASCII && ($0.isHexDigit || "+-.xXpPeE".contains($0)) }) else { return nil }
        if lower.hasPrefix("0x") && !lower.contains("p") {
            // Hex integer without exponent: an integer reading handles it.
            return nil
        }
        guard let d = Double(cleaned), d.isFinite else { return nil }  // Go: out of range is an error
        return d
    }
}
