internal import CGit2
import Foundation

/// The refs a remote advertises (an ls-remote).
struct RemoteListing: Sendable {
    /// Reference name to the object it points at, as advertised (tag objects unpeeled).
    var refs: [String: String]
    /// The full name of the branch the remote `HEAD` points at, if known.
    var defaultBranch: String?
}

/// The network operations: ls-remote and a single-ref fetch. Must run inside
/// `OperationContext.run` on a dedicated thread.
enum RemoteOperations {
    /// Connects, lists the remote's refs and disconnects (`git_remote_connect` + `git_remote_ls`).
    /// - Throws: `GitError` for every failure, classified through `CallbackState`.
    static func list(state: CallbackState) throws(GitError) -> RemoteListing {
        let action = "listing remote refs"
        state.credentialAttempts = 0
        git_error_clear()
        var remote: OpaquePointer?
        do {
            try check(git_remote_create_detached(&remote, state.source.rawURL), redactor: state.source.redactor)
        } catch { throw state.error(for: error, doing: action) }
        defer { git_remote_free(remote) }
        var options = git_remote_connect_options()
        git_remote_connect_options_init(&options, UInt32(GIT_REMOTE_CONNECT_OPTIONS_VERSION))
        state.install(into: &options.callbacks)
        options.follow_redirects = redirectPolicy(state)
        return try withHeaders(headers(state)) { (headers: git_strarray) throws(GitError) -> RemoteListing in
            options.custom_headers = headers
            do throws(Libgit2Failure) {
                try check(git_remote_connect_ext(remote, GIT_DIRECTION_FETCH, &options), redactor: state.source.redactor)
                defer { git_remote_disconnect(remote) }
                var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
                var count = 0
                try check(git_remote_ls(&heads, &count, remote), redactor: state.source.redactor)
                var listing = RemoteListing(refs: [:], defaultBranch: nil)
                var headOID: String?
                for index in 0..<count {
                    guard let head = heads?[index]?.pointee, let name = head.name else { continue }
                    let refName = String(cString: name)
                    if refName == "HEAD" {
                        headOID = head.oid.hex
                        listing.defaultBranch = head.symref_target.map { String(cString: $0) }
                    } else {
                        listing.refs[refName] = head.oid.hex
                    }
                }
                if listing.defaultBranch == nil, let headOID {
                    // Old servers do not advertise the HEAD symref: pick a branch at the same commit.
                    let candidates = listing.refs.filter { $0.key.hasPrefix("refs/heads/") && $0.value == headOID }.keys.sorted()
                    listing.defaultBranch = candidates.first { $0 == "refs/heads/main" } ?? candidates.first { $0 == "refs/heads/master" } ?? candidates.first
                }
                return listing
            } catch {
                throw state.error(for: error, doing: action)
            }
        }
    }

    /// Fetches exactly one refspec (`+<remote ref>:<local ref>`) into `repository`; never all
    /// branches, never tags. Full depth: libgit2 1.5 has no shallow fetch.
    /// - Throws: `GitError` for every failure, classified through `CallbackState`.
    static func fetch(into repository: Repository, refspec: String, state: CallbackState) throws(GitError) {
        let action = "fetching"
        state.credentialAttempts = 0
        git_error_clear()
        var remote: OpaquePointer?
        do {
            try check(git_remote_create_anonymous(&remote, repository.pointer, state.source.rawURL), redactor: state.source.redactor)
        } catch { throw state.error(for: error, doing: action) }
        defer { git_remote_free(remote) }
        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        state.install(into: &options.callbacks)
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.update_fetchhead = 0
        options.prune = GIT_FETCH_NO_PRUNE
        options.follow_redirects = redirectPolicy(state)
        try withHeaders(headers(state)) { (headers: git_strarray) throws(GitError) in
            options.custom_headers = headers
            try withHeaders([refspec]) { (refspecs: git_strarray) throws(GitError) in
                var specs = refspecs
                do throws(Libgit2Failure) {
                    try check(git_remote_fetch(remote, &specs, &options, "tether: fetch"), redactor: state.source.redactor)
                } catch {
                    throw state.error(for: error, doing: action)
                }
            }
        }
    }

    /// Follow no redirects when credentials are configured, so they never reach another host.
    private static func redirectPolicy(_ state: CallbackState) -> git_remote_redirect_t {
        if case .none = state.credentials { return GIT_REMOTE_REDIRECT_INITIAL }
        return GIT_REMOTE_REDIRECT_NONE
    }

    private static func headers(_ state: CallbackState) -> [String] {
        if case .bearer(let token) = state.credentials { return ["Authorization: Bearer \(token.reveal())"] }
        return []
    }

    /// Lends `strings` to libgit2 as a `git_strarray` for the duration of `body`.
    private static func withHeaders<T>(_ strings: [String], _ body: (git_strarray) throws(GitError) -> T) throws(GitError) -> T {
        let pointers = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: max(1, strings.count))
        for (index, string) in strings.enumerated() { pointers[index] = strdup(string) }
        defer {
            for index in 0..<strings.count {
                // Wipe secrets (the Authorization header) before freeing.
                if let pointer = pointers[index] { memset(pointer, 0, strlen(pointer)); free(pointer) }
            }
            pointers.deallocate()
        }
        return try body(git_strarray(strings: pointers, count: strings.count))
    }
}
