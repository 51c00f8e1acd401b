import COpenSSL

/// SHA-256 over OpenSSL: the one hashing helper (ApplySet ids, saved-plan Secret
/// digests, webhook token comparison, kustomize's generator name suffixes).
package enum SHA256Digest {
    /// Bytes in a digest.
    package static let length = Int(SHA256_DIGEST_LENGTH)

    /// The SHA-256 of `bytes`.
    package static func of(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: length)
        // A non-empty buffer, so the base address is never nil; the length passed is the real one.
        let input = bytes.isEmpty ? [0] : bytes
        input.withUnsafeBufferPointer { buffer in
            _ = digest.withUnsafeMutableBufferPointer { SHA256(buffer.baseAddress, bytes.count, $0.baseAddress) }
        }
        return digest
    }
}
