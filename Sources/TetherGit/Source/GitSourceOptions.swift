/// Everything that controls one `GitRepositoryCache.sync` or `remoteHead` call.
package struct GitSourceOptions: Sendable {
    /// The ref to pin; the remote's default branch unless set.
    package var reference: GitReference
    /// Root of the cache; nil means `$XDG_CACHE_HOME/tether`, else `~/.cache/tether`.
    package var cacheDirectory: String?
    /// Connect, idle and total deadlines.
    package var timeouts: GitTimeouts
    /// Credentials, read from files or environment variables.
    package var auth: GitAuth
    /// OpenSSH `known_hosts` file used for strict SSH host key checks.
    package var knownHostsFile: String?
    /// Accept any SSH host key. Logs a warning on every connection; for tests only.
    package var insecureSkipHostKeyCheck: Bool
    /// Require a trusted SSH signature on the pinned commit.
    package var signaturePolicy: GitSignaturePolicy?
    /// A PEM file of certificate authorities to trust for an `https://` source instead of the
    /// system store (libgit2 with mbedTLS, as on Debian, replaces the store; see `docs/git.md`).
    package var caFile: String?

    /// Creates options; every field has a safe default.
    package init(reference: GitReference = .defaultBranch, cacheDirectory: String? = nil,
                 timeouts: GitTimeouts = GitTimeouts(), auth: GitAuth = .none,
                 knownHostsFile: String? = nil, insecureSkipHostKeyCheck: Bool = false,
                 signaturePolicy: GitSignaturePolicy? = nil, caFile: String? = nil) {
        self.reference = reference
        self.cacheDirectory = cacheDirectory
        self.timeouts = timeouts
        self.auth = auth
        self.knownHostsFile = knownHostsFile
        self.insecureSkipHostKeyCheck = insecureSkipHostKeyCheck
        self.signaturePolicy = signaturePolicy
        self.caFile = caFile
    }
}

/// Commit signature verification: the pinned commit must carry a signature that verifies
/// against one of the files given. SSH signatures (`gpg.format = ssh`) are checked with
/// `ssh-keygen -Y` against an allowed-signers file, OpenPGP signatures with `gpgv` against
/// a keyring; a signature of a kind whose file is not given is refused.
package struct GitSignaturePolicy: Sendable, Hashable {
    /// An `allowed_signers` file as read by `ssh-keygen -Y verify`.
    package var allowedSignersFile: String?
    /// An OpenPGP keyring (binary, keybox or ASCII-armored) whose every key is trusted.
    package var keyringFile: String?
    /// Path to `ssh-keygen`.
    package var sshKeygenPath: String
    /// Path to `gpgv`.
    package var gpgvPath: String

    /// Creates a policy; give at least one of the two files.
    package init(allowedSignersFile: String? = nil, keyringFile: String? = nil,
                 sshKeygenPath: String = "/usr/bin/ssh-keygen", gpgvPath: String = "/usr/bin/gpgv") {
        self.allowedSignersFile = allowedSignersFile
        self.keyringFile = keyringFile
        self.sshKeygenPath = sshKeygenPath
        self.gpgvPath = gpgvPath
    }
}
