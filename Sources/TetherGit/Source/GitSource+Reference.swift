import Foundation

extension GitSource {
    /// The source that checks out `reference`: a local directory is read as it is, so
    /// asking it for a ref only makes sense when it is a Git work tree, which is then read
    /// through Git (as `file://`, giving the committed tree of that ref).
    /// - Parameters:
    ///   - reference: the ref asked for; `.defaultBranch` leaves every source as it is.
    ///   - flag: how the caller names the ref setting in the error (`--ref`).
    ///   - written: the ref as the user wrote it.
    /// - Returns: `self`, or a `file://` source for a work tree and a specific ref.
    /// - Throws: `GitError` `.invalidInput` when a plain directory (not a Git work tree) is
    ///   asked for a ref: ignoring it would render something other than what was asked for.
    package func checkingOut(_ reference: GitReference, flag: String, written: String) throws(GitError) -> GitSource {
        guard kind == .localDirectory, reference != .defaultBranch else { return self }
        let directory = URL(fileURLWithPath: (path as NSString).standardizingPath).standardizedFileURL.path
        guard Repository.openWorkTree(at: directory) != nil else {
            throw GitError(.invalidInput, """
                \(directory) is a plain directory, not a Git work tree, so it has no \(reference) to check out \
                (\(flag) \(written)). Leave out \(flag) to use the directory as it is, or point the source at a Git repository
                """, url: redactedURL)
        }
        return try GitSource("file://" + directory)
    }
}
