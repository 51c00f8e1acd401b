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

/// Commit signature verification with SSH signatures (`gpg.format = ssh`).
package struct GitSignaturePolicy: Sendable, Hashable {
    /// An `allowed_signers` file as read by `ssh-keygen -Y verify`.
    package var allowedSignersFile: String
    /// Path to `ssh-keygen`; the only subprocess `TetherGit` runs.
    package var sshKeygenPath: String

    /// Creates a policy.
    package init(allowedSignersFile: String, sshKeygenPath: String = "/usr/bin/ssh-keygen") {
        self.allowedSignersFile = allowedSignersFile
        self.sshKeygenPath = sshKeygenPath
    }
}
