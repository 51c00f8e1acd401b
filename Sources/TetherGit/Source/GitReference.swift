/// The ref a source is pinned to.
package enum GitReference: Sendable, Hashable, CustomStringConvertible {
    /// The branch the remote's `HEAD` points at.
    case defaultBranch
    /// A branch name such as `main` (without `refs/heads/`).
    case branch(String)
    /// A tag name such as `v1.2.0` (annotated or lightweight, without `refs/tags/`).
    case tag(String)
    /// A full 40-hex commit SHA. It must be reachable from `branch`, or from the default
    /// branch when `branch` is nil, because libgit2 1.5 cannot fetch an arbitrary object.
    case commit(String, branch: String? = nil)

    package var description: String {
        switch self {
        case .defaultBranch: return "default branch"
        case .branch(let name): return "branch '\(name)'"
        case .tag(let name): return "tag '\(name)'"
        case .commit(let sha, _): return "commit \(sha)"
        }
    }

    /// Parses the CLI form: `branch:NAME`, `tag:NAME`, a 40-hex SHA, or a bare branch name.
    /// - Throws: `GitError` with code `.invalidInput` when the name is not a safe ref name.
    package init(parsing text: String) throws(GitError) {
        if text.hasPrefix("tag:") {
            self = .tag(String(text.dropFirst(4)))
        } else if text.hasPrefix("branch:") {
            self = .branch(String(text.dropFirst(7)))
        } else if GitReference.isFullSHA(text) {
            self = .commit(text.lowercased())
        } else {
            self = .branch(text)
        }
        try validate()
    }

    /// Checks every name with `git check-ref-format` rules plus Tether's own: no leading `-`,
    /// no `..`, no control characters.
    /// - Throws: `GitError` with code `.invalidInput`.
    package func validate() throws(GitError) {
        switch self {
        case .defaultBranch: return
        case .branch(let name), .tag(let name): try GitReference.validateName(name)
        case .commit(let sha, let branch):
            guard GitReference.isFullSHA(sha) else {
                throw GitError(.invalidInput, "commit '\(GitReference.printable(sha))' is not a full 40-character hex SHA. Give the full commit SHA.")
            }
            if let branch { try GitReference.validateName(branch) }
        }
    }

    static func isFullSHA(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
    }

    static func validateName(_ name: String) throws(GitError) {
        let problem: String? = {
            if name.isEmpty { return "is empty" }
            if name.hasPrefix("-") { return "starts with '-'" }
            if name.contains("..") { return "contains '..'" }
            if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) { return "contains control characters" }
            if name.contains(where: { " ~^:?*[\\".contains($0) }) { return "contains a character git forbids in ref names" }
            if name.contains("@{") || name == "@" { return "contains '@{'" }
            if name.hasPrefix("/") || name.hasSuffix("/") || name.contains("//") { return "has an empty path component" }
            if name.hasSuffix(".") || name.hasSuffix(".lock") { return "ends with '.' or '.lock'" }
            if name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { return "has a component starting with '.'" }
            if name.hasPrefix("refs/") { return "must be given without the 'refs/' prefix" }
            return nil
        }()
        if let problem {
            throw GitError(.invalidInput, "ref '\(printable(name))' \(problem). Use a plain branch or tag name such as 'main' or 'v1.0.0'.")
        }
    }

    /// The text with control characters escaped, safe to put in a message.
    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? "?" : Character($0) })
    }
}
