internal import Crypto
package import Foundation
import TetherModel

/// What `SOPSEncrypter` writes: the recipients, which leaves to encrypt, and the stores.
package struct SOPSEncryptionOptions: Sendable {
    /// sops' rules for which leaves are encrypted; at most one per file.
    package enum Rule: Sendable, Equatable {
        /// Leaves whose path has a key ending in the suffix stay clear (sops' default, `_unencrypted`).
        case unencryptedSuffix(String)
        /// Only leaves whose path has a key ending in the suffix are encrypted.
        case encryptedSuffix(String)
        /// Leaves whose path has a key the regex finds a match in stay clear.
        case unencryptedRegex(String)
        /// Only leaves whose path has a key the regex finds a match in are encrypted.
        case encryptedRegex(String)

        /// The metadata field sops stores the rule in, and its value.
        var metadataField: (key: String, value: String) {
            switch self {
            case .unencryptedSuffix(let s): return ("unencrypted_suffix", s)
            case .encryptedSuffix(let s): return ("encrypted_suffix", s)
            case .unencryptedRegex(let s): return ("unencrypted_regex", s)
            case .encryptedRegex(let s): return ("encrypted_regex", s)
            }
        }
    }

    /// The age X25519 recipients the data key is wrapped for (at least one).
    package var ageRecipients: [AgeRecipient]
    /// The rule; `nil` is sops' default, `unencrypted_suffix: _unencrypted`.
    package var rule: Rule?
    /// Hash only encrypted values into the MAC (sops ≥ 3.9 `mac_only_encrypted`).
    package var macOnlyEncrypted: Bool
    /// The plaintext's store; `nil` takes it from the file's extension, as sops does.
    package var inputFormat: SOPSFormat?
    /// The encrypted file's store; `nil` is the input's.
    package var outputFormat: SOPSFormat?
    /// The time written as `lastmodified` (the MAC's additional data).
    package var lastModified: Date

    package init(
        ageRecipients: [AgeRecipient], rule: Rule? = nil, macOnlyEncrypted: Bool = false,
        inputFormat: SOPSFormat? = nil, outputFormat: SOPSFormat? = nil, lastModified: Date = Date()
    ) {
        self.ageRecipients = ageRecipients
        self.rule = rule
        self.macOnlyEncrypted = macOnlyEncrypted
        self.inputFormat = inputFormat
        self.outputFormat = outputFormat
        self.lastModified = lastModified
    }
}

/// Encrypts plaintext files into sops' format, as `sops --encrypt --age …` writes them: a
/// fresh 32-byte data key wrapped in an armored age file per recipient, every selected value
/// AES-256-GCM-sealed under a random 32-byte IV with its key path as additional data, and the
/// MAC (SHA-512 over the plaintext values, upper-case hex) sealed with `lastmodified`.
///
/// Comments are not kept (the YAML reader drops them; sops would encrypt each as a value of
/// type `comment`, which no MAC covers).
package struct SOPSEncrypter: Sendable {
    /// The sops version written into the metadata: the format version this is tested against.
    package static let formatVersion = "3.11.0"

    package var options: SOPSEncryptionOptions

    package init(options: SOPSEncryptionOptions) {
        self.options = options
    }

    /// Encrypts one file.
    /// - Parameters:
    ///   - plaintext: the file's bytes.
    ///   - file: its name, for the stores (by extension) and for errors.
    /// - Returns: the encrypted file in the output store.
    /// - Throws: `SOPSError` naming `file`: `.invalidFormat` when the plaintext cannot be read as
    ///   its store, is already encrypted, or cannot be written as the output store; `.invalidKey`
    ///   without recipients; `.unsupported` for a regex that does not compile. Never a value.
    package func encrypt(_ plaintext: [UInt8], file: String) throws(SOPSError) -> [UInt8] {
        do throws(SOPSError) {
            let input = options.inputFormat ?? SOPSFormat(path: file)
            let output = options.outputFormat ?? input
            guard !options.ageRecipients.isEmpty else {
                throw SOPSError(.invalidKey, "no recipients: give at least one --age RECIPIENT (age1…)")
            }
            guard (input == .binary) == (output == .binary) else {
                throw SOPSError(.unsupported, "a \(input.rawValue) file cannot be written as \(output.rawValue): the binary store holds only raw bytes. Use the same type for input and output, or leave --output-type out.")
            }
            let key = SymmetricKey(size: .bits256)
            var metadata = OrderedMap()
            let field = (options.rule ?? .unencryptedSuffix("_unencrypted")).metadataField
            metadata[field.key] = .string(field.value)
            var walk = try TreeEncryption(key: key, rules: try EncryptionRules(metadata: metadata), macOnlyEncrypted: options.macOnlyEncrypted)
            var documents: [Value]
            if input == .binary {
                documents = [.map(OrderedMap([("data", try walk.encryptBinary(plaintext))]))]
            } else {
                documents = []
                for document in try PlaintextTree.documents(plaintext, format: input, reservedFor: output, file: file) {
                    documents.append(try walk.encrypt(document))
                }
            }
            let lastModified = Self.rfc3339(options.lastModified)
            let meta = try self.metadata(key: key, rule: field, lastModified: lastModified, mac: try walk.sealedMAC(lastModified: lastModified))
            return try output.emitEncrypted(documents, metadata: meta)
        } catch {
            throw error.inFile(file)
        }
    }

    /// The `sops` block: the age entries, `lastmodified`, `mac`, the rule and `version`.
    private func metadata(key: SymmetricKey, rule: (key: String, value: String), lastModified: String, mac: String) throws(SOPSError) -> Value {
        let dataKey = key.withUnsafeBytes { Array($0) }
        var entries: [Value] = []
        for recipient in options.ageRecipients {
            let enc = try Age.encrypt(dataKey, to: [recipient])
            entries.append(.map(OrderedMap([("recipient", .string(recipient.text)), ("enc", .string(enc))])))
        }
        var map = OrderedMap()
        map["age"] = .list(entries)
        map["lastmodified"] = .string(lastModified)
        map["mac"] = .string(mac)
        if options.macOnlyEncrypted { map["mac_only_encrypted"] = .bool(true) }
        map[rule.key] = .string(rule.value)
        map["version"] = .string(Self.formatVersion)
        return .map(map)
    }

    /// RFC 3339 in UTC with seconds precision, as Go's `time.Time.Format(time.RFC3339)` writes it.
    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
