/// Decrypts input files that are encrypted at rest (SOPS), as Flux's kustomize-controller
/// does while it builds: TetherRender defines the seam, the executable supplies the
/// implementation, so the renderer never depends on a cryptography target.
package protocol FileDecrypting: Sendable {
    /// The plaintext of `bytes` when the file at `path` is encrypted, or `nil` when it is
    /// not (it is then read as it is).
    /// - Parameters:
    ///   - bytes: the file as stored.
    ///   - path: its root-relative path; the extension picks the format (YAML, JSON, dotenv,
    ///     INI, otherwise binary).
    /// - Throws: any error, with a message that names the file and never a decrypted value;
    ///   the renderer wraps it in a ``RenderError``.
    func decryptIfEncrypted(_ bytes: [UInt8], path: String) throws -> [UInt8]?
}

/// A ``FileSystem`` that hands every file through a ``FileDecrypting`` before the renderer
/// sees it, so resources, patches and generator `files:`/`envs:` sources that are encrypted
/// are rendered from their plaintext, and unencrypted files are read unchanged.
package struct DecryptingFileSystem: FileSystem {
    package let base: any FileSystem
    package let decrypter: any FileDecrypting

    /// Wraps `base`.
    package init(base: any FileSystem, decrypter: any FileDecrypting) {
        self.base = base
        self.decrypter = decrypter
    }

    package func kind(of path: String) throws(RenderError) -> FileKind? {
        try base.kind(of: path)
    }

    /// The file's bytes, decrypted when it is encrypted.
    /// - Throws: ``RenderError`` from the base file system, or `invalidResource` when the
    ///   file is encrypted but cannot be decrypted and verified (wrong or missing key,
    ///   tampering); the cause carries the decrypter's error.
    package func read(_ path: String, maxBytes: Int) throws(RenderError) -> [UInt8] {
        let bytes = try base.read(path, maxBytes: maxBytes)
        do {
            return try decrypter.decryptIfEncrypted(bytes, path: path) ?? bytes
        } catch {
            throw RenderError(.invalidResource, "cannot decrypt this SOPS-encrypted file: \(error)", file: path)
        }
    }
}
