/// Decides whether a pushed ref is the one the daemon follows, so pushes to other
/// branches are answered without a sync.
package struct RefFilter: Sendable, Equatable {
    private enum Tracked: Sendable, Equatable {
        /// The remote's default branch: matched against the payload's default branch when it
        /// names one, otherwise every push matches.
        case defaultBranch
        case ref(String)
        /// A commit id: no push can move it.
        case commit
    }

    private let tracked: Tracked

    /// - Parameter trackedRef: what `--ref` says: `nil` (the default branch), a branch
    ///   name (`main`), `branch:NAME`, `tag:NAME`, a full ref (`refs/heads/main`) or a
    ///   40-hex-digit commit id.
    package init(trackedRef: String?) {
        guard let ref = trackedRef, !ref.isEmpty else {
            tracked = .defaultBranch
            return
        }
        if ref.hasPrefix("refs/") {
            tracked = .ref(ref)
        } else if ref.hasPrefix("tag:") {
            tracked = .ref("refs/tags/" + ref.dropFirst(4))
        } else if ref.hasPrefix("branch:") {
            tracked = .ref("refs/heads/" + ref.dropFirst(7))
        } else if ref.utf8.count == 40, ref.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) {
            tracked = .commit
        } else {
            tracked = .ref("refs/heads/" + ref)
        }
    }

    /// Whether a push of `ref` concerns the tracked ref.
    /// - Parameters:
    ///   - ref: the payload's full ref; `nil` (the sender did not say) always matches.
    ///   - defaultBranch: the repository's default branch from the payload, when present.
    package func matches(ref: String?, defaultBranch: String?) -> Bool {
        guard let ref else { return tracked != .commit }
        switch tracked {
        case .commit: return false
        case .ref(let expected): return ref == expected
        case .defaultBranch:
            guard let defaultBranch, !defaultBranch.isEmpty else { return true }
            return ref == "refs/heads/" + defaultBranch
        }
    }
}
