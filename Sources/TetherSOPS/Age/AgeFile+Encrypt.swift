internal import Crypto
import TetherModel

/// An age X25519 recipient (`age1…`), the public half of an identity.
package struct AgeRecipient: Sendable, CustomStringConvertible {
    /// The 32-byte Curve25519 public key.
    let publicKey: [UInt8]
    /// The recipient as written (`age1…`, lower case).
    package let text: String

    /// Parses an `age1…` recipient.
    /// - Throws: `SOPSError` (`.invalidKey`) when the text is not a Bech32 `age` key of 32
    ///   bytes, (`.unsupported`) for plugin, post-quantum or SSH recipients.
    package init(_ text: String) throws(SOPSError) {
        let trimmed = text.trimmingCharacters(inSet: [" ", "\t", "\r", "\n"])
        if trimmed.hasPrefix("ssh-") {
            throw SOPSError(.unsupported, "SSH recipients ('\(trimmed.prefix(11))…') are not supported: give an age X25519 recipient (age1…, from age-keygen -y).")
        }
        guard let (hrp, data) = Bech32.decode(trimmed) else {
            throw SOPSError(.invalidKey, "'\(trimmed.prefix(80))' is not an age recipient (expected age1 followed by 58 Bech32 characters, as age-keygen -y prints).")
        }
        guard hrp == "age", data.count == 32, (try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: data)) != nil else {
            throw SOPSError(.unsupported, "the age recipient '\(trimmed.prefix(80))' is of kind '\(hrp)', which Tether cannot encrypt to: only X25519 recipients (age1…) are supported, not plugin or post-quantum ones.")
        }
        publicKey = data
        self.text = Bech32.encode(hrp: "age", data: data)
    }

    package var description: String { text }
}

extension Age {
    /// Encrypts `plaintext` to every recipient as an armored age v1 file (one X25519 stanza
    /// each, header MAC, STREAM payload in 64 KiB chunks), as `age -a -r …` writes it.
    /// - Parameters:
    ///   - plaintext: the bytes to encrypt.
    ///   - recipients: at least one X25519 recipient.
    /// - Returns: the armored file, ending in a newline.
    /// - Throws: `SOPSError` (`.invalidKey`) when there is no recipient or a key agreement fails.
    package static func encrypt(_ plaintext: [UInt8], to recipients: [AgeRecipient]) throws(SOPSError) -> String {
        guard !recipients.isEmpty else { throw SOPSError(.invalidKey, "an age file needs at least one recipient") }
        let fileKey = randomBytes(16)
        var header = AgeFile.versionLine + "\n"
        for recipient in recipients {
            header += try x25519Stanza(fileKey: fileKey, recipient: recipient)
        }
        header += "---"
        let macKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: fileKey), salt: [UInt8](), info: Array("header".utf8), outputByteCount: 32)
        let mac = HMAC<SHA256>.authenticationCode(for: Array(header.utf8), using: macKey)
        let binary = Array((header + " " + AgeFile.rawBase64Encode(Array(mac)) + "\n").utf8) + (try payload(plaintext, fileKey: fileKey))
        return armor(binary)
    }

    /// `-> X25519 <share>` and its wrapped file key (c2sp.org/age, X25519 recipient type).
    private static func x25519Stanza(fileKey: [UInt8], recipient: AgeRecipient) throws(SOPSError) -> String {
        do {
            let ephemeral = Curve25519.KeyAgreement.PrivateKey()
            let share = Array(ephemeral.publicKey.rawRepresentation)
            let shared = try ephemeral.sharedSecretFromKeyAgreement(with: Curve25519.KeyAgreement.PublicKey(rawRepresentation: recipient.publicKey))
            let wrapKey = shared.hkdfDerivedSymmetricKey(
                using: SHA256.self, salt: share + recipient.publicKey, sharedInfo: AgeFile.x25519Label, outputByteCount: 32)
            let box = try ChaChaPoly.seal(fileKey, using: wrapKey, nonce: ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12)))
            let body = AgeFile.rawBase64Encode(Array(box.ciphertext) + Array(box.tag))
            return "-> X25519 \(AgeFile.rawBase64Encode(share))\n\(body)\n"
        } catch {
            throw SOPSError(.invalidKey, "the X25519 key agreement with \(recipient.text) failed", cause: error)
        }
    }

    /// The 16-byte nonce and the STREAM chunks (ChaCha20-Poly1305, big-endian counter, last-chunk flag).
    private static func payload(_ plaintext: [UInt8], fileKey: [UInt8]) throws(SOPSError) -> [UInt8] {
        let nonce = randomBytes(16)
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: fileKey), salt: nonce, info: Array("payload".utf8), outputByteCount: 32)
        var out = nonce
        var offset = 0
        var counter: UInt64 = 0
        repeat {
            let end = min(offset + AgeFile.chunkSize, plaintext.count)
            let last = end == plaintext.count
            var nonceBytes = [UInt8](repeating: 0, count: 12)
            for i in 0..<8 { nonceBytes[3 + i] = UInt8((counter >> UInt64(8 * (7 - i))) & 0xFF) }
            nonceBytes[11] = last ? 1 : 0
            do {
                let box = try ChaChaPoly.seal(plaintext[offset..<end], using: key, nonce: ChaChaPoly.Nonce(data: nonceBytes))
                out += box.ciphertext + box.tag
            } catch {
                throw SOPSError(.invalidKey, "the age payload could not be encrypted", cause: error)
            }
            offset = end
            counter += 1
        } while offset < plaintext.count
        return out
    }

    /// The ASCII armor: standard padded base64 in 64-column lines between the marker lines.
    static func armor(_ bytes: [UInt8]) -> String {
        let encoded = Array(Base64.encode(bytes))
        var text = AgeFile.armorBegin + "\n"
        var start = 0
        while start < encoded.count {
            let end = min(start + 64, encoded.count)
            text += String(encoded[start..<end]) + "\n"
            start = end
        }
        return text + AgeFile.armorEnd + "\n"
    }

    /// `count` bytes from the system's cryptographically secure generator.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
