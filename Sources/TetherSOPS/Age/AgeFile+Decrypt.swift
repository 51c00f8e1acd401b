internal import Crypto
internal import _CryptoExtras
import Foundation

extension AgeFile {
    /// The outcome of trying identities on a header, before the payload is touched.
    enum Unwrap {
        /// A stanza opened and the header MAC verified under the file key it gave.
        case opened(fileKey: [UInt8])
        /// No identity matches any stanza; carries the stanza types seen.
        case noMatch(stanzaTypes: [String])
    }

    static let x25519Label = Array("age-encryption.org/v1/X25519".utf8)
    static let scryptLabel = Array("age-encryption.org/v1/scrypt".utf8)
    /// Largest scrypt work factor accepted (age's own default limit): 2^22 costs about a second.
    static let maxScryptLogN = 22
    static let chunkSize = 64 * 1024

    /// Tries every identity on every stanza, then checks the header MAC.
    /// - Throws: `SOPSError` (`.authenticationFailed`) when a stanza opens but the header MAC
    ///   does not verify; (`.invalidFormat`) for malformed X25519 or scrypt stanzas.
    func unwrap(with identities: [AgeIdentity]) throws(SOPSError) -> Unwrap {
        if stanzas.contains(where: { $0.type == "scrypt" }) && stanzas.count != 1 {
            throw Self.malformed("a scrypt stanza must be the only stanza of its file")
        }
        for stanza in stanzas {
            for identity in identities {
                guard let fileKey = try open(stanza, with: identity) else { continue }
                try verifyMAC(fileKey: fileKey)
                return .opened(fileKey: fileKey)
            }
        }
        return .noMatch(stanzaTypes: stanzas.map(\.type))
    }

