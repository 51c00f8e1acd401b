internal import CGit2
import Foundation

/// A checkout already on disk whose unchanged files a new checkout may share.
struct ReusableCheckout {
    /// The commit the checkout holds.
    var commit: String
    /// Its directory.
    var directory: String
}

/// What `materialise` did, for logging.
struct MaterialiseCounts {
    /// Files written from blobs.
    var written = 0
    /// Files hard-linked from the previous checkout because their blob and mode are unchanged.
    var linked = 0
}

extension Repository {
    /// Writes the tree of commit `sha` into the empty directory `directory`, read-only.
    ///
    /// Files get mode 0444 (0555 when executable), directories 0555 once filled, symlinks are
    /// recreated as symlinks, and submodule entries become empty directories. Entry names are
    /// checked so a hostile tree cannot write outside `directory`.
    ///
    /// A file whose blob id and mode are the same in `previous` (matched by path, comparing
    /// the two commits' trees, so nothing is read back from disk) is hard-linked from the
    /// previous checkout instead of written. That is safe because a published checkout is
    /// never modified: its files are read-only and only ever unlinked. When a link fails
    /// (another file system, a file removed by hand) the file is written from its blob.
    /// - Parameters:
    ///   - previous: the checkout to share unchanged files with, if any.
    /// - Returns: how many files were written and linked.
    /// - Throws: `GitError` `.diskWrite` when the file system refuses a write, `.corruptCache`
    ///   when an object cannot be read.
    @discardableResult
    func materialise(commit sha: String, into directory: String, reusing previous: ReusableCheckout? = nil) throws(GitError) -> MaterialiseCounts {
        let tree = try tree(ofCommit: sha)
        defer { git_tree_free(tree) }
        // Without the previous commit's tree (pruned, or a rebuilt cache) nothing is shared.
        var previousTree: OpaquePointer?
        if let previous { previousTree = try? self.tree(ofCommit: previous.commit) }
        defer { git_tree_free(previousTree) }
        var writer = TreeWriter(repository: self)
        try writer.write(tree, to: directory, previous: previousTree.flatMap { tree in previous.map { (tree, $0.directory) } })
        return writer.counts
    }

    /// Turns `directory`, a checkout of commit `old` that nobody reads any more, into a
    /// checkout of commit `sha` by applying only the difference between the two trees.
    ///
    /// Subtrees with the same id are skipped without being visited, so the cost follows the
    /// size of the change, not of the tree. Changed files are unlinked and created anew,
    /// never rewritten in place, because their inodes may be shared (hard links) with the
    /// checkout readers are using; directories, which are never shared, are made writable
    /// while they change and read-only again after.
    /// - Returns: how many files were written.
    /// - Throws: `GitError` `.diskWrite` or `.corruptCache`, as `materialise` does; the
    ///   directory is then half-updated and must be removed.
    @discardableResult
    func update(checkoutAt directory: String, from old: String, to sha: String) throws(GitError) -> MaterialiseCounts {
        let oldTree = try tree(ofCommit: old)
        defer { git_tree_free(oldTree) }
        let newTree = try tree(ofCommit: sha)
        defer { git_tree_free(newTree) }
        var writer = TreeWriter(repository: self)
        try writer.update(directory, from: oldTree, to: newTree)
        return writer.counts
    }

    private func tree(ofCommit sha: String) throws(GitError) -> OpaquePointer? {
        do {
            return try rootTree(ofCommit: sha)
        } catch {
            throw GitError(.corruptCache, "commit \(sha) cannot be read from the cache: \(error.message).", cause: error)
        }
    }
}

/// Walks a git tree and writes it to disk; see `Repository.materialise`.
private struct TreeWriter {
    let repository: Repository
    var counts = MaterialiseCounts()

    init(repository: Repository) { self.repository = repository }

