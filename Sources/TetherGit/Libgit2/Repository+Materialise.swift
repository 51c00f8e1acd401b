internal import CGit2
import Foundation

extension Repository {
    /// Writes the tree of commit `sha` into the empty directory `directory`, read-only.
    ///
    /// Files get mode 0444 (0555 when executable), directories 0555 once filled, symlinks are
    /// recreated as symlinks, and submodule entries become empty directories. Entry names are
    /// checked so a hostile tree cannot write outside `directory`.
    /// - Throws: `GitError` `.diskWrite` when the file system refuses a write, `.corruptCache`
    ///   when an object cannot be read.
    func materialise(commit sha: String, into directory: String) throws(GitError) {
        var tree: OpaquePointer?
        do {
            var oid = try GitOID(sha)
            var commit: OpaquePointer?
            try check(git_commit_lookup(&commit, pointer, &oid.raw))
            defer { git_commit_free(commit) }
            try check(git_commit_tree(&tree, commit))
        } catch {
            throw GitError(.corruptCache, "commit \(sha) cannot be read from the cache: \(error.message).", cause: error)
        }
        defer { git_tree_free(tree) }
        try writeTree(tree, to: directory)
    }

    private func writeTree(_ tree: OpaquePointer?, to directory: String) throws(GitError) {
        let count = git_tree_entrycount(tree)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            let name = String(cString: git_tree_entry_name(entry))
            guard !name.isEmpty, name != ".", name != "..", name != ".git", !name.contains("/") else {
                throw GitError(.corruptCache, "the tree contains an unsafe entry name '\(name)'. The repository is refused.")
            }
            let path = directory + "/" + name
            let mode = git_tree_entry_filemode(entry)
            switch mode {
            case GIT_FILEMODE_TREE:
                try makeDirectory(path)
                var subtree: OpaquePointer?
                guard git_tree_lookup(&subtree, pointer, git_tree_entry_id(entry)) == 0 else {
                    throw GitError(.corruptCache, "tree '\(path)' cannot be read: \(lastFailure(-1).message).")
                }
                defer { git_tree_free(subtree) }
                try writeTree(subtree, to: path)
                try setMode(path, 0o555)
            case GIT_FILEMODE_COMMIT:
                try makeDirectory(path)
            case GIT_FILEMODE_LINK:
                let target = try blobContent(entry, path)
                let text = String(decoding: target, as: UTF8.self)
                guard symlink(text, path) == 0 else { throw diskError("create symlink", path) }
            default:
                let content = try blobContent(entry, path)
                try writeFile(path, content, executable: mode == GIT_FILEMODE_BLOB_EXECUTABLE)
            }
        }
    }

    private func blobContent(_ entry: OpaquePointer, _ path: String) throws(GitError) -> [UInt8] {
        var blob: OpaquePointer?
        guard git_blob_lookup(&blob, pointer, git_tree_entry_id(entry)) == 0, let blob else {
            throw GitError(.corruptCache, "file '\(path)' cannot be read from the cache: \(lastFailure(-1).message).")
        }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: raw, count: size))
    }

    private func writeFile(_ path: String, _ content: [UInt8], executable: Bool) throws(GitError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, executable ? 0o555 : 0o444)
        guard fd >= 0 else { throw diskError("create", path) }
        defer { close(fd) }
        let failed = content.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
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
