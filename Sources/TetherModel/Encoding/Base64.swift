/// Standard base64 (RFC 4648) as Kubernetes uses it for Secret `data` and
/// YAML for `!!binary`.
package enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Which alphabet and padding `encode` writes.
    package enum Variant: Sendable {
        /// RFC 4648 section 4: `+` and `/`, padded with `=`.
        case standard
        /// RFC 4648 section 5: `-` and `_`, without padding (ApplySet ids).
        case urlUnpadded
    }

    /// Encodes bytes, with padding unless `variant` says otherwise.
    package static func encode<C: Collection>(_ bytes: C, variant: Variant = .standard) -> String where C.Element == UInt8 {
        let digits = variant == .standard ? alphabet : urlAlphabet
        let pad: UInt8? = variant == .standard ? UInt8(ascii: "=") : nil
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var it = bytes.makeIterator()
        while let b0 = it.next() {
            let b1 = it.next(), b2 = it.next()
            out.append(digits[Int(b0 >> 2)])
            out.append(digits[Int((b0 & 0x03) << 4 | (b1 ?? 0) >> 4)])
            if b1 != nil {
                out.append(digits[Int(((b1 ?? 0) & 0x0F) << 2 | (b2 ?? 0) >> 6)])
            } else if let pad {
                out.append(pad)
            }
            if b2 != nil {
                out.append(digits[Int((b2 ?? 0) & 0x3F)])
            } else if let pad {
                out.append(pad)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes base64, ignoring whitespace and line breaks; `nil` when the
    /// text is not valid base64.
    package static func decode(_ text: String) -> [UInt8]? {
        var out = [UInt8]()
        var buffer: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text.utf8 {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - 97 + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - 48 + 52)
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "="):
                padding += 1
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                continue
            default:
                return nil
            }
            if padding > 0 { return nil }
            buffer = buffer << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        if padding > 2 || bits >= 6 { return nil }
        return out
    }
}
