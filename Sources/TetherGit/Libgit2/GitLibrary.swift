internal import CGit2
import Foundation

/// Process-wide libgit2 setup.
package enum GitLibrary {
    /// Initialises libgit2 once for the process and installs Tether's deadline-aware socket
    /// stream. Idempotent and thread-safe: later calls return at once.
    ///
    /// It also sets `SIGPIPE` to ignored, because libssh2 and TLS writes to a peer that has
    /// gone away would otherwise kill the process, and empties libgit2's configuration search
    /// paths (see `isolateFromUserConfiguration`).
    package static func initialize() {
        _ = libraryInitialized
    }

    /// The linked libgit2 version, read at run time with `git_libgit2_version`.
    package static var version: (major: Int, minor: Int, revision: Int) {
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        git_libgit2_version(&major, &minor, &revision)
        return (Int(major), Int(minor), Int(revision))
    }

    /// Whether the linked libgit2 can fetch shallow (`git_fetch_options.depth`, 1.7 and later).
    ///
    /// Both the headers Tether was compiled against and the library loaded at run time must be
    /// 1.7 or later (the soname ties them together). When `true`, the first fetch of a branch or
    /// tag asks for depth 1 and later fetches are incremental on top of it; when `false` (1.5 and
    /// 1.6, as on Debian 12) the single pinned ref is fetched at full depth. A commit-SHA pin
    /// always fetches full depth, because the SHA must be found in the branch's history.
    package static var supportsShallowFetch: Bool {
        let current = version
        let runtime = current.major > 1 || (current.major == 1 && current.minor >= 7)
        return runtime && tether_git_fetch_depth_supported() != 0
    }

    /// Whether the linked libgit2 was built with SSH (libssh2) support.
    package static var supportsSSH: Bool {
        initialize()
        return git_libgit2_features() & Int32(GIT_FEATURE_SSH.rawValue) != 0
    }

    /// Whether the linked libgit2 was built with HTTPS support.
    package static var supportsHTTPS: Bool {
        initialize()
        return git_libgit2_features() & Int32(GIT_FEATURE_HTTPS.rawValue) != 0
    }
}

extension GitLibrary {
    /// The configuration levels libgit2 would read from outside the cache repository.
    private static let outsideLevels = [GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM,
                                        GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL]

    /// Points libgit2's system, XDG, global and program-data configuration search paths at
    /// nothing, so `/etc/gitconfig`, `~/.gitconfig` and `$XDG_CONFIG_HOME/git/config` are never
    /// read. Without this a user's `url.<base>.insteadOf` would silently send the ls-remote
    /// and the fetch to another server, and settings such as `core.*` or `http.*` could
    /// change what Tether does. Only the cache
    /// repository's own `config`, which Tether writes, is read. Process-wide.
    /// - Returns: whether every level was emptied.
    @discardableResult
    static func isolateFromUserConfiguration() -> Bool {
        outsideLevels.allSatisfy { tether_git_set_search_path($0, "") == 0 }
    }

    /// The configuration search paths libgit2 uses for the levels outside the repository, in
    /// the order program data, system, XDG, global. Empty strings once Tether has
    /// isolated libgit2 from the user's configuration.
    package static var configurationSearchPaths: [String] {
        initialize()
        return outsideLevels.map { level in
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            guard tether_git_get_search_path(level, &buffer) == 0, let pointer = buffer.ptr else { return "?" }
            return String(cString: pointer)
        }
    }
}

/// Runs exactly once (Swift globals are lazily initialised under `swift_once`).
private let libraryInitialized: Void = {
    git_libgit2_init()
    signal(SIGPIPE, SIG_IGN)
    GitLibrary.isolateFromUserConfiguration()
    if !DeadlineStream.register() {
        // Without the stream only callbacks can enforce deadlines; see docs/git.md.
    }
}()
