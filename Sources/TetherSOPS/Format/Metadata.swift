import TetherModel

/// The `sops` block of an encrypted file, parsed once into typed fields.
struct Metadata: Sendable {
    /// One age recipient and the armored age file holding the data key for it.
    struct AgeEntry: Sendable {
        var recipient: String
        var enc: String
    }

    /// One PGP key fingerprint and the armored OpenPGP message holding the data key.
    struct PGPEntry: Sendable {
        var fingerprint: String
        var enc: String
    }

    var version: String
    var lastModified: String
    var mac: String?
    var macOnlyEncrypted: Bool
    var rules: EncryptionRules
    var age: [AgeEntry]
    var pgp: [PGPEntry]
    /// Master keys of kinds Tether cannot use (KMS, Vault), named for error messages.
    var otherKeys: [String]

    /// Reads the metadata mapping.
    /// - Throws: `SOPSError` (`.invalidFormat`) for a missing version or lastmodified or a
    ///   malformed entry, (`.unsupported`) for Shamir-split key groups or several rules at once.
    init(_ value: Value) throws(SOPSError) {
        guard let map = value.mapValue else { throw Self.malformed("the sops metadata is not a mapping") }
        guard let version = map["version"]?.scalarText, !version.isEmpty else {
            throw Self.malformed("the sops metadata has no version")
        }
        guard version.hasPrefix("3.") || version.hasPrefix("2.") else {
            throw SOPSError(.unsupported, "sops metadata version \(version) is not supported (only 2.x and 3.x)")
        }
        guard let lastModified = map["lastmodified"]?.stringValue else {
            throw Self.malformed("the sops metadata has no lastmodified")
        }
        self.version = version
        self.lastModified = lastModified
        self.mac = map["mac"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        switch map["mac_only_encrypted"] {
        case nil, .null?: macOnlyEncrypted = false
        case .bool(let b)?: macOnlyEncrypted = b
        case .string(let s)? where s == "true" || s == "false": macOnlyEncrypted = s == "true"
        default: throw Self.malformed("mac_only_encrypted is not a boolean")
        }
        rules = try EncryptionRules(metadata: map)
        var keyMaps = [map]
        if let groups = map["key_groups"]?.listValue, !groups.isEmpty {
            guard groups.count == 1, let group = groups[0].mapValue else {
                throw SOPSError(
                    .unsupported,
                    "the data key is split across \(groups.count) key groups (Shamir's scheme), which Tether does not support. Re-encrypt with a single key group.")
            }
            keyMaps = [group]
        }
        age = []
        pgp = []
        otherKeys = []
        for keys in keyMaps {
            for entry in keys["age"]?.listValue ?? [] {
                guard let recipient = entry["recipient"]?.stringValue, let enc = entry["enc"]?.stringValue else {
                    throw Self.malformed("an age entry lacks recipient or enc")
                }
                age.append(AgeEntry(recipient: recipient, enc: enc))
            }
            for entry in keys["pgp"]?.listValue ?? [] {
                guard let fp = entry["fp"]?.stringValue, let enc = entry["enc"]?.stringValue else {
                    throw Self.malformed("a pgp entry lacks fp or enc")
                }
                pgp.append(PGPEntry(fingerprint: fp, enc: enc))
            }
            for (kind, label, field) in Self.serviceKeyKinds {
                for entry in keys[kind]?.listValue ?? [] {
                    otherKeys.append("\(label) key \(entry[field]?.stringValue ?? "?") (sops '\(kind)')")
                }
            }
        }
    }

    /// Master keys held by a key service: the metadata field, its name, and the field naming the key.
    static let serviceKeyKinds = [
        ("kms", "AWS KMS", "arn"), ("gcp_kms", "GCP KMS", "resource_id"),
        ("azure_kv", "Azure Key Vault", "vault_url"), ("hc_vault", "HashiCorp Vault", "vault_address"),
    ]

    /// Every recipient, as error messages list them.
    var recipientSummary: String {
        let all = age.map { "age \($0.recipient)" } + pgp.map { "pgp \($0.fingerprint)" } + otherKeys
        return all.isEmpty ? "no recipients" : all.joined(separator: ", ")
    }

    static func malformed(_ what: String) -> SOPSError {
        SOPSError(.invalidFormat, "\(what). The file is not valid sops metadata; re-encrypt it with sops.")
    }
}
