/// Go's `strconv.Unquote` and `strconv.UnquoteChar` for template string, raw string and
/// character literals.
enum GoUnquote {
    struct SyntaxError: Error {}

    static func unquote(_ quoted: String) throws -> String {
        let scalars = Array(quoted.unicodeScalars)
        guard scalars.count >= 2, let quote = scalars.first, quote == scalars.last else { throw SyntaxError() }
        let body = Array(scalars[1..<(scalars.count - 1)])
        if quote == "`" {
            if body.contains("`") { throw SyntaxError() }
            // Go drops carriage returns from raw strings.
            var out = String.UnicodeScalarView()
            out.append(contentsOf: body.filter { $0 != "\r" })
            return String(out)
        }
        guard quote == "\"" || quote == "'" else { throw SyntaxError() }
        if body.contains("\n") { throw SyntaxError() }
        var out = ""
        var rest = body
        while !rest.isEmpty {
            if quote == "'" && rest[0] == "'" { throw SyntaxError() }
            guard let (value, tail) = unquoteChar(rest, quote: quote) else { throw SyntaxError() }
            if value > 0x10FFFF || (0xD800...0xDFFF).contains(value) {
                out.unicodeScalars.append("\u{FFFD}")
            } else if let s = Unicode.Scalar(value) {
                out.unicodeScalars.append(s)
            }
            rest = tail
            if quote == "'" && !rest.isEmpty { throw SyntaxError() }
        }
        return out
    }

    /// Decodes the first character or escape of `s`; returns the rune and the rest.
    /// `\xNN` in a string yields a byte in Go; templates only use it for ASCII in practice,
    /// and a byte >= 0x80 is returned as that code point.
    static func unquoteChar(_ s: [Unicode.Scalar], quote: Unicode.Scalar) -> (UInt32, [Unicode.Scalar])? {
        guard let c = s.first else { return nil }
        if c == quote && (quote == "'" || quote == "\"") { return nil }
        if c != "\\" { return (c.value, Array(s.dropFirst())) }
        guard s.count >= 2 else { return nil }
        let e = s[1]
        var rest = Array(s.dropFirst(2))
        switch e {
        case "a": return (7, rest)
        case "b": return (8, rest)
        case "f": return (12, rest)
        case "n": return (10, rest)
        case "r": return (13, rest)
        case "t": return (9, rest)
        case "v": return (11, rest)
        case "x", "u", "U":
            let n = e == "x" ? 2 : (e == "u" ? 4 : 8)
            guard rest.count >= n else { return nil }
            var v: UInt32 = 0
            for d in rest.prefix(n) {
                guard let digit = Character(d).hexDigitValue else { return nil }
                v = v << 4 | UInt32(digit)
            }
            rest.removeFirst(n)
            if e != "x" && (v > 0x10FFFF || (0xD800...0xDFFF).contains(v)) { return nil }
            return (v, rest)
        case "0"..."7":
            guard rest.count >= 2 else { return nil }
            var v = e.value - 48
            for d in rest.prefix(2) {
                guard d.value >= 48 && d.value <= 55 else { return nil }
                v = v * 8 + (d.value - 48)
            }
            if v > 255 { return nil }
            rest.removeFirst(2)
            return (v, rest)
        case "\\": return (92, rest)
        case "'", "\"":
            if e != quote { return nil }
            return (e.value, rest)
        default:
            return nil
        }
    }
}
