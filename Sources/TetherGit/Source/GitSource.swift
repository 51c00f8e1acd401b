import Foundation
import TetherModel

/// A validated git source location: a local directory or a remote URL.
///
/// Parsing refuses anything that could be mistaken for an option or a special transport:
/// a leading `-`, `..` anywhere, control characters or whitespace, and `<transport>::`
/// forms such as `ext::`. Credentials embedded in the URL are kept for libgit2 but never
/// shown: `description` and `redactedURL` mask them.
package struct GitSource: Sendable, Hashable, CustomStringConvertible {
    /// How the source is reached.
    package enum Kind: String, Sendable, Hashable {
        case localDirectory, file, git, http, https, ssh
    }

    /// How the source is reached.
    package let kind: Kind
    /// The URL with credentials masked (`https://***@host/repo`); safe for logs and errors.
    package let redactedURL: String
    /// The URL with user information removed; identifies the cache repository.
    package let identity: String
    /// Host name for network kinds; nil for local directories and `file://`.
    package let host: String?
    /// Explicit port, if the URL has one.
    package let port: Int?
    /// The user name from the URL (SSH logins), never a password.
    package let user: String?
    /// The path part (the directory for local sources).
    package let path: String
    /// The URL exactly as given, credentials included; only handed to libgit2.
    let rawURL: String
    /// Removes this URL's credentials from any text.
    let redactor: URLRedactor

    package var description: String { redactedURL }

    package static func == (lhs: GitSource, rhs: GitSource) -> Bool { lhs.rawURL == rhs.rawURL }
    package func hash(into hasher: inout Hasher) { hasher.combine(rawURL) }

    /// Parses and validates a source.
    /// - Parameter text: a local path, `file://`, `git://`, `http(s)://`, `ssh://user@host:port/path`
    ///   or scp-like `user@host:path`.
    /// - Throws: `GitError` with code `.invalidInput` when the text is unsafe or not a supported form.
    package init(_ text: String) throws(GitError) {
        try GitSource.refuseUnsafe(text)
        if let schemeEnd = text.range(of: "://") {
            let scheme = text[..<schemeEnd.lowerBound].lowercased()
            let kind: Kind
            switch scheme {
            case "file": kind = .file
            case "git": kind = .git
            case "http": kind = .http
            case "https": kind = .https
            case "ssh", "git+ssh", "ssh+git": kind = .ssh
            default:
                throw GitError(.invalidInput, "URL scheme '\(GitReference.printable(scheme))' is not supported. Use file://, git://, http://, https:// or ssh://.", url: GitSource.mask(text))
            }
            try self.init(kind: kind, scheme: scheme, rest: String(text[schemeEnd.upperBound...]), raw: text)
        } else if let scp = GitSource.scpParts(text) {
            try self.init(scpUser: scp.user, host: scp.host, path: scp.path, raw: text)
        } else {
            self.init(localPath: text)
        }
    }

    private init(localPath: String) {
        kind = .localDirectory
        redactedURL = localPath
        identity = localPath
        host = nil; port = nil; user = nil
        path = localPath
        rawURL = localPath
        redactor = .none
    }

    private init(kind: Kind, scheme: String, rest: String, raw: String) throws(GitError) {
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[..<slash])
        let pathPart = String(rest[slash...])
        var userinfo: String?
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            userinfo = String(authority[..<at])
            hostPort = String(authority[authority.index(after: at)...])
        }
        let (host, port) = try GitSource.splitHostPort(hostPort, raw: raw)
        if kind == .file {
            guard host == nil || host == "localhost", userinfo == nil, !pathPart.isEmpty else {
                throw GitError(.invalidInput, "file URL must be file:///absolute/path. Give a local absolute path.", url: GitSource.mask(raw))
            }
        } else if host == nil || pathPart.count <= 1 {
            throw GitError(.invalidInput, "URL needs a host and a repository path. Use \(scheme)://host/path/repo.git.", url: GitSource.mask(raw))
        }
        let (maskedInfo, secrets, loginUser) = GitSource.maskUserinfo(userinfo, keepUser: kind == .ssh)
        let portText = port.map { ":\($0)" } ?? ""
        let hostText = host.map { $0.contains(":") ? "[\($0)]" : $0 } ?? ""
        self.kind = kind
        self.host = host
        self.port = port
        self.user = loginUser
        self.path = pathPart
        self.rawURL = raw
        self.redactedURL = "\(scheme)://\(maskedInfo.map { "\($0)@" } ?? "")\(hostText)\(portText)\(pathPart)"
        self.identity = "\(scheme)://\(kind == .ssh ? (loginUser.map { "\($0)@" } ?? "") : "")\(hostText)\(portText)\(pathPart)"
        self.redactor = URLRedactor(secrets: secrets)
    }

    private init(scpUser: String?, host: String, path: String, raw: String) throws(GitError) {
        let (maskedInfo, secrets, loginUser) = GitSource.maskUserinfo(scpUser, keepUser: true)
        kind = .ssh
        self.host = host
        port = nil
        user = loginUser
        self.path = path
        rawURL = raw
        redactedURL = "\(maskedInfo.map { "\($0)@" } ?? "")\(host):\(path)"
        identity = "\(loginUser.map { "\($0)@" } ?? "")\(host):\(path)"
        redactor = URLRedactor(secrets: secrets)
    }

    // MARK: Validation helpers

    private static func refuseUnsafe(_ text: String) throws(GitError) {
        let problem: String? = {
            if text.isEmpty { return "is empty" }
            if text.hasPrefix("-") { return "starts with '-'" }
            if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) { return "contains control characters" }
            if text.contains(" ") { return "contains spaces" }
            if text.contains("..") { return "contains '..'" }
            if text.contains("::") { return "uses a '<transport>::' form such as ext::, which runs commands" }
            return nil
        }()
        if let problem {
            throw GitError(.invalidInput, "source \(problem). Give a plain URL or an absolute directory path.", url: mask(GitReference.printable(text)))
        }
    }

    /// Splits `user@host:path` (no `://`, a colon before any slash).
    private static func scpParts(_ text: String) -> (user: String?, host: String, path: String)? {
        guard !text.hasPrefix("/"), !text.hasPrefix("."), let colon = text.firstIndex(of: ":") else { return nil }
        let before = text[..<colon]
        guard !before.contains("/") else { return nil }
        let path = String(text[text.index(after: colon)...])
        var user: String?
        var host = String(before)
        if let at = before.lastIndex(of: "@") {
            user = String(before[..<at])
            host = String(before[before.index(after: at)...])
        }
        guard !host.isEmpty, !path.isEmpty else { return nil }
        return (user, host, path)
    }

    private static func splitHostPort(_ text: String, raw: String) throws(GitError) -> (String?, Int?) {
        guard !text.isEmpty else { return (nil, nil) }
        var host = text
        var portText: Substring?
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        guard let portText else { return (host, nil) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw GitError(.invalidInput, "port '\(portText)' is not a number from 1 to 65535.", url: mask(raw))
        }
        return (host, port)
    }

    /// Masks user information: `user:secret` becomes `user:***` for SSH and `***` otherwise;
    /// also returns what the redactor must remove from messages, and the login name.
    private static func maskUserinfo(_ userinfo: String?, keepUser: Bool) -> (String?, [String], String?) {
        guard let userinfo, !userinfo.isEmpty else { return (nil, [], nil) }
        let masked = URLUserinfo.mask(userinfo[...], showing: keepUser ? .user : .nothing)
        if let colon = userinfo.firstIndex(of: ":") {
            let name = String(userinfo[..<colon])
            let secret = String(userinfo[userinfo.index(after: colon)...])
            return (masked, keepUser ? [secret, userinfo] : [userinfo, secret, name], name)
        }
        return (masked, keepUser ? [] : [userinfo], userinfo)
    }

    /// Best-effort masking for text that failed to parse.
    static func mask(_ text: String) -> String {
        URLUserinfo.masked(text)
    }
}
