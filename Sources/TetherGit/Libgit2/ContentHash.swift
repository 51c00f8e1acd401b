internal import CGit2

/// Stable short hashes for cache directory names, using libgit2's SHA-1.
enum ContentHash {
    /// The hex SHA-1 of `text` (as a git blob; only used as a name, never for security).
    static func hex(of text: String) -> String {
        var oid = git_oid()
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
        return oid.hex
    }
}
