internal import Crypto

/// An identity that can open age stanzas: an X25519 secret key, or a
/// passphrase for scrypt stanzas. Its `description` never shows the secret.
package struct AgeIdentity: Sendable, CustomStringConvertible {
    enum Kind: Sendable {
        /// The raw 32-byte scalar (kept as bytes: the Crypto key type is not `Sendable`).
        case x25519([UInt8])
        case passphrase([UInt8])
    }

    let kind: Kind
    /// The `age1…` recipient of an X25519 identity; `nil` for a passphrase.
    package let recipient: String?

    /// An identity from an `AGE-SECRET-KEY-1…` string.
    /// - Throws: `SOPSError` (`.invalidKey`) when the string is not a valid
    ///   X25519 identity, or (`.unsupported`) for plugin identities.
    package init(secretKey text: String) throws(SOPSError) {
        if text.uppercased().hasPrefix("AGE-PLUGIN-") {
            throw SOPSError(
                .unsupported,
                "age plugin identities (\(text.prefix(while: { $0 != "1" }))…) are not supported: Tether opens only X25519 and passphrase stanzas natively. Give an X25519 identity (AGE-SECRET-KEY-1…) instead.")
        }
        guard let (hrp, data) = Bech32.decode(text), hrp == "age-secret-key-", data.count == 32,
            let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: data)
        else {
            throw SOPSError(.invalidKey, "not a valid age X25519 identity (expected AGE-SECRET-KEY-1 followed by 58 Bech32 characters)")
        }
        kind = .x25519(data)
        recipient = Bech32.encode(hrp: "age", data: Array(key.publicKey.rawRepresentation))
    }

    /// A passphrase identity, which opens `scrypt` stanzas.
    package init(passphrase: String) {
        kind = .passphrase(Array(passphrase.utf8))
        recipient = nil
    }

    /// Every identity in an age identity file: one `AGE-SECRET-KEY-1…` per
    /// line; blank lines and `#` comments are skipped.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - source: where it came from, for errors (a path or `SOPS_AGE_KEY`).
    /// - Throws: `SOPSError` (`.invalidKey`, `.unsupported`) naming the source and line.
    package static func parseFile(_ text: String, source: String) throws(SOPSError) -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(inSet: [" ", "\t", "\r"])
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("-----BEGIN") || line.hasPrefix("ssh-") {
                throw SOPSError(
                    .unsupported,
                    "\(source):\(lineNumber): SSH keys are not supported as age identities. Use an age X25519 identity (age-keygen).")
            }
            do {
                identities.append(try AgeIdentity(secretKey: line))
            } catch {
                throw SOPSError(error.code, "\(source):\(lineNumber): \(error.message)")
            }
        }
        return identities
    }

    package var description: String {
        recipient.map { "age identity for \($0)" } ?? "age passphrase <redacted>"
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters of `set`.
    func trimmingCharacters(inSet set: Set<Character>) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
