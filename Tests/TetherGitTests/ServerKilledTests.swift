import Foundation
import Testing
@testable import TetherGit

@Suite("server killed in the middle of a fetch", .timeLimit(.minutes(1)))
struct ServerKilledTests {
    @Test("killing the server mid-pack is an unreachable error; the last checkout stays, and the next sync recovers")
    func killedMidFetch() async throws {
        let fixture = try FixtureRepository()
        let daemon = try await GitDaemon(basePath: fixture.base)
        let files = TemporaryDirectory("killed")
        // 8 MiB of random bytes do not compress: at 2 MiB/s the pack takes about 4 s.
        let proxy = try await ThrottledProxy(targetPort: daemon.port, bytesPerSecond: 2 << 20, directory: files)
        let source = try GitSource("git://127.0.0.1:\(proxy.port)/repo.git")
        let (cache, _) = makeCache()
        let options = GitSourceOptions(cacheDirectory: files.sub("cache"), timeouts: GitTimeouts(connect: .seconds(3), idle: .seconds(10), total: .seconds(40)))
        let good = try await cache.sync(source, options: options)

        try shell(["sh", "-c", "head -c 8388608 /dev/urandom > '\(fixture.work)/blob.bin'"])
        let large = try fixture.commit(files: ["app/config.yaml": "revision: 2\n"], message: "large commit")
        try fixture.push()
        let sync = Task { try await cache.sync(source, options: options) }
        let deadline = ContinuousClock.now + .seconds(20)
        while !proxy.madeProgress && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(proxy.madeProgress, "the fetch never started sending the pack")
        proxy.kill()

        let result = await sync.result
        guard case .failure(let failure) = result, let error = failure as? GitError else {
            Issue.record("the sync did not fail: \(result)")
            return
        }
        #expect(error.code == .unreachable, "\(error)")
        #expect(error.url == source.redactedURL)
        #expect(read(good, "app/config.yaml") == "revision: 1\n")
        #expect(isCurrent(good))

        // The server comes back on the same address: the next sync fetches the commit.
        let restarted = try await ThrottledProxy(port: proxy.port, targetPort: daemon.port, bytesPerSecond: 0, directory: files)
        let recovered = try await cache.sync(source, options: options)
        #expect(recovered.revision?.sha == large)
        #expect(FileManager.default.fileExists(atPath: recovered.directory + "/blob.bin"))
        #expect(recovered.history == .fastForwarded(from: good.revision!.sha))
        restarted.kill()
    }
}
