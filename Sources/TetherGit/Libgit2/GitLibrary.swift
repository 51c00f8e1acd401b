internal import CGit2
import Foundation

/// Process-wide libgit2 setup.
package enum GitLibrary {
    /// Initialises libgit2 once for the process and installs Tether's deadline-aware socket
    /// stream. Idempotent and thread-safe: later calls return at once.
    ///
    /// It also sets `SIGPIPE` to ignored, because libssh2 and TLS writes to a peer that has
    /// gone away would otherwise kill the process.
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
    /// On 1.5 and 1.6 this is `false` and Tether fetches the single pinned ref at full depth.
    /// The headers Tether compiles against are 1.5, which have no `depth` field, so even on a
    /// newer runtime the fetch stays full-depth until Tether is built against 1.7 headers.
    package static var supportsShallowFetch: Bool {
        let current = version
        return current.major > 1 || (current.major == 1 && current.minor >= 7)
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

/// Runs exactly once (Swift globals are lazily initialised under `swift_once`).
private let libraryInitialized: Void = {
    git_libgit2_init()
    signal(SIGPIPE, SIG_IGN)
    if !DeadlineStream.register() {
        // Without the stream only callbacks can enforce deadlines; see docs/git.md.
    }
}()
