import TetherModel

/// Which leaves of a sops tree are encrypted, as the metadata's one rule says.
///
/// Suffix rules match when ANY key on the leaf's path ends with the suffix, and regex
/// rules when a regex *search* finds a match in ANY key of the path (list positions are
/// not keys). With no rule stored, sops' default `unencrypted_suffix: _unencrypted` applies.
struct EncryptionRules: Sendable {
    enum Rule: Sendable {
        case unencryptedSuffix(String)
        case encryptedSuffix(String)
        case unencryptedRegex(String)
        case encryptedRegex(String)
        /// Selection by a preceding comment, which this reader does not see (comments are
        /// dropped by the YAML reader): every `ENC[...]` string is decrypted and the MAC then
        /// decides, so a swapped-in clear value still fails verification.
        case commentRegex(String)
    }

    var rule: Rule

    init(metadata map: OrderedMap) throws(SOPSError) {
        var found: [Rule] = []
        func text(_ key: String) -> String? {
            guard let s = map[key]?.stringValue, !s.isEmpty else { return nil }
            return s
        }
        if let s = text("unencrypted_suffix") { found.append(.unencryptedSuffix(s)) }
        if let s = text("encrypted_suffix") { found.append(.encryptedSuffix(s)) }
        if let s = text("unencrypted_regex") { found.append(.unencryptedRegex(s)) }
        if let s = text("encrypted_regex") { found.append(.encryptedRegex(s)) }
        if let s = text("encrypted_comment_regex") ?? text("unencrypted_comment_regex") { found.append(.commentRegex(s)) }
        guard found.count <= 1 else {
            throw SOPSError(.invalidFormat, "the sops metadata sets more than one of the encrypted/unencrypted suffix and regex rules; sops allows one")
        }
        rule = found.first ?? .unencryptedSuffix("_unencrypted")
        if case .unencryptedRegex(let p) = rule { _ = try Self.compile(p) }
        if case .encryptedRegex(let p) = rule { _ = try Self.compile(p) }
    }

    static func compile(_ pattern: String) throws(SOPSError) -> Regex<AnyRegexOutput> {
        do {
            return try Regex(pattern)
        } catch {
            throw SOPSError(.unsupported, "the regex '\(pattern)' in the sops metadata cannot be compiled", cause: error)
        }
    }

    /// A decision procedure for one walk (regexes compiled once; `Regex` is not `Sendable`).
    func matcher() throws(SOPSError) -> (_ path: [String], _ value: String?) -> Bool {
        switch rule {
        case .unencryptedSuffix(let s):
            return { path, _ in !path.contains { $0.hasSuffix(s) } }
        case .encryptedSuffix(let s):
            return { path, _ in path.contains { $0.hasSuffix(s) } }
        case .unencryptedRegex(let p):
            let regex = try Self.compile(p)
            return { path, _ in !path.contains { (try? regex.firstMatch(in: $0)) != nil } }
        case .encryptedRegex(let p):
            let regex = try Self.compile(p)
            return { path, _ in path.contains { (try? regex.firstMatch(in: $0)) != nil } }
        case .commentRegex:
            return { _, value in value.map(EncryptedValue.looksEncrypted) ?? false }
        }
    }
}
