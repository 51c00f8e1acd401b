import COpenSSL

/// HMAC-SHA256 and constant-time comparison over OpenSSL, for webhook signatures.
package enum HMACSHA256 {
    /// The digest length in bytes.
    package static let digestLength = 32

    /// The HMAC-SHA256 of `message` under `key`.
    /// - Parameters:
    ///   - key: the shared secret.
    ///   - message: the signed bytes (the raw request body, for GitHub).
    /// - Returns: the 32-byte digest.
    package static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: digestLength)
        var length: UInt32 = 0
        // OpenSSL reads a NULL data pointer with length 0 as the empty message; an
        // empty array's base address may be nil, so pass a one-byte buffer instead.
        let keyBytes = key.isEmpty ? [0] : key
        let messageBytes = message.isEmpty ? [0] : message
        keyBytes.withUnsafeBufferPointer { keyBuffer in
            messageBytes.withUnsafeBufferPointer { messageBuffer in
                digest.withUnsafeMutableBufferPointer { out in
                    _ = HMAC(EVP_sha256(), keyBuffer.baseAddress, Int32(key.count),
                             messageBuffer.baseAddress, message.count, out.baseAddress, &length)
                }
            }
        }
        return digest
    }

    /// The SHA-256 of `bytes`.
    package static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: digestLength)
        let input = bytes.isEmpty ? [0] : bytes
        input.withUnsafeBufferPointer { buffer in
            _ = digest.withUnsafeMutableBufferPointer { SHA256(buffer.baseAddress, bytes.count, $0.baseAddress) }
        }
        return digest
    }

    /// Compares two byte strings in time that depends only on their lengths, so a caller
    /// probing signatures learns nothing from how long a rejection takes.
    /// - Returns: `true` when both have the same length and the same bytes.
    package static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 }
        }
    }

    /// Lower-case hex of `bytes`.
    package static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex (either case); `nil` when `text` is not an even run of hex digits.
    package static func bytes(hex text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
