import Foundation

/// A credential value. Its description is always `<redacted>`, so string interpolation,
/// logging and `dump` cannot leak it.
package struct GitSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    init(_ value: String) { self.value = value }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: []) }

    /// The clear value; only the libgit2 layer calls this, right before handing it over.
    func reveal() -> String { value }
}

/// Where a secret is read from. Never from a command-line argument.
package enum GitSecretSource: Sendable, Hashable, CustomStringConvertible {
    /// A file whose contents (trailing newline removed) are the secret.
    case file(String)
    /// An environment variable holding the secret.
    case environment(String)

    package var description: String {
        switch self {
        case .file(let path): return "file '\(path)'"
        case .environment(let name): return "environment variable \(name)"
        }
    }

    /// Reads the secret.
    /// - Throws: `GitError` with code `.authentication` when the file or variable is missing or empty.
    package func load() throws(GitError) -> GitSecret {
        let text: String?
        switch self {
        case .file(let path): text = try? String(contentsOfFile: path, encoding: .utf8)
        case .environment(let name): text = ProcessInfo.processInfo.environment[name]
        }
        var trimmed = text ?? ""
        while trimmed.hasSuffix("\n") || trimmed.hasSuffix("\r") { trimmed.removeLast() }
        guard !trimmed.isEmpty else {
            throw GitError(.authentication, "could not read a credential from \(self). Create it and make it readable.")
        }
        return GitSecret(trimmed)
    }
}

/// How to authenticate to the remote.
package enum GitAuth: Sendable, Hashable {
    /// Anonymous access.
    case none
    /// HTTPS `Authorization: Bearer <token>`, sent only to the configured host.
    case bearerToken(GitSecretSource)
    /// HTTPS basic authentication.
    case basic(username: String, password: GitSecretSource)
    /// SSH public-key authentication. The user comes from the URL when `username` is nil,
    /// then defaults to `git`.
    case sshKey(username: String? = nil, privateKeyFile: String, passphrase: GitSecretSource? = nil)
}

/// Credentials after loading, ready for the libgit2 layer.
enum LoadedCredentials: Sendable {
    case none
    case bearer(GitSecret)
    case basic(username: String, password: GitSecret)
    case sshKey(username: String, privateKeyFile: String, publicKeyFile: String?, passphrase: GitSecret?)

    /// Loads secrets named by `auth` and checks it fits the source kind.
    /// - Throws: `GitError` `.authentication` when a secret cannot be read, `.invalidInput`
    ///   when the auth kind does not fit the transport.
    init(_ auth: GitAuth, source: GitSource) throws(GitError) {
        switch auth {
        case .none:
            self = .none
        case .bearerToken(let secret):
            guard source.kind == .https || source.kind == .http else {
                throw GitError(.invalidInput, "a bearer token only works with http:// and https:// sources. Use an SSH key for SSH.", url: source.redactedURL)
            }
            self = .bearer(try secret.load())
        case .basic(let username, let secret):
            guard source.kind == .https || source.kind == .http else {
                throw GitError(.invalidInput, "username/password only works with http:// and https:// sources.", url: source.redactedURL)
            }
            self = .basic(username: username, password: try secret.load())
        case .sshKey(let username, let keyFile, let passphrase):
            guard source.kind == .ssh else {
                throw GitError(.invalidInput, "an SSH key only works with ssh:// or user@host:path sources.", url: source.redactedURL)
            }
            guard FileManager.default.isReadableFile(atPath: keyFile) else {
                throw GitError(.authentication, "SSH private key file '\(keyFile)' is not readable. Check the path and permissions.", url: source.redactedURL)
            }
            let publicKey = keyFile + ".pub"
            self = .sshKey(username: username ?? source.user ?? "git", privateKeyFile: keyFile,
                           publicKeyFile: FileManager.default.fileExists(atPath: publicKey) ? publicKey : nil,
                           passphrase: try passphrase?.load())
        }
    }
}
