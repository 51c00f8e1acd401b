import TetherGit

/// What a directory source with uncommitted edits means, said once on standard error by
/// every command that reads it (standard output keeps the report; its revision carries
/// `-dirty`). The daemon polls commits, so it must be told too.
enum UncommittedWarning {
    /// The paths named before "and N more".
    static let listed = 3

    /// The warning for `revision`, or nil when the tree is clean.
    /// - Parameters:
    ///   - revision: the revision read (nil for a directory that is not a git work tree).
    ///   - source: the directory, as the user named it.
    static func text(_ revision: GitRevision?, source: GitSource) -> String? {
        guard let revision, revision.isDirty else { return nil }
        let count = revision.uncommitted.count
        var paths = revision.uncommitted.prefix(listed).joined(separator: ", ")
        if count > listed { paths += " and \(count - listed) more" }
        return """
            warning: \(source.redactedURL) has uncommitted changes (\(count) \(count == 1 ? "path" : "paths"): \(paths)); \
            they are read as they are and recorded as revision \(String(revision.sha.prefix(12)))-dirty. \
            tether run reacts to commits only: it applies later edits at its next full resync (--resync), \
            so commit them (or pass a remote --source) for a daemon to follow them.
            """
    }
}
