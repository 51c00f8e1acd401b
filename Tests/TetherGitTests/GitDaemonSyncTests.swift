import Foundation
import Testing
@testable import TetherGit

@Suite("sync over git://", .timeLimit(.minutes(1)))
struct GitDaemonSyncTests {
    @Test("clones the default branch, then reports unchanged without fetching")
    func cloneAndNoChange() async throws {
        let fixture = try FixtureRepository()
        let daemon = try await GitDaemon(basePath: fixture.base)
        let cacheDir = TemporaryDirectory("cache")
        let (cache, _) = makeCache()
        let source = try GitSource(daemon.url())
        let options = GitSourceOptions(cacheDirectory: cacheDir.path, timeouts: testTimeouts)

        let first = try await cache.sync(source, options: options)
        #expect(first.changed)
        #expect(first.history == .cloned)
        #expect(first.revision?.sha == (try fixture.head()))
        #expect(first.revision?.subject == "first commit")
        #expect(first.revision?.author == "Test Author <author@example.com>")
        #expect(read(first, "app/config.yaml") == "revision: 1\n")

        let second = try await cache.sync(source, options: options)
        #expect(!second.changed)
        #expect(second.history == .unchanged)
        #expect(second.directory == first.directory)
        #expect(try await cache.remoteHead(source, options: options) == (try fixture.head()))
    }
}
