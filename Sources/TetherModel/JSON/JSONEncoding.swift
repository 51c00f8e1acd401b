/// Writes `Value`s as JSON the way Go's `encoding/json` does (so output
/// compares cleanly with what kubectl and the API server send): keys in the
/// map's order, floats in Go's spelling, `<`, `>` and `&` left as is.
package struct JSONEncoding: Sendable {
    /// Indent nested values with two spaces and put each entry on its own
    /// line, as `kubectl get -o json` does.
    package var pretty: Bool
    /// Sort map keys bytewise (Go's order for `map[string]any`).
    package var sortedKeys: Bool

    package init(pretty: Bool = false, sortedKeys: Bool = false) {
        self.pretty = pretty
        self.sortedKeys = sortedKeys
    }

    /// The JSON text of `value`.
    /// - Throws: `ModelError` (`.unsupportedValue`) for infinity or NaN.
    package func string(_ value: Value) throws(ModelError) -> String {
        String(decoding: try bytes(value), as: UTF8.self)
    }

    /// The JSON bytes of `value`.
    /// - Throws: `ModelError` (`.unsupportedValue`) for infinity or NaN.
    package func bytes(_ value: Value) throws(ModelError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try write(value, into: &out, indent: 0, depth: 0)
        return out
    }

    private func write(_ value: Value, into out: inout [UInt8], indent: Int, depth: Int) throws(ModelError) {
        guard depth < 1000 else { throw ModelError(.limitExceeded, "value nests deeper than 1000 levels") }
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .uint(let u): out.append(contentsOf: String(u).utf8)
        case .float(let d):
            guard d.isFinite else {
                throw ModelError(.unsupportedValue, "\(d) cannot be represented in JSON")
            }
            out.append(contentsOf: GoFloat.jsonText(d).utf8)
        case .string(let s): Self.writeString(s, into: &out)
        case .list(let items):
            if items.isEmpty {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent + 1)
                try write(item, into: &out, indent: indent + 1, depth: depth + 1)
            }
            newline(&out, indent)
            out.append(UInt8(ascii: "]"))
        case .map(let map):
            if map.isEmpty {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            let entries = sortedKeys ? map.entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } : map.entries
            for (i, entry) in entries.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, indent + 1)
                Self.writeString(entry.key, into: &out)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(UInt8(ascii: " ")) }
                try write(entry.value, into: &out, indent: indent + 1, depth: depth + 1)
            }
            newline(&out, indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    private func newline(_ out: inout [UInt8], _ indent: Int) {
        guard pretty else { return }
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<indent { out.append(contentsOf: [0x20, 0x20]) }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// Writes a JSON string literal with the escapes Go uses.
    static func writeString(_ s: String, into out: inout [UInt8]) {
        // Most strings (names, keys, values) need no escape: copy their UTF-8 in one go
        // rather than byte by byte, which was the encoder's main cost.
        var text = s
        let copied = text.withUTF8 { bytes -> Bool in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }) else { return false }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: bytes)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if copied { return }
        out.append(UInt8(ascii: "\""))
        var needsScalarPass = false
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            case 0xE2:
                needsScalarPass = true
                out.append(b)
            default: out.append(b)
            }
        }
        if needsScalarPass {
            // U+2028 and U+2029 are escaped by Go (they end lines in JavaScript).
            var fixed: [UInt8] = []
            fixed.reserveCapacity(out.count)
            var i = out.startIndex
            while i < out.endIndex {
                if out[i] == 0xE2, i + 2 < out.endIndex, out[i + 1] == 0x80, out[i + 2] == 0xA8 || out[i + 2] == 0xA9 {
                    fixed.append(contentsOf: "\\u202".utf8)
                    fixed.append(out[i + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                    i += 3
                } else {
                    fixed.append(out[i])
                    i += 1
                }
            }
            out = fixed
        }
        out.append(UInt8(ascii: "\""))
    }
}
