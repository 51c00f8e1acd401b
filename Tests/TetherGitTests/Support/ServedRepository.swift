import Foundation
@testable import TetherGit

/// The setup most git:// tests share: a fixture repository served by `git
/// daemon`, an empty cache directory, a cache with a recording logger, and
/// the source pointing at the daemon. Holding it keeps the server and the
/// directories alive for the test.
struct ServedRepository {
    let fixture: FixtureRepository
    let daemon: GitDaemon
    let cacheDirectory: TemporaryDirectory
    let cache: GitRepositoryCache
    let log: RecordingLogHandler
    let source: GitSource

    /// Serves `fixture` (a fresh one when nil; pass one to prepare commits,
    /// tags or branches before the daemon starts).
    init(_ fixture: FixtureRepository? = nil) async throws {
        self.fixture = try fixture ?? FixtureRepository()
        daemon = try await GitDaemon(basePath: self.fixture.base)
        cacheDirectory = TemporaryDirectory("cache")
        (cache, log) = makeCache()
        source = try GitSource(daemon.url())
    }

    /// Options for this cache with the test timeouts.
    func options(_ reference: GitReference = .defaultBranch) -> GitSourceOptions {
        GitSourceOptions(reference: reference, cacheDirectory: cacheDirectory.path, timeouts: testTimeouts)
    }

    /// Syncs the source at `reference`.
    func sync(_ reference: GitReference = .defaultBranch) async throws(GitError) -> GitCheckout {
        try await cache.sync(source, options: options(reference))
    }
}
