import Foundation
import TetherModel

/// A parsed OpenSSH `known_hosts` file, checked strictly: a host must be listed with the
/// exact key it presents.
///
/// Supported: plain host patterns (`host`, `[host]:port`, comma-separated lists, `*` and `?`
/// wildcards, `!` negation) and the `@revoked` marker. Hashed entries (`|1|...`, written by
/// `ssh-keyscan -H`) and `@cert-authority` lines are skipped, so write plain entries.
struct KnownHosts: Sendable {
    struct Entry: Sendable {
        var patterns: [String]
        var keyType: String
        var key: [UInt8]
        var revoked: Bool
    }

    /// The outcome of a host key check.
    enum Verdict: Sendable, Equatable {
        case trusted
        case unknown
        case changed
        case revoked
    }

    var entries: [Entry]

    /// Parses `known_hosts` text; malformed lines are ignored like OpenSSH does.
    init(text: String) {
        entries = text.split(whereSeparator: \.isNewline).compactMap(KnownHosts.parse)
    }

    /// Reads and parses a file.
    /// - Throws: `GitError` `.hostKey` when the file cannot be read.
    init(file: String) throws(GitError) {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw GitError(.hostKey, "known_hosts file '\(file)' (--known-hosts) cannot be read. Create it with the server's host key (ssh-keyscan -p PORT HOST > FILE).")
        }
        self.init(text: text)
    }

    private static func parse(_ line: Substring) -> Entry? {
        var fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = fields.first, !first.hasPrefix("#") else { return nil }
        var revoked = false
        if first.hasPrefix("@") {
            guard first == "@revoked" else { return nil }
            revoked = true
            fields.removeFirst()
        }
        guard fields.count >= 3, !fields[0].hasPrefix("|"),
              let key = Base64.decode(fields[2]) else { return nil }
        return Entry(patterns: fields[0].split(separator: ",").map(String.init), keyType: fields[1],
                     key: key, revoked: revoked)
    }

    /// Checks a presented raw host key (SSH wire format) for `host` and `port`.
    func verdict(host: String, port: Int?, key: [UInt8]) -> Verdict {
        let name = (port == nil || port == 22) ? host : "[\(host)]:\(port!)"
        let matching = entries.filter { KnownHosts.matches(name, $0.patterns) }
        if matching.contains(where: { $0.revoked && $0.key == key }) { return .revoked }
        if matching.contains(where: { !$0.revoked && $0.key == key }) { return .trusted }
        let presentedType = KnownHosts.keyType(of: key)
        if matching.contains(where: { !$0.revoked && $0.keyType == presentedType }) { return .changed }
        return .unknown
    }

    /// The key type named inside an SSH wire-format key (`ssh-ed25519`, `ssh-rsa`, ...).
    static func keyType(of key: [UInt8]) -> String? {
        guard key.count >= 4 else { return nil }
        let length = Int(key[0]) << 24 | Int(key[1]) << 16 | Int(key[2]) << 8 | Int(key[3])
        guard length > 0, key.count >= 4 + length else { return nil }
        return String(decoding: key[4..<(4 + length)], as: UTF8.self)
    }

    /// OpenSSH's fingerprint form: `SHA256:` and unpadded base64.
    static func fingerprint(sha256: [UInt8]) -> String {
        var text = Base64.encode(sha256)
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }

    private static func matches(_ name: String, _ patterns: [String]) -> Bool {
        var matched = false
        for pattern in patterns {
            if pattern.hasPrefix("!") {
                if wildcard(String(pattern.dropFirst()), name) { return false }
            } else if wildcard(pattern, name) {
                matched = true
            }
        }
        return matched
    }

    /// Glob match with `*` and `?`, case-insensitive like OpenSSH host names.
    private static func wildcard(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.lowercased()), t = Array(text.lowercased())
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) { pi += 1; ti += 1 }
            else if pi < p.count && p[pi] == "*" { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