    /// The 16-byte file key if `identity` opens `stanza`, else `nil`.
    private func open(_ stanza: AgeStanza, with identity: AgeIdentity) throws(SOPSError) -> [UInt8]? {
        switch (stanza.type, identity.kind) {
        case ("X25519", .x25519(let scalar)):
            guard stanza.arguments.count == 1, let share = Self.rawBase64(Array(stanza.arguments[0].utf8)[...]),
                share.count == 32, stanza.body.count == 32
            else { throw Self.malformed("an X25519 stanza does not have one 32-byte share and a 32-byte body") }
            guard let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: scalar),
                let peer = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: share),
                let shared = try? key.sharedSecretFromKeyAgreement(with: peer),
                !shared.withUnsafeBytes({ $0.allSatisfy { $0 == 0 } })
            else { return nil }
            let salt = share + Array(key.publicKey.rawRepresentation)
            let wrapKey = shared.hkdfDerivedSymmetricKey(
                using: SHA256.self, salt: salt, sharedInfo: Self.x25519Label, outputByteCount: 32)
            return Self.openFileKey(stanza.body, with: wrapKey)
        case ("scrypt", .passphrase(let passphrase)):
            guard stanza.arguments.count == 2, let salt = Self.rawBase64(Array(stanza.arguments[0].utf8)[...]),
                salt.count == 16, let logN = Int(stanza.arguments[1]), String(logN) == stanza.arguments[1],
                logN > 0, stanza.body.count == 32
            else { throw Self.malformed("a scrypt stanza does not have a 16-byte salt, a work factor and a 32-byte body") }
            guard logN <= Self.maxScryptLogN else {
                throw SOPSError(.unsupported, "the scrypt work factor 2^\(logN) is above the limit 2^\(Self.maxScryptLogN). Re-encrypt with a lower work factor.")
            }
            guard let key = try? KDF.Scrypt.deriveKey(
                from: passphrase, salt: Self.scryptLabel + salt, outputByteCount: 32,
                rounds: 1 << logN, blockSize: 8, parallelism: 1, maxMemory: 1 << 31)
            else { return nil }
            return Self.openFileKey(stanza.body, with: key)
        default:
            return nil
        }
    }

    private static func openFileKey(_ body: [UInt8], with key: SymmetricKey) -> [UInt8]? {
        guard let nonce = try? ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12)),
            let box = try? ChaChaPoly.SealedBox(nonce: nonce, ciphertext: body.prefix(16), tag: body.suffix(16)),
            let fileKey = try? ChaChaPoly.open(box, using: key), fileKey.count == 16
        else { return nil }
        return Array(fileKey)
    }

    private func verifyMAC(fileKey: [UInt8]) throws(SOPSError) {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: fileKey), salt: [UInt8](), info: Array("header".utf8), outputByteCount: 32)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: macInput, using: key) else {
            throw SOPSError(.authenticationFailed, "the age header MAC does not verify: the header was altered")
        }
    }

    /// Decrypts the STREAM payload with the file key.
    /// - Throws: `SOPSError` (`.authenticationFailed`) when a chunk fails to authenticate or the
    ///   payload is truncated; (`.invalidFormat`) when it is too short to hold a nonce.
    func decryptPayload(fileKey: [UInt8]) throws(SOPSError) -> [UInt8] {
        guard payload.count >= 16 + 16 else { throw Self.malformed("the payload is shorter than its nonce and one chunk") }
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: fileKey), salt: payload[0..<16], info: Array("payload".utf8), outputByteCount: 32)
        var out: [UInt8] = []
        var offset = 16
        var counter: UInt64 = 0
        let sealedChunk = Self.chunkSize + 16
        while true {
            let remaining = payload.count - offset
            let last = remaining <= sealedChunk
            let length = last ? remaining : sealedChunk
            guard length >= 16, !(last && length == 16 && counter > 0) else {
                throw SOPSError(.authenticationFailed, "the age payload is truncated or has an empty final chunk")
            }
            var nonceBytes = [UInt8](repeating: 0, count: 12)
            for i in 0..<8 { nonceBytes[3 + i] = UInt8((counter >> UInt64(8 * (7 - i))) & 0xFF) }
            nonceBytes[11] = last ? 1 : 0
            let chunk = payload[offset..<(offset + length)]
            guard let nonce = try? ChaChaPoly.Nonce(data: nonceBytes),
                let box = try? ChaChaPoly.SealedBox(nonce: nonce, ciphertext: chunk.dropLast(16), tag: chunk.suffix(16)),
                let plain = try? ChaChaPoly.open(box, using: key)
            else { throw SOPSError(.authenticationFailed, "the age payload chunk \(counter) does not authenticate") }
            out += plain
            if last { return out }
            offset += length
            counter += 1
        }
    }
}

/// age v1 decryption for SOPS data keys and for standalone age files.
package enum Age {
    /// Decrypts an age file (armored or binary) with the first identity that opens it.
    /// - Parameters:
    ///   - bytes: the age file.
    ///   - identities: X25519 and passphrase identities to try.
    /// - Returns: the plaintext.
    /// - Throws: `SOPSError`: `.noMatchingKey` when no identity opens a stanza (plugin stanzas
    ///   are named), `.authenticationFailed` for a bad header MAC or payload, `.invalidFormat`.
    package static func decrypt(_ bytes: [UInt8], identities: [AgeIdentity]) throws(SOPSError) -> [UInt8] {
        let file = try AgeFile(bytes: bytes)
        switch try file.unwrap(with: identities) {
        case .opened(let fileKey):
            return try file.decryptPayload(fileKey: fileKey)
        case .noMatch(let types):
            let plugins = types.filter { $0 != "X25519" && $0 != "scrypt" }
            var message = "no age identity opens this file (its stanzas: \(types.joined(separator: ", ")))."
            if !plugins.isEmpty {
                message += " Stanzas of type \(plugins.joined(separator: ", ")) belong to age plugins, which Tether does not run."
            }
            throw SOPSError(.noMatchingKey, message)
        }
    }
}
