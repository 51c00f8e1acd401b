internal import Crypto
package import TetherModel

/// A decrypted SOPS file: its documents with typed plaintext values, and the plaintext in
/// the file's own format, as `sops --decrypt` prints it.
///
/// Its `description` never shows values: printing it by mistake leaks nothing.
package struct SOPSDecryptedFile: Sendable, CustomStringConvertible {
    /// The store the file used.
    package var format: SOPSFormat
    /// The data documents without the `sops` metadata (one for JSON, dotenv, INI and
    /// binary; `{"data": …}` for binary).
    package var documents: [Value]
    /// The plaintext in the file's format (the raw bytes for a binary file).
    package var plaintext: [UInt8]
    /// The key paths of the values that were encrypted (so callers can mask them).
    package var decryptedPaths: [[String]]

    package var description: String {
        "decrypted \(format.rawValue) file (\(documents.count) documents, \(decryptedPaths.count) encrypted values) <redacted>"
    }
}

/// Decrypts SOPS files natively: the data key from an age or PGP entry, every
/// `ENC[AES256_GCM,…]` value with its key path as additional data, then the MAC.
///
/// A file is accepted only when every value authenticates AND the MAC over all values
/// (clear ones included, unless `mac_only_encrypted`) matches; Flux does not check the MAC,
/// Tether does. Nothing is returned for a file that fails any check.
package struct SOPSDecrypter: Sendable {
    package var keys: SOPSKeys

    package init(keys: SOPSKeys) {
        self.keys = keys
    }

    /// Whether `bytes` carry SOPS metadata for the store their path implies.
    package static func isEncrypted(_ bytes: [UInt8], path: String) -> Bool {
        // Cheap pre-check before parsing: every store names its metadata "sops".
        guard String(decoding: bytes, as: UTF8.self).contains("sops") else { return false }
        return EncryptedTree.isEncrypted(bytes, format: SOPSFormat(path: path))
    }

    /// Decrypts and verifies one file.
    /// - Parameters:
    ///   - bytes: the encrypted file.
    ///   - file: its name, used for the store (by extension) and in errors.
    ///   - format: the store, when it is not to be taken from the extension.
    /// - Returns: the verified plaintext.
    /// - Throws: `SOPSError` naming `file`: `.notEncrypted`, `.invalidFormat`, `.noMatchingKey`
    ///   (with the recipients), `.authenticationFailed` (a value or the MAC fails AES-GCM),
    ///   `.macMismatch`, `.unsupported`, `.invalidKey`, `.keyTool`. Never contains a value.
    package func decrypt(_ bytes: [UInt8], file: String, format: SOPSFormat? = nil) throws(SOPSError) -> SOPSDecryptedFile {
        do {
            let format = format ?? SOPSFormat(path: file)
            let tree = try EncryptedTree(bytes: bytes, format: format, file: file)
            let metadata = try Metadata(tree.metadata)
            let key = try DataKey.unwrap(metadata, keys: keys)
            var walk = try TreeDecryption(key: key, metadata: metadata)
            var documents: [Value] = []
            for document in tree.documents { documents.append(try walk.decrypt(document)) }
            try walk.verifyMAC(metadata)
            var binaryData: [UInt8]?
            if format == .binary {
                binaryData = try Self.binaryPlaintext(tree.documents[0], key: key)
            }
            return SOPSDecryptedFile(
                format: format, documents: documents, plaintext: try format.emit(documents, binaryData: binaryData),
                decryptedPaths: walk.decryptedPaths)
        } catch {
            throw error.inFile(file)
        }
    }

    /// The raw bytes of a binary store's `data` (a Swift `String` could not hold non-UTF-8).
    private static func binaryPlaintext(_ document: Value, key: SymmetricKey) throws(SOPSError) -> [UInt8] {
        guard let text = document["data"]?.stringValue else { return [] }
        return try EncryptedValue(parsing: text).plaintext(key: key, additionalData: "data:")
    }
}
