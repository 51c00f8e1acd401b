internal import Crypto

/// Recovers a file's 32-byte data key from its age or PGP entries.
enum DataKey {
    /// Tries every age entry with every identity, then the PGP entries through `gpg`.
    /// - Throws: `SOPSError`: `.noMatchingKey` naming the recipients when no key opens any
    ///   entry (and how to provide one), `.authenticationFailed` when an age stanza opens but
    ///   its header does not verify, `.invalidKey` when the recovered key is not 32 bytes.
    static func unwrap(_ metadata: Metadata, keys: SOPSKeys) throws(SOPSError) -> SymmetricKey {
        var failures: [String] = []
        if !keys.ageIdentities.isEmpty {
            for entry in metadata.age {
                do {
                    let file = try AgeFile(bytes: Array(entry.enc.utf8))
                    switch try file.unwrap(with: keys.ageIdentities) {
                    case .opened(let fileKey):
                        return try checked(try file.decryptPayload(fileKey: fileKey), from: "age \(entry.recipient)")
                    case .noMatch(let types):
                        let plugins = types.filter { $0 != "X25519" && $0 != "scrypt" }
                        if !plugins.isEmpty { failures.append("age \(entry.recipient) uses plugin stanzas (\(plugins.joined(separator: ", "))), which are not supported") }
                    }
                } catch {
                    throw SOPSError(error.code, "the data key for age recipient \(entry.recipient): \(error.message)")
                }
            }
        }
        if !keys.pgpSecretKeys.isEmpty {
            for entry in metadata.pgp {
                if let key = try GPG.decrypt(entry.enc, secretKeys: keys.pgpSecretKeys) {
                    return try checked(key, from: "pgp \(entry.fingerprint)")
                }
            }
        }
        if metadata.age.isEmpty && metadata.pgp.isEmpty && !metadata.otherKeys.isEmpty {
            throw SOPSError(
                .unsupported,
                "the data key is wrapped only by a key service: \(metadata.otherKeys.joined(separator: ", ")). Tether cannot use AWS KMS, GCP KMS, Azure Key Vault or HashiCorp Vault keys; add an age recipient to the file (sops updatekeys, or sops --rotate --add-age age1…) and give Tether its identity.")
        }
        var message = "no configured key can decrypt the data key. The file is encrypted for: \(metadata.recipientSummary)."
        if !failures.isEmpty { message += " " + failures.joined(separator: "; ") + "." }
        if !metadata.otherKeys.isEmpty { message += " Its key-service keys (AWS KMS, GCP KMS, Azure Key Vault, HashiCorp Vault) cannot be used by Tether." }
        message += keys.isEmpty
            ? " No keys are configured: pass --age-key-file (or set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY, or put the identity in ~/.config/sops/age/keys.txt), or --pgp-key-file for PGP recipients."
            : " The configured keys (\(keys.ageIdentities.compactMap(\.recipient).joined(separator: ", ")); \(keys.pgpSecretKeys.count) PGP) match none of them: add the identity of one of these recipients."
        throw SOPSError(.noMatchingKey, message)
    }

    private static func checked(_ bytes: [UInt8], from source: String) throws(SOPSError) -> SymmetricKey {
        guard bytes.count == 32 else {
            throw SOPSError(.invalidKey, "the data key from \(source) is \(bytes.count) bytes, not the 32 an AES-256 key needs. Re-encrypt the file with a current sops.")
        }
        return SymmetricKey(data: bytes)
    }
}
