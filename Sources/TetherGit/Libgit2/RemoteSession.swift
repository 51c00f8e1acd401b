internal import CGit2
import Foundation

/// The refs a remote advertises (an ls-remote).
struct RemoteListing: Sendable {
    /// Reference name to the object it points at, as advertised (tag objects unpeeled).
    var refs: [String: String]
    /// The full name of the branch the remote `HEAD` points at, if known.
    var defaultBranch: String?
}

/// One libgit2 remote and its connection: an ls-remote, then, when the ref moved, a fetch of
/// one refspec over the same connection. Must be used inside `OperationContext.run` on the
/// operation's dedicated thread.
///
/// Reusing the connection saves the fetch a second handshake: another `git-upload-pack`
/// process and ref advertisement on git:// and SSH (and another SSH key exchange), another
/// `info/refs` request over HTTP. An HTTP(S) session holds a `TrustAnchors` lease from
/// creation to `close`, because TLS handshakes can happen on any of its requests.
final class RemoteSession {
    private let state: CallbackState
    /// Keeps the repository the remote belongs to alive (nil for an ls-remote only session).
    private let repository: Repository?
    private var remote: OpaquePointer?
    private var lease: TrustAnchors.Lease?
    /// Extra HTTP headers (the bearer token), lent to libgit2 and wiped on `close`.
    private let headers: CStringArray

    /// Creates the remote; nothing is sent until `list` or `fetch`.
    /// - Parameters:
    ///   - repository: the cache repository to fetch into, or nil for `list` only.
    /// - Throws: `GitError` when the URL is refused, the CA file cannot be loaded, or the
    ///   deadline passes while waiting for the TLS trust store.
    init(state: CallbackState, repository: Repository?) throws(GitError) {
        self.state = state
        self.repository = repository
        var headerLines: [String] = []
        if case .bearer(let token) = state.credentials { headerLines.append("Authorization: Bearer \(token.reveal())") }
        headers = CStringArray(headerLines)
        if state.source.kind == .https || state.source.kind == .http {
            lease = try TrustAnchors.shared.lease(caFile: state.caFile, context: state.context,
                                                  failure: { state.error(for: $0, doing: "connecting") })
        }
        git_error_clear()
        do {
            if let repository {
                try check(git_remote_create_anonymous(&remote, repository.pointer, state.source.rawURL), redactor: state.source.redactor)
            } else {
                try check(git_remote_create_detached(&remote, state.source.rawURL), redactor: state.source.redactor)
            }
        } catch {
            close()
            throw state.error(for: error, doing: "connecting")
        }
    }

    deinit { close() }

    /// Disconnects, frees the remote, wipes the headers and releases the trust lease.
    func close() {
        if let remote {
            git_remote_disconnect(remote)
            git_remote_free(remote)
            self.remote = nil
        }
        headers.wipe()
        lease?.release()
        lease = nil
    }

    /// Connects and lists the remote's refs (`git_remote_connect_ext` + `git_remote_ls`); the
    /// connection stays open for `fetch`.
    /// - Throws: `GitError` for every failure, classified through `CallbackState`.
    func list() throws(GitError) -> RemoteListing {
        let action = "listing remote refs"
        state.credentialAttempts = 0
        git_error_clear()
        var options = git_remote_connect_options()
        git_remote_connect_options_init(&options, UInt32(GIT_REMOTE_CONNECT_OPTIONS_VERSION))
        state.install(into: &options.callbacks)
        options.follow_redirects = redirectPolicy
        options.custom_headers = headers.strarray
        do throws(Libgit2Failure) {
            try check(git_remote_connect_ext(remote, GIT_DIRECTION_FETCH, &options), redactor: state.source.redactor)
            var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
            var count = 0
            try check(git_remote_ls(&heads, &count, remote), redactor: state.source.redactor)
            return RemoteListing(heads: heads, count: count)
        } catch {
            throw state.error(for: error, doing: action)
        }
    }

