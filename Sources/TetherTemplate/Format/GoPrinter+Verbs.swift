import TetherModel

/// Integer, float, complex and string verbs (Go's `fmtInteger`, `fmtFloat`, `fmtString`...).
extension GoPrinter {
    mutating func fmtInteger(_ u: UInt64, signed: Bool, _ verb: Character, _ value: TemplateValue) {
        switch verb {
        case "v":
            if flags.sharpV && !signed {
                integer(u, base: 16, signed: false, verb: "x", upper: false, forcePrefix: true)
            } else {
                integer(u, base: 10, signed: signed, verb: verb, upper: false)
            }
        case "d": integer(u, base: 10, signed: signed, verb: verb, upper: false)
        case "b": integer(u, base: 2, signed: signed, verb: verb, upper: false)
        case "o", "O": integer(u, base: 8, signed: signed, verb: verb, upper: false)
        case "x": integer(u, base: 16, signed: signed, verb: verb, upper: false)
        case "X": integer(u, base: 16, signed: signed, verb: verb, upper: true)
        case "c":
            pad(String(runeCharacter(u, signed: signed)))
        case "q":
            let r = runeCharacter(u, signed: signed)
            pad(GoStrconv.quote(String(r), quote: "'", asciiOnly: flags.plus))
        case "U":
            let v = signed ? UInt64(bitPattern: Int64(bitPattern: u)) : u
            var s = "U+" + String(v, radix: 16, uppercase: true).leftPadded(max(4, flags.precisionPresent ? flags.precision : 0))
            if flags.sharp, v <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(v)), GoStrconv.isPrint(scalar) {
                s += " '\(Character(scalar))'"
            }
            let saved = flags.zero
            flags.zero = false
            pad(s)
            flags.zero = saved
        default:
            badVerb(verb, value)
        }
    }

    private func runeCharacter(_ u: UInt64, signed: Bool) -> Character {
        let v = signed ? Int64(bitPattern: u) : Int64(truncatingIfNeeded: u)
        if v < 0 || v > 0x10FFFF { return "\u{FFFD}" }
        guard let s = Unicode.Scalar(UInt32(v)) else { return "\u{FFFD}" }
        return Character(s)
    }

    mutating func integer(_ u: UInt64, base: Int, signed: Bool, verb: Character, upper: Bool, forcePrefix: Bool = false) {
        let negative = signed && Int64(bitPattern: u) < 0
        let magnitude = negative ? (0 &- u) : u
        var prec = 0
        if flags.precisionPresent {
            prec = flags.precision
            if prec == 0 && magnitude == 0 {
                let saved = flags.zero
                flags.zero = false
                writePadding(flags.width)
                flags.zero = saved
                return
            }
        } else if flags.zero && !flags.minus && flags.widthPresent {
            prec = flags.width
            if negative || flags.plus || flags.space { prec -= 1 }
        }
        var digits = String(magnitude, radix: base, uppercase: upper)
        if digits.count < prec { digits = String(repeating: "0", count: prec - digits.count) + digits }
        var prefix = ""
        if flags.sharp || forcePrefix {
            switch base {
            case 2: prefix = "0b"
            case 8: if !digits.hasPrefix("0") { prefix = "0" }
            case 16: prefix = upper ? "0X" : "0x"
            default: break
            }
        }
        if verb == "O" { prefix = "0o" }
        if negative {
            prefix = "-" + prefix
        } else if flags.plus {
            prefix = "+" + prefix
        } else if flags.space {
            prefix = " " + prefix
        }
        let saved = flags.zero
        flags.zero = false
        pad(prefix + digits)
        flags.zero = saved
    }

    mutating func fmtFloat(_ f: Double, bits: Int, _ verb: Character, _ value: TemplateValue) {
        switch verb {
        case "v": floatNumber(f, bits: bits, "g", -1)
        case "b", "g", "G", "x", "X": floatNumber(f, bits: bits, verb, -1)
        case "f", "e", "E", "F": floatNumber(f, bits: bits, verb, 6)
        default: badVerb(verb, value)
        }
    }

    mutating func floatNumber(_ f: Double, bits: Int, _ verb: Character, _ defaultPrecision: Int) {
        let prec = flags.precisionPresent ? flags.precision : defaultPrecision
        var num = Array(GoFloatFormat.format(f, verb: verb, precision: prec, bitSize: bits))
        if num.first != "-" && num.first != "+" { num.insert("+", at: 0) }
        if flags.space && num[0] == "+" && !flags.plus { num[0] = " " }
        if num.count > 1 && (num[1] == "I" || num[1] == "N") {
            let saved = flags.zero
            flags.zero = false
            if num[1] == "N" && !flags.space && !flags.plus { num.removeFirst() }
            pad(String(num))
            flags.zero = saved
            return
        }
        if flags.sharp && verb != "b" {
            num = sharpFloat(num, verb: verb, prec: prec)
        }
        if flags.plus || num[0] != "+" {
            if flags.zero && !flags.minus && flags.widthPresent && flags.width > num.count {
                output.append(num[0])
                writePadding(flags.width - num.count)
                output += String(num[1...])
                return
            }
            pad(String(num))
            return
        }
        pad(String(num[1...]))
    }

    /// `#` flag: keep a decimal point and, for %g, trailing zeros up to the precision.
    private func sharpFloat(_ num: [Character], verb: Character, prec: Int) -> [Character] {
        var digits = 0
        if verb == "v" || verb == "g" || verb == "G" || verb == "x" {
            digits = prec == -1 ? 6 : prec
        }
        var tail: [Character] = []
        var body = num
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" || $0 == "p" || $0 == "P" }) {
            tail = Array(body[e...])
            body = Array(body[..<e])
        }
        var sawNonzero = false
        var hasDot = false
        for c in body.dropFirst() {
            if c == "." {
                hasDot = true
            } else if c.isNumber {
                if c != "0" { sawNonzero = true }
                if sawNonzero { digits -= 1 }
            }
        }
        if !hasDot {
            if body.count == 2 && body[1] == "0" { digits -= 1 }
            body.append(".")
        }
        while digits > 0 {
            body.append("0")
            digits -= 1
        }
        return body + tail
    }

    mutating func fmtComplex(_ r: Double, _ im: Double, _ verb: Character, _ value: TemplateValue) {
        guard "vbgGxXfFeE".contains(verb) else {
            badVerb(verb, value)
            return
        }
        let saved = flags
        output += "("
        fmtFloat(r, bits: 64, verb, value)
        flags.plus = true
        fmtFloat(im, bits: 64, verb, value)
        output += "i)"
        flags = saved
    }

    mutating func fmtString(_ s: String, _ verb: Character, _ value: TemplateValue? = nil) {
        switch verb {
        case "v":
            if flags.sharpV { pad(GoStrconv.quote(s, quote: "\"", asciiOnly: false)) } else { pad(truncated(s)) }
        case "s":
            pad(truncated(s))
        case "q":
            let t = truncated(s)
            if flags.sharp && canBackquote(t) {
                pad("`" + t + "`")
            } else {
                pad(GoStrconv.quote(t, quote: "\"", asciiOnly: flags.plus))
            }
        case "x", "X":
            fmtHex(Array(s.utf8), upper: verb == "X")
        default:
            badVerb(verb, value ?? .string(s))
        }
    }

    private func truncated(_ s: String) -> String {
        guard flags.precisionPresent else { return s }
        let scalars = s.unicodeScalars
        guard scalars.count > flags.precision else { return s }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars.prefix(flags.precision))
        return String(out)
    }

    private func canBackquote(_ s: String) -> Bool {
        for scalar in s.unicodeScalars {
            if scalar == "`" || scalar == "\u{FEFF}" { return false }
            if scalar.value < 0x20 && scalar != "\t" { return false }
            if scalar.value == 0x7F { return false }
        }
        return true
    }

    private mutating func fmtHex(_ bytes: [UInt8], upper: Bool) {
        var length = bytes.count
        if flags.precisionPresent && flags.precision < length { length = flags.precision }
        let digits = upper ? Array("0123456789ABCDEF") : Array("0123456789abcdef")
        var s = ""
        for (i, b) in bytes.prefix(length).enumerated() {
            if flags.space && i > 0 { s += " " }
            if flags.sharp && (flags.space || i == 0) { s += upper ? "0X" : "0x" }
            s.append(digits[Int(b >> 4)])
            s.append(digits[Int(b & 0xF)])
        }
        pad(s)
    }
}