    /// - Parameter previous: the same directory's tree in the previous commit and its path in
    ///   the previous checkout.
    mutating func write(_ tree: OpaquePointer?, to directory: String, previous: (tree: OpaquePointer, path: String)?) throws(GitError) {
        let count = git_tree_entrycount(tree)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            let name = try safeName(entry)
            let path = directory + "/" + name
            let mode = git_tree_entry_filemode(entry)
            // The entry of the same name in the previous commit, when it has the same mode.
            let old = previous.flatMap { previous in
                git_tree_entry_byname(previous.tree, name).flatMap {
                    git_tree_entry_filemode($0) == mode ? (entry: $0, path: previous.path + "/" + name) : nil
                }
            }
            // An unchanged file is hard-linked from the previous checkout.
            if mode != GIT_FILEMODE_TREE, mode != GIT_FILEMODE_COMMIT, mode != GIT_FILEMODE_LINK, let old,
               git_oid_equal(git_tree_entry_id(old.entry), git_tree_entry_id(entry)) != 0,
               linkat(AT_FDCWD, old.path, AT_FDCWD, path, 0) == 0 {
                counts.linked += 1
                continue
            }
            var oldSubtree: OpaquePointer?
            if mode == GIT_FILEMODE_TREE, let old { _ = git_tree_lookup(&oldSubtree, repository.pointer, git_tree_entry_id(old.entry)) }
            defer { git_tree_free(oldSubtree) }
            try create(entry, at: path, previous: oldSubtree.flatMap { tree in old.map { (tree, $0.path) } })
        }
    }

    /// Changes `directory` from holding `old` to holding `new`; see `Repository.update`.
    mutating func update(_ directory: String, from old: OpaquePointer?, to new: OpaquePointer?) throws(GitError) {
        guard git_oid_equal(git_tree_id(old), git_tree_id(new)) == 0 else { return }
        try setMode(directory, 0o755)
        for index in 0..<git_tree_entrycount(old) {
            guard let entry = git_tree_entry_byindex(old, index) else { continue }
            let name = try safeName(entry)
            if git_tree_entry_byname(new, name) == nil { try removeEntry(directory + "/" + name) }
        }
        for index in 0..<git_tree_entrycount(new) {
            guard let entry = git_tree_entry_byindex(new, index) else { continue }
            let name = try safeName(entry)
            let path = directory + "/" + name
            let mode = git_tree_entry_filemode(entry)
            guard let previous = git_tree_entry_byname(old, name) else {
                try create(entry, at: path)
                continue
            }
            let previousMode = git_tree_entry_filemode(previous)
            if previousMode == mode && git_oid_equal(git_tree_entry_id(previous), git_tree_entry_id(entry)) != 0 { continue }
            if previousMode == GIT_FILEMODE_TREE && mode == GIT_FILEMODE_TREE {
                let oldSubtree = try lookupTree(previous, path)
                defer { git_tree_free(oldSubtree) }
                let newSubtree = try lookupTree(entry, path)
                defer { git_tree_free(newSubtree) }
                try update(path, from: oldSubtree, to: newSubtree)
            } else {
                try removeEntry(path)
                try create(entry, at: path)
            }
        }
        try setMode(directory, 0o555)
    }

    /// Writes one new entry of any kind (a whole subtree for a directory, linking the files
    /// `previous` holds unchanged).
    private mutating func create(_ entry: OpaquePointer, at path: String,
                                 previous: (tree: OpaquePointer, path: String)? = nil) throws(GitError) {
        let mode = git_tree_entry_filemode(entry)
        switch mode {
        case GIT_FILEMODE_TREE:
            try makeDirectory(path)
            let subtree = try lookupTree(entry, path)
            defer { git_tree_free(subtree) }
            try write(subtree, to: path, previous: previous)
            try setMode(path, 0o555)
        case GIT_FILEMODE_COMMIT:
            try makeDirectory(path)
        case GIT_FILEMODE_LINK:
            try makeSymlink(entry, at: path)
        default:
            try writeBlob(entry, to: path, executable: mode == GIT_FILEMODE_BLOB_EXECUTABLE)
            counts.written += 1
        }
    }

    /// Unlinks a file or symlink, or removes a directory tree.
    private func removeEntry(_ path: String) throws(GitError) {
        if unlink(path) == 0 { return }
        guard errno == EISDIR || errno == EPERM else { throw diskError("remove", path) }
        CacheLayout.removeTree(path)
        guard access(path, F_OK) != 0 else { throw diskError("remove", path) }
    }

    private func lookupTree(_ entry: OpaquePointer, _ path: String) throws(GitError) -> OpaquePointer? {
        var tree: OpaquePointer?
        guard git_tree_lookup(&tree, repository.pointer, git_tree_entry_id(entry)) == 0 else {
            throw GitError(.corruptCache, "tree '\(path)' cannot be read: \(lastFailure(-1).message).")
        }
        return tree
    }

    /// The entry's name, refused when it could escape the checkout.
    private func safeName(_ entry: OpaquePointer) throws(GitError) -> String {
        let name = String(cString: git_tree_entry_name(entry))
        guard !name.isEmpty, name != ".", name != "..", name != ".git", !name.contains("/") else {
            throw GitError(.corruptCache, "the tree contains an unsafe entry name '\(name)'. The repository is refused.")
        }
        return name
    }

    private func makeSymlink(_ entry: OpaquePointer, at path: String) throws(GitError) {
        let target = try blobContent(entry, path)
        guard symlink(String(decoding: target, as: UTF8.self), path) == 0 else { throw diskError("create symlink", path) }
    }

    private func blobContent(_ entry: OpaquePointer, _ path: String) throws(GitError) -> [UInt8] {
        try withBlob(entry, path) { [UInt8]($0) }
    }

    /// Lends the blob's bytes to `body` without copying them.
    private func withBlob<T>(_ entry: OpaquePointer, _ path: String, _ body: (UnsafeRawBufferPointer) throws(GitError) -> T) throws(GitError) -> T {
        var blob: OpaquePointer?
        guard git_blob_lookup(&blob, repository.pointer, git_tree_entry_id(entry)) == 0, let blob else {
            throw GitError(.corruptCache, "file '\(path)' cannot be read from the cache: \(lastFailure(-1).message).")
        }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        return try body(UnsafeRawBufferPointer(start: size > 0 ? git_blob_rawcontent(blob) : nil, count: size))
    }

    private func writeBlob(_ entry: OpaquePointer, to path: String, executable: Bool) throws(GitError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, executable ? 0o555 : 0o444)
        guard fd >= 0 else { throw diskError("create", path) }
        defer { close(fd) }
        let failed = try withBlob(entry, path) { (bytes: UnsafeRawBufferPointer) -> Bool in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return true }
                offset += written
            }
            return false
        }
        if failed { throw diskError("write", path) }
    }

    private func makeDirectory(_ path: String) throws(GitError) {
        guard mkdir(path, 0o755) == 0 else { throw diskError("create directory", path) }
    }

    private func setMode(_ path: String, _ mode: mode_t) throws(GitError) {
        guard chmod(path, mode) == 0 else { throw diskError("set permissions of", path) }
    }

    private func diskError(_ verb: String, _ path: String) -> GitError {
        let reason = String(cString: strerror(errno))
        return GitError(.diskWrite, "could not \(verb) '\(path)': \(reason). Free disk space or fix permissions of the cache directory.")
    }
}
