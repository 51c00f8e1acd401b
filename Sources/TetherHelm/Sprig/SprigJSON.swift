import TetherModel
import TetherTemplate

/// Go's `encoding/json` for template values, as Sprig's `toJson`, `toPrettyJson`,
/// `toRawJson` and `mustFromJson` use it: map keys sorted, numbers decoded as float64.
enum SprigJSON {
    /// `json.Marshal` (`escapeHTML`: `<`, `>`, `&` as `\u003c`...), or `MarshalIndent(v, "", "  ")`.
    static func encode(_ v: TemplateValue, escapeHTML: Bool, indent: Bool) -> String {
        var out = ""
        write(v, into: &out, escapeHTML: escapeHTML, indent: indent ? "\n" : nil)
        return out
    }

    private static func write(_ v: TemplateValue, into out: inout String, escapeHTML: Bool, indent: String?) {
        let inner = indent.map { $0 + "  " }
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i, _): out += String(i)
        case .uint(let u, _): out += String(u)
        case .float(let d, _): out += GoFloat.jsonText(d)
        case .complex: out += "null"
        case .string(let s): quote(s, into: &out, escapeHTML: escapeHTML)
        case .list(let items, .uint(.uint8)): out += "\"" + Base64.encode(Sprig.bytes(items)) + "\""
        case .list(let items, _):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if let inner { out += inner }
                write(item, into: &out, escapeHTML: escapeHTML, indent: inner)
            }
            if let indent { out += indent }
            out += "]"
        case .map(let entries, _):
            if entries.isEmpty { out += "{}"; return }
            out += "{"
            for (i, key) in entries.sortedKeys.enumerated() {
                if i > 0 { out += "," }
                if let inner { out += inner }
                quote(key, into: &out, escapeHTML: escapeHTML)
                out += indent == nil ? ":" : ": "
                write(entries[key]!, into: &out, escapeHTML: escapeHTML, indent: inner)
            }
            if let indent { out += indent }
            out += "}"
        case .object(let o):
            if let u = o.underlying { write(u, into: &out, escapeHTML: escapeHTML, indent: indent) } else if o.isNil { out += "null" } else {
                quote(o.formatted, into: &out, escapeHTML: escapeHTML)
            }
        }
    }

    private static func quote(_ s: String, into out: inout String, escapeHTML: Bool) {
        out += "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where escapeHTML, ">" where escapeHTML, "&" where escapeHTML: out += hex(c.value)
            case "\u{2028}", "\u{2029}": out += hex(c.value)
            default:
                if c.value < 0x20 { out += hex(c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        out += "\""
    }

    private static func hex(_ v: UInt32) -> String {
        let h = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - h.count) + h
    }

    /// `json.Unmarshal` into `interface{}`.
    /// - Throws: `SprigError` with the parser's message when the text is not JSON.
    static func decode(_ text: String) throws -> TemplateValue {
        do {
            return HelmValues.templateValue(try JSONParsing().value(from: text))
        } catch {
            throw SprigError("\(error)")
        }
    }
}
