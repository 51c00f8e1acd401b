package import Foundation

/// A resolved commit.
package struct GitRevision: Sendable, Hashable, CustomStringConvertible {
    /// The full 40-hex commit SHA.
    package var sha: String
    /// `Name <email>` of the author.
    package var author: String
    /// Author date.
    package var date: Date
    /// First line of the commit message.
    package var subject: String
    /// For a directory source that is a git work tree: the paths that differ from this
    /// commit (uncommitted edits and untracked files), which were read as they are.
    /// Empty for a clean tree and for every fetched source.
    package var uncommitted: [String] = []

    /// Whether the files read are not exactly this commit (`uncommitted` is not empty).
    package var isDirty: Bool { !uncommitted.isEmpty }

    /// The revision as every output records it: the SHA, with `-dirty` appended when the
    /// files read include uncommitted edits (as `git describe --dirty` does), so a report
    /// never passes a work tree off as a commit.
    package var label: String { isDirty ? "\(sha)-dirty" : sha }

    package var description: String { label }
}

/// How the pinned ref moved since the previous sync.
package enum GitHistoryChange: Sendable, Hashable {
    /// First sync into this cache (or after the cache was rebuilt).
    case cloned
    /// Nothing moved.
    case unchanged
    /// The ref moved forward (the new commit descends from the old one).
    case fastForwarded(from: String)
    /// The ref moved to a commit that does not descend from the old one (force push).
    case forcePushed(from: String)
}

/// The result of a sync: where the files are and which commit they are.
package struct GitCheckout: Sendable {
    /// The checkout directory of this revision. It does not change while this revision stays
    /// current; readers should resolve `current` once and read from one directory.
    package var directory: String
    /// The stable `current` symlink that always points at the latest checkout (nil for a
    /// local directory source, which is used in place).
    package var currentLink: String?
    /// The resolved commit; nil for a local directory that is not a git work tree.
    package var revision: GitRevision?
    /// Whether the checkout differs from the one before this call.
    package var changed: Bool
    /// How the ref moved.
    package var history: GitHistoryChange
    /// True when a damaged cache was found, removed and cloned again during this call.
    package var recoveredCorruptCache: Bool
}
