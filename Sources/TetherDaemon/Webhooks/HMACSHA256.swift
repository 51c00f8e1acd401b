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
}
