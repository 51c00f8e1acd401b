extension GitReference {
    /// The full remote ref this reference names among the refs a remote advertises, as
    /// `git` resolves names: a plain name is the tag or the branch of that name (refused
    /// when both exist, naming both), `semver:` is the highest tag in the range.
    /// - Parameters:
    ///   - refs: the advertised full ref names (`refs/heads/…`, `refs/tags/…`; peeled
    ///     `^{}` entries are ignored).
    ///   - defaultBranch: the full name of the branch the remote's `HEAD` points at.
    ///   - url: the source, for the error.
    /// - Returns: a full ref name present in `refs`.
    /// - Throws: `GitError` `.refNotFound` (listing the closest existing names) or
    ///   `.invalidInput` for an ambiguous name.
    package func remoteName(among refs: some Collection<String>, defaultBranch: String?, url: String) throws(GitError) -> String {
        let names = Set(refs.filter { !$0.hasSuffix("^{}") })
        let wanted: String
        switch self {
        case .defaultBranch, .commit(_, branch: nil):
            guard let defaultBranch else {
                throw GitError(.refNotFound, "the remote does not advertise a default branch (HEAD). Pin a branch with --ref.", url: url)
            }
            wanted = defaultBranch
        case .branch(let branch), .commit(_, branch: let branch?):
            wanted = "refs/heads/" + branch
        case .tag(let tag):
            wanted = "refs/tags/" + tag
        case .name(let name):
            let branch = "refs/heads/" + name, tag = "refs/tags/" + name
            switch (names.contains(branch), names.contains(tag)) {
            case (true, true):
                throw GitError(.invalidInput, """
                    ref '\(name)' is ambiguous: the remote has both branch '\(name)' (\(branch)) and tag '\(name)' (\(tag)). \
                    Pick one with --ref \(branch) or --ref \(tag).
                    """, url: url)
            case (true, false): return branch
            case (false, true): return tag
            case (false, false): wanted = branch
            }
        case .semver(let range):
            let matching = names.compactMap { name -> (SemanticVersion, String)? in
                guard name.hasPrefix("refs/tags/"), let version = SemanticVersion(tag: String(name.dropFirst(10))),
                      range.admits(version) else { return nil }
                return (version, name)
            }
            // Highest version; between equal versions (v1.0.0 and 1.0.0) the first name, so the choice is stable.
            if let best = matching.max(by: { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 > $1.1 }) { return best.1 }
            let versions = names.compactMap { name in
                name.hasPrefix("refs/tags/") ? SemanticVersion(tag: String(name.dropFirst(10))).map { ($0, String(name.dropFirst(10))) } : nil
            }.sorted { $0.0 > $1.0 }
            let listed = versions.prefix(5).map { "'\($0.1)'" }.joined(separator: ", ")
            throw GitError(.refNotFound, versions.isEmpty
                ? "no tag on the remote is a semantic version, so semver '\(range)' matches nothing. Tag a release (v1.0.0), or pin a branch with --ref."
                : "no tag matches semver '\(range)'; the highest version tags are \(listed). Widen the range or push a matching tag.", url: url)
        }
        guard names.contains(wanted) else { throw missing(wanted, among: names, url: url) }
        return wanted
    }

    /// A missing ref, with the existing branch and tag names closest to the one asked for.
    private func missing(_ wanted: String, among names: Set<String>, url: String) -> GitError {
        let sentence: String, shortAsked: String
        switch self {
        case .name(let name): (sentence, shortAsked) = ("no branch or tag '\(name)' exists on the remote", name)
        default: (sentence, shortAsked) = ("\(GitReference.describe(wanted)) does not exist on the remote", GitReference.shortName(wanted))
        }
        let candidates = names.filter { $0.hasPrefix("refs/heads/") || $0.hasPrefix("refs/tags/") }
        let closest = candidates.map { (GitReference.distance(shortAsked, GitReference.shortName($0)), $0) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .prefix(3).map { "\(GitReference.describe($0.1))" }
        let hint = closest.isEmpty ? "The remote has no branches or tags; push one first."
            : "Closest: \(closest.joined(separator: ", ")). Check the spelling or push it first."
        return GitError(.refNotFound, "\(sentence). \(hint)", url: url)
    }

    static func describe(_ refName: String) -> String {
        if refName.hasPrefix("refs/heads/") { return "branch '\(refName.dropFirst(11))'" }
        if refName.hasPrefix("refs/tags/") { return "tag '\(refName.dropFirst(10))'" }
        return "ref '\(refName)'"
    }

    static func shortName(_ refName: String) -> String {
        if refName.hasPrefix("refs/heads/") { return String(refName.dropFirst(11)) }
        if refName.hasPrefix("refs/tags/") { return String(refName.dropFirst(10)) }
        return refName
    }

    /// Levenshtein distance over characters, for "did you mean".
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
