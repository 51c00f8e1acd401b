internal import CGit2

extension Repository {
    /// The paths of a work tree that differ from `HEAD`: modified, added, deleted, renamed
    /// and untracked files, in git's order. Ignored files are left out, as `git status` does.
    ///
    /// A directory source renders these edits, so the revision it records is not the whole
    /// truth; `GitRevision.uncommitted` carries them to every output.
    /// - Throws: `Libgit2Failure` when the index or the work tree cannot be read.
    func uncommittedPaths() throws(Libgit2Failure) -> [String] {
        var options = git_status_options()
        try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)))
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RENAMES_HEAD_TO_INDEX.rawValue
            | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        var list: OpaquePointer?
        try check(git_status_list_new(&list, pointer, &options))
        defer { git_status_list_free(list) }
        var paths: [String] = []
        for index in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, index)?.pointee, entry.status != GIT_STATUS_CURRENT else { continue }
            let delta = entry.index_to_workdir ?? entry.head_to_index
            guard let path = delta?.pointee.new_file.path ?? delta?.pointee.old_file.path else { continue }
            paths.append(String(cString: path))
        }
        return paths
    }
}