    /// Fetches exactly one refspec (`+<remote ref>:<local ref>`) into the repository, over the
    /// connection `list` opened (or a new one); never all branches, never tags, no FETCH_HEAD.
    /// - Parameters:
    ///   - depth: commits of history to fetch; 0 for full depth. Ignored (full depth) unless
    ///     `GitLibrary.supportsShallowFetch`; libgit2 1.5 has no shallow fetch.
    /// - Throws: `GitError` for every failure, classified through `CallbackState`.
    func fetch(refspec: String, depth: Int32 = 0) throws(GitError) {
        let action = "fetching"
        state.credentialAttempts = 0
        git_error_clear()
        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        state.install(into: &options.callbacks)
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.update_fetchhead = 0
        options.prune = GIT_FETCH_NO_PRUNE
        options.follow_redirects = redirectPolicy
        options.custom_headers = headers.strarray
        if depth > 0 && GitLibrary.supportsShallowFetch { _ = tether_git_fetch_options_set_depth(&options, depth) }
        let refspecs = CStringArray([refspec])
        defer { refspecs.wipe() }
        var specs = refspecs.strarray
        do throws(Libgit2Failure) {
            try check(git_remote_download(remote, &specs, &options), redactor: state.source.redactor)
            try check(git_remote_update_tips(remote, &options.callbacks, 0, GIT_REMOTE_DOWNLOAD_TAGS_NONE, "tether: fetch"),
                      redactor: state.source.redactor)
        } catch {
            throw state.error(for: error, doing: action)
        }
    }

    /// Follows redirects to other hosts only for anonymous sources, and then only on the
    /// first request. With credentials configured (a token, a password, or user information
    /// in the URL) libgit2 refuses a `Location` on another host
    /// (`git_net_url_apply_redirect` with `allow_offsite` false), so neither the bearer
    /// header nor basic credentials can be sent there; a redirect within the same host is
    /// still followed.
    private var redirectPolicy: git_remote_redirect_t {
        state.sendsCredentials ? GIT_REMOTE_REDIRECT_NONE : GIT_REMOTE_REDIRECT_INITIAL
    }
}

extension RemoteListing {
    /// Reads the heads `git_remote_ls` returned.
    init(heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?, count: Int) {
        refs = [:]
        var headOID: String?
        for index in 0..<count {
            guard let head = heads?[index]?.pointee, let name = head.name else { continue }
            let refName = String(cString: name)
            if refName == "HEAD" {
                headOID = head.oid.hex
                defaultBranch = head.symref_target.map { String(cString: $0) }
            } else {
                refs[refName] = head.oid.hex
            }
        }
        if defaultBranch == nil, let headOID {
            // Old servers do not advertise the HEAD symref: pick a branch at the same commit.
            let candidates = refs.filter { $0.key.hasPrefix("refs/heads/") && $0.value == headOID }.keys.sorted()
            defaultBranch = candidates.first { $0 == "refs/heads/main" } ?? candidates.first { $0 == "refs/heads/master" } ?? candidates.first
        }
    }
}

/// C strings lent to libgit2 as a `git_strarray`; `wipe` zeroes and frees them (they may
/// hold the `Authorization` header).
final class CStringArray {
    private let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private var count: Int

    init(_ strings: [String]) {
        pointers = .allocate(capacity: max(1, strings.count))
        for (index, string) in strings.enumerated() { pointers[index] = strdup(string) }
        count = strings.count
    }

    deinit {
        wipe()
        pointers.deallocate()
    }

    /// The array as libgit2 takes it; valid until `wipe`.
    var strarray: git_strarray { git_strarray(strings: pointers, count: count) }

    func wipe() {
        for index in 0..<count {
            if let pointer = pointers[index] { memset(pointer, 0, strlen(pointer)); free(pointer) }
        }
        count = 0
    }
}
