/// Go's `strconv.Quote`: a double-quoted Go string literal, with `\a\b\f\n\r\t\v\\\"`, `\xNN`
/// for invalid UTF-8 bytes, `\uNNNN`/`\UNNNNNNNN` for non-printable runes.
/// - Parameter text: the string.
/// - Returns: the literal.
package func goQuote(_ text: String) -> String {
    GoStrconv.quote(text, quote: "\"", asciiOnly: false)
}

enum GoStrconv {
    static func quote(_ text: String, quote: Character, asciiOnly: Bool) -> String {
        var out = String(quote)
        for scalar in text.unicodeScalars {
            out += escape(scalar, quote: quote, asciiOnly: asciiOnly)
        }
        out.append(quote)
        return out
    }

    static func escape(_ scalar: Unicode.Scalar, quote: Character, asciiOnly: Bool) -> String {
        let v = scalar.value
        if Character(scalar) == quote || scalar == "\\" { return "\\" + String(scalar) }
        if asciiOnly ? (v < 0x80 && isPrint(scalar)) : isPrint(scalar) { return String(scalar) }
        switch v {
        case 0x07: return "\\a"
        case 0x08: return "\\b"
        case 0x0C: return "\\f"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x0B: return "\\v"
        default:
            if v < 0x20 || v == 0x7F { return "\\x" + hex(v, width: 2) }
            if v < 0x10000 { return "\\u" + hex(v, width: 4) }
            return "\\U" + hex(v, width: 8)
        }
    }

    static func hex(_ v: UInt32, width: Int) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Go's `strconv.IsPrint` approximated by Unicode general categories: letters, marks,
    /// numbers, punctuation, symbols and U+0020.
    static func isPrint(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}
