/// Resolves plain YAML scalars to values with the rules of go-yaml v3, the
/// YAML library inside `kubectl kustomize`, followed by kustomize's JSON round
/// trip (timestamps become RFC 3339 strings; integral floats become integers).
///
/// YAML 1.2 core schema with go-yaml's extensions: `0755` is still octal,
/// underscores inside numbers are dropped, `yes`/`on`/`y` are strings.
package enum ScalarResolver {
    /// What a plain scalar resolves to.
    package enum Resolved: Equatable {
        case null
        case bool(Bool)
        case number(Value)
        /// A go-yaml timestamp, already in RFC 3339 form.
        case timestamp(String)
        case string
        /// `.inf`, `.nan` and friends: valid YAML, not representable in JSON.
        case nonFinite
    }

    /// Resolves the text of a plain (unquoted, untagged) scalar.
    package static func resolve(_ text: String) -> Resolved {
        let utf8 = text.utf8
        guard let first = utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
            UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "o"),
            UInt8(ascii: "O"):
            guard utf8.count <= 5 else { return .string }
            switch text {
            case "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default: return .string
            }
        case UInt8(ascii: "."):
            switch text {
            case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF": return .nonFinite
            default:
                if let d = parseDecimalFloat(utf8, allowUnderscores: true) { return .number(GoFloat.normalized(d)) }
                return .string
            }
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            switch text {
            case "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF": return .nonFinite
            default: break
            }
            if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"), let ts = Timestamp.parse(text) {
                return .timestamp(ts)
            }
            var plain = [UInt8]()
            plain.reserveCapacity(utf8.count)
            for b in utf8 where b != UInt8(ascii: "_") { plain.append(b) }
            if let v = parseInteger(plain) { return .number(v) }
            if matchesYAMLStyleFloat(plain), let d = parseDecimalFloat(plain[...], allowUnderscores: false) {
                return .number(GoFloat.normalized(d))
            }
            return .string
        case UInt8(ascii: "<"):
            return .string  // "<<" is handled by the decoder as a merge key
        default:
            return .string
        }
    }

    /// Whether a string written plain would read back as something other than
    /// that string; go-yaml then double-quotes it. Also true for YAML 1.1
    /// booleans and base-60 numbers, which go-yaml quotes for old parsers.
    package static func needsQuoting(_ s: String) -> Bool {
        if resolve(s) != .string { return true }
        if s == "<<" { return false }
        return isOldBool(s) || isBase60Float(s)
    }

    /// The YAML 1.1 reading of `y`/`yes`/`on` and `n`/`no`/`off` (go-yaml v2's
    /// spellings), or `nil` for anything else.
    static func yaml11Boolean(_ s: String) -> Bool? {
        guard s.utf8.count <= 3 else { return nil }
        switch s {
        case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "n", "N", "no", "No", "NO", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    static func isOldBool(_ s: String) -> Bool {
        guard s.utf8.count <= 3 else { return false }
        switch s {
        case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON",
            "n", "N", "no", "No", "NO", "off", "Off", "OFF":
            return true
        default:
            return false
        }
    }

    /// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
    static func isBase60Float(_ s: String) -> Bool {
        guard let first = s.utf8.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || isDigit(first),
            s.utf8.contains(UInt8(ascii: ":"))
        else { return false }
        let b = Array(s.utf8)
        var i = 0
        if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
        guard i < b.count, isDigit(b[i]) else { return false }
        i += 1
        while i < b.count && (isDigit(b[i]) || b[i] == UInt8(ascii: "_")) { i += 1 }
        var groups = 0
        while i < b.count && b[i] == UInt8(ascii: ":") {
            i += 1
            // [0-5]?[0-9]
            if i + 1 < b.count && b[i] >= UInt8(ascii: "0") && b[i] <= UInt8(ascii: "5") && isDigit(b[i + 1]) {
                i += 2
            } else if i < b.count && isDigit(b[i]) {
                i += 1
            } else {
                return false
            }
            groups += 1
        }
        guard groups > 0 else { return false }
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count && (isDigit(b[i]) || b[i] == UInt8(ascii: "_")) { i += 1 }
        }
        return i == b.count
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    /// Go's `strconv.ParseInt(s, 0, 64)` then `ParseUint(s, 0, 64)`: optional
    /// sign, `0x`/`0o`/`0b` prefixes, and a leading `0` meaning octal.
    static func parseInteger(_ b: [UInt8]) -> Value? {
        var i = 0
        var negative = false
        if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < b.count else { return nil }
        var base: UInt64 = 10
        if b[i] == UInt8(ascii: "0") && i + 1 < b.count {
            switch b[i + 1] {
            case UInt8(ascii: "x"), UInt8(ascii: "X"): base = 16; i += 2
            case UInt8(ascii: "o"), UInt8(ascii: "O"): base = 8; i += 2
            case UInt8(ascii: "b"), UInt8(ascii: "B"): base = 2; i += 2
            default: base = 8; i += 1
            }
            guard i < b.count else { return nil }
        }
        var magnitude: UInt64 = 0
        while i < b.count {
            let c = b[i]
            let digit: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard digit < base else { return nil }
            let (m1, o1) = magnitude.multipliedReportingOverflow(by: base)
            let (m2, o2) = m1.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            magnitude = m2
            i += 1
        }
        if negative {
            if magnitude <= UInt64(Int64.max) { return .int(-Int(magnitude)) }
            if magnitude == UInt64(Int64.max) + 1 { return .int(Int.min) }
            return nil
        }
        if magnitude <= UInt64(Int64.max) { return .int(Int(magnitude)) }
        // ParseUint rejects a sign, so "+9223372036854775808" stays a string.
        if b.first == UInt8(ascii: "+") { return nil }
        return .uint(UInt(magnitude))
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    static func matchesYAMLStyleFloat(_ b: [UInt8]) -> Bool {
        var i = 0
        if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count && isDigit(b[i]) { i += 1 }
            guard i > start else { return false }
        } else {
            let start = i
            while i < b.count && isDigit(b[i]) { i += 1 }
            guard i > start else { return false }
            if i < b.count && b[i] == UInt8(ascii: ".") {
                i += 1
                while i < b.count && isDigit(b[i]) { i += 1 }
            }
        }
        if i < b.count && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            i += 1
            if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
            let start = i
            while i < b.count && isDigit(b[i]) { i += 1 }
            guard i > start else { return false }
        }
        return i == b.count
    }

    /// A decimal float in Go's syntax (digits, one dot, optional exponent;
    /// underscores only between digits when allowed). Returns `nil` for
    /// anything else, including hex floats, which go-yaml never reaches here.
    static func parseDecimalFloat<C: Collection>(_ b: C, allowUnderscores: Bool) -> Double? where C.Element == UInt8 {
        var text = [UInt8]()
        text.reserveCapacity(b.count)
        var previous: UInt8 = 0
        var sawDigit = false
        for c in b {
            if c == UInt8(ascii: "_") {
                guard allowUnderscores, isDigit(previous) else { return nil }
                previous = c
                continue
            }
            if previous == UInt8(ascii: "_") && !isDigit(c) { return nil }
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"): break
            default: return nil
            }
            text.append(c)
            previous = c
        }
        guard sawDigit, previous != UInt8(ascii: "_"), matchesYAMLStyleFloat(text) else { return nil }
        return Double(String(decoding: text, as: UTF8.self))
    }
}
