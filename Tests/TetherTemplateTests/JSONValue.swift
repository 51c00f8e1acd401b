@testable import TetherTemplate

/// A small JSON reader for the conformance files: numbers become `float64`, arrays
/// `[]interface {}`, objects `map[string]interface {}`, as Helm reads values.
struct JSONReader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let bytes: [UInt8]
    private var i = 0

    static func parse(_ text: String) throws -> TemplateValue {
        var reader = JSONReader(bytes: Array(text.utf8))
        let value = try reader.value()
        return value
    }

    /// The top-level object of one JSON line, by key.
    static func object(_ text: String) throws -> [String: TemplateValue] {
        guard case .map(let entries, _) = try parse(text) else { throw Failure(description: "not an object: \(text.prefix(80))") }
        return entries.entries
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
    }

    private mutating func value() throws -> TemplateValue {
        skipSpace()
        guard i < bytes.count else { throw Failure(description: "unexpected end") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var entries: [String: TemplateValue] = [:]
            skipSpace()
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .map(entries) }
            while true {
                skipSpace()
                let key = try string()
                skipSpace()
                i += 1  // :
                entries[key] = try value()
                skipSpace()
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                i += 1
                return .map(entries)
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [TemplateValue] = []
            skipSpace()
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
            while true {
                items.append(try value())
                skipSpace()
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                i += 1
                return .list(items)
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            i += 4
            return .bool(true)
        case UInt8(ascii: "f"):
            i += 5
            return .bool(false)
        case UInt8(ascii: "n"):
            i += 4
            return .null
        default:
            let start = i
            while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            guard let d = Double(text) else { throw Failure(description: "bad number \(text)") }
            return .float(d)
        }
    }

    private mutating func string() throws -> String {
        i += 1
        var out: [UInt8] = []
        while bytes[i] != UInt8(ascii: "\"") {
            if bytes[i] == UInt8(ascii: "\\") {
                i += 1
                let c = bytes[i]
                switch c {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var code = UInt32(String(decoding: bytes[(i + 1)...(i + 4)], as: UTF8.self), radix: 16) ?? 0xFFFD
                    i += 4
                    if (0xD800...0xDBFF).contains(code), bytes[i + 1] == UInt8(ascii: "\\") {
                        let low = UInt32(String(decoding: bytes[(i + 3)...(i + 6)], as: UTF8.self), radix: 16) ?? 0
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8))
                default: out.append(c)
                }
                i += 1
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        i += 1
        return String(decoding: out, as: UTF8.self)
    }
}
