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
    /// A plain name such as `v1.4.0` or `main`, resolved as `git` resolves it: the tag or
    /// the branch of that name; refused when both exist (`GitReference+Resolution`).
    case name(String)
    /// The highest tag whose version satisfies a semantic-version range such as
    /// `>=1.2.0 <2.0.0` (written `semver:RANGE`), as Flux and Argo CD follow tags.
    case semver(SemverRange)

    package var description: String {
        switch self {
        case .defaultBranch: return "default branch"
        case .branch(let name): return "branch '\(name)'"
        case .tag(let name): return "tag '\(name)'"
        case .commit(let sha, _): return "commit \(sha)"
        case .name(let name): return "ref '\(name)'"
        case .semver(let range): return "highest tag matching semver '\(range)'"
        }
    }

    /// Parses the forms people write: a plain name (a tag or a branch, as `git checkout`
    /// takes it), `refs/heads/NAME` and `refs/tags/NAME`, `branch:NAME` and `tag:NAME`,
    /// `semver:RANGE`, or a 40-hex SHA.
    /// - Throws: `GitError` with code `.invalidInput` when the name is not a safe ref name,
    ///   names a ref namespace other than heads and tags, or the range does not parse.
    package init(parsing text: String) throws(GitError) {
        if text.hasPrefix("tag:") {
            self = .tag(String(text.dropFirst(4)))
        } else if text.hasPrefix("branch:") {
            self = .branch(String(text.dropFirst(7)))
        } else if text.hasPrefix("semver:") {
            self = .semver(try SemverRange(parsing: String(text.dropFirst(7))))
        } else if text.hasPrefix("refs/heads/") {
            self = .branch(String(text.dropFirst(11)))
        } else if text.hasPrefix("refs/tags/") {
            self = .tag(String(text.dropFirst(10)))
        } else if text.hasPrefix("refs/") {
            throw GitError(.invalidInput, """
                ref '\(GitReference.printable(text))' is outside refs/heads/ and refs/tags/. \
                Give a branch or tag: NAME, refs/heads/NAME, refs/tags/NAME, semver:RANGE or a commit SHA.
                """)
        } else if GitReference.isFullSHA(text) {
            self = .commit(text.lowercased())
        } else {
            self = .name(text)
        }
        try validate()
    }

    /// Checks every name with `git check-ref-format` rules plus Tether's own: no leading `-`,
    /// no `..`, no control characters.
    /// - Throws: `GitError` with code `.invalidInput`.
    package func validate() throws(GitError) {
        switch self {
        case .defaultBranch, .semver: return
        case .branch(let name), .tag(let name), .name(let name): try GitReference.validateName(name)
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
            if name.hasPrefix("refs/") { return "repeats the 'refs/' prefix" }
            return nil
        }()
        if let problem {
            throw GitError(.invalidInput, "ref '\(printable(name))' \(problem). Use a branch or tag name such as 'main' or 'v1.0.0' (or refs/heads/NAME, refs/tags/NAME).")
        }
    }

    /// The text with control characters escaped, safe to put in a message.
    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? "?" : Character($0) })
    }
}
