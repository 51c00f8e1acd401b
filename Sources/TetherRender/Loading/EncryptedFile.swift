/// Recognises a SOPS-encrypted file among the renderer's inputs, so that a
/// build without a decrypter refuses it by name instead of rendering
/// `ENC[AES256_GCM,…]` ciphertext as if it were data.
///
/// A file counts as encrypted when it holds an `ENC[AES256_GCM,data:` value
/// and SOPS's metadata in one of the forms sops writes: a top-level `sops:`
/// key (YAML), a `"sops":` key (JSON), a `sops_mac=` line (dotenv) or a
/// `[sops]` section (INI). A decrypting ``FileSystem`` hands the renderer
/// plaintext, so this never fires when decryption is configured.
enum EncryptedFile {
    private static let value = Array("ENC[AES256_GCM,data:".utf8)
    private static let lineMarkers = ["sops:", "sops_mac=", "[sops]"].map { Array($0.utf8) }
    private static let jsonMarker = Array("\"sops\":".utf8)

    /// Whether `bytes` are a SOPS-encrypted file.
    static func isEncrypted(_ bytes: [UInt8]) -> Bool {
        guard contains(bytes, value) else { return false }
        if contains(bytes, jsonMarker) { return true }
        var lineStart = 0
        while lineStart < bytes.count {
            if lineMarkers.contains(where: { starts(bytes, at: lineStart, with: $0) }) { return true }
            guard let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            lineStart = newline + 1
        }
        return false
    }

    /// Refuses `bytes` when they are an encrypted file.
    /// - Throws: ``RenderError`` (`encrypted`) naming `path`.
    static func refuse(_ bytes: [UInt8], path: String) throws(RenderError) {
        guard isEncrypted(bytes) else { return }
        throw RenderError(
            .encrypted,
            "file is SOPS-encrypted (sops metadata and ENC[…] values) and no decryption key was given, so it cannot be rendered. Give a SOPS key (tether: --age-key-file, --pgp-key-file or SOPS_AGE_KEY), or commit it unencrypted.",
            file: path)
    }

    private static func starts(_ bytes: [UInt8], at index: Int, with prefix: [UInt8]) -> Bool {
        index + prefix.count <= bytes.count && bytes[index..<(index + prefix.count)].elementsEqual(prefix)
    }

    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= bytes.count else { return false }
        var i = 0
        while i + needle.count <= bytes.count {
            guard let at = bytes[i...(bytes.count - needle.count)].firstIndex(of: first) else { return false }
            if starts(bytes, at: at, with: needle) { return true }
            i = at + 1
        }
        return false
    }
}
