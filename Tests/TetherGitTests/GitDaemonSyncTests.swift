import Foundation
import Testing
@testable import TetherGit

@Suite("sync over git://", .timeLimit(.minutes(1)))
struct GitDaemonSyncTests {
    @Test("clones the default branch, then reports unchanged without fetching")
    func cloneAndNoChange() async throws {
        let fixture = try FixtureRepository()
        let served = try await ServedRepository(fixture)

        let first = try await served.sync()
        #expect(first.changed)
        #expect(first.history == .cloned)
        #expect(first.revision?.sha == (try fixture.head()))
        #expect(first.revision?.subject == "first commit")
        #expect(first.revision?.author == "Test Author <author@example.com>")
        #expect(read(first, "app/config.yaml") == "revision: 1\n")

        let second = try await served.sync()
        #expect(!second.changed)
        #expect(second.history == .unchanged)
        #expect(second.directory == first.directory)
        #expect(try await served.cache.remoteHead(served.source, options: served.options()) == (try fixture.head()))
    }
}

extension GitDaemonSyncTests {
    @Test("fetches new commits incrementally and reports a fast-forward")
    func incrementalFetch() async throws {
        let fixture = try FixtureRepository()
        let served = try await ServedRepository(fixture)
        let first = try await served.sync()

        let second = try fixture.commit(files: ["app/config.yaml": "revision: 2\n"], message: "second commit")
        try fixture.push()
        let updated = try await served.sync()
        #expect(updated.changed)
        #expect(updated.revision?.sha == second)
        #expect(updated.history == .fastForwarded(from: first.revision!.sha))
        #expect(read(updated, "app/config.yaml") == "revision: 2\n")
        #expect(updated.directory != first.directory)
        // The link moved atomically and the new checkout is read-only.
        #expect(isCurrent(updated))
        let mode = try FileManager.default.attributesOfItem(atPath: updated.directory + "/app/config.yaml")[.posixPermissions] as? Int
        #expect(mode == 0o444)
        #expect(served.log.records.contains { $0.message == "git source updated" && $0.metadata.contains("git.revision=\(second)") && $0.metadata.contains("duration.ms=") })
    }

    @Test("pins annotated and lightweight tags")
    func tags() async throws {
        let fixture = try FixtureRepository()
        let tagged = try fixture.head()
        try shell(["git", "-C", fixture.work, "tag", "-a", "v1.0.0", "-m", "release 1"])
        try shell(["git", "-C", fixture.work, "tag", "light"])
        try fixture.commit(files: ["app/config.yaml": "revision: 2\n"], message: "after tags")
        try fixture.push()
        let served = try await ServedRepository(fixture)
        for tag in ["v1.0.0", "light"] {
            let checkout = try await served.sync(.tag(tag))
            #expect(checkout.revision?.sha == tagged, "tag \(tag)")
            #expect(read(checkout, "app/config.yaml") == "revision: 1\n")
        }
    }

    @Test("pins a full commit SHA, and refuses one that is not on the branch")
    func commitPin() async throws {
        let fixture = try FixtureRepository()
        let old = try fixture.head()
        try fixture.commit(files: ["app/config.yaml": "revision: 2\n"], message: "second")
        try fixture.push()
        let served = try await ServedRepository(fixture)
        let checkout = try await served.sync(.commit(old))
        #expect(checkout.revision?.sha == old)
        #expect(read(checkout, "app/config.yaml") == "revision: 1\n")
        let again = try await served.sync(.commit(old))
        #expect(!again.changed)

        let missing = String(repeating: "ab", count: 20)
        let error = await #expect(throws: GitError.self) {
            try await served.sync(.commit(missing))
        }
        #expect(error?.code == .refNotFound)
    }

    @Test("follows the remote's default branch, whatever its name")
    func defaultBranch() async throws {
        let fixture = try FixtureRepository(branch: "trunk")
        try shell(["git", "-C", fixture.work, "checkout", "-q", "-b", "other"])
        try fixture.commit(files: ["app/config.yaml": "other\n"], message: "on other")
        try fixture.push(branch: "other")
        let served = try await ServedRepository(fixture)
        let checkout = try await served.sync()
        #expect(read(checkout, "app/config.yaml") == "revision: 1\n")
        let other = try await served.sync(.branch("other"))
        #expect(read(other, "app/config.yaml") == "other\n")
    }

    @Test("a missing branch or tag is refNotFound and the last checkout stays")
    func refNotFound() async throws {
        let fixture = try FixtureRepository()
        let served = try await ServedRepository(fixture)
        let good = try await served.sync()
        for reference in [GitReference.branch("nope"), .tag("v9")] {
            let error = await #expect(throws: GitError.self) {
                try await served.sync(reference)
            }
            #expect(error?.code == .refNotFound)
        }
        #expect(read(good, "app/config.yaml") == "revision: 1\n")
    }

    @Test("a force-pushed branch is fetched, checked out and reported")
    func forcePush() async throws {
        let fixture = try FixtureRepository()
        let base = try fixture.head()
        let doomed = try fixture.commit(files: ["app/config.yaml": "doomed\n"], message: "doomed")
        try fixture.push()
        let served = try await ServedRepository(fixture)
        _ = try await served.sync()

        try shell(["git", "-C", fixture.work, "reset", "-q", "--hard", base])
        let rewritten = try fixture.commit(files: ["app/config.yaml": "rewritten\n"], message: "rewritten")
        try fixture.push(force: true)
        let checkout = try await served.sync()
        #expect(checkout.revision?.sha == rewritten)
        #expect(checkout.history == .forcePushed(from: doomed))
        #expect(read(checkout, "app/config.yaml") == "rewritten\n")
        #expect(served.log.records.contains { $0.message.contains("force-pushed") })
    }

    @Test("a corrupted cache is detected, removed and cloned again")
    func corruptCache() async throws {
        let fixture = try FixtureRepository()
        let served = try await ServedRepository(fixture)
        let first = try await served.sync()
        let root = (first.currentLink! as NSString).deletingLastPathComponent

        // Damage 1: the object database is gone.
        try FileManager.default.removeItem(atPath: root + "/repo.git/objects")
        let healed = try await served.sync()
        #expect(healed.recoveredCorruptCache)
        #expect(read(healed, "app/config.yaml") == "revision: 1\n")

        // Damage 2: every object file is overwritten with garbage.
        let objects = root + "/repo.git/objects"
        let enumerator = FileManager.default.enumerator(atPath: objects)
        while let file = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: objects + "/" + file, isDirectory: &isDirectory), !isDirectory.boolValue {
                chmod(objects + "/" + file, 0o644)
                try Data("garbage".utf8).write(to: URL(fileURLWithPath: objects + "/" + file))
            }
        }
        try fixture.commit(files: ["app/config.yaml": "revision: 2\n"], message: "second")
        try fixture.push()
        let again = try await served.sync()
        #expect(again.recoveredCorruptCache)
        #expect(read(again, "app/config.yaml") == "revision: 2\n")
    }

    @Test("an unreachable server fails fast and the last checkout stays usable")
    func unreachable() async throws {
        let fixture = try FixtureRepository()
        let served = try await ServedRepository(fixture)
        let good = try await served.sync()
        served.daemon.stop()
        let error = await #expect(throws: GitError.self) { try await served.sync() }
        #expect(error?.code == .unreachable)
        #expect(error?.url == served.source.redactedURL)
        #expect(read(good, "app/config.yaml") == "revision: 1\n")
        #expect(isCurrent(good))
    }

    @Test("a server that accepts and never answers ends in a timeout within the deadline")
    func silentServer() async throws {
        let silent = try SilentServer()
        let cacheDir = TemporaryDirectory("cache")
        let (cache, _) = makeCache()
        let timeouts = GitTimeouts(connect: .seconds(2), idle: .seconds(1), total: .seconds(5))
        for url in ["git://127.0.0.1:\(silent.port)/repo.git", "http://127.0.0.1:\(silent.port)/repo.git"] {
            let started = ContinuousClock.now
            let error = await #expect(throws: GitError.self) {
                try await cache.sync(try GitSource(url), options: GitSourceOptions(cacheDirectory: cacheDir.path, timeouts: timeouts))
            }
            let elapsed = ContinuousClock.now - started
            #expect(error?.code == .timeout, "\(url): \(String(describing: error))")
            #expect(elapsed < timeouts.total + .seconds(2), "\(url) took \(elapsed)")
        }
    }

    @Test("the total deadline stops a slow operation")
    func totalDeadline() async throws {
        let silent = try SilentServer()
        let (cache, _) = makeCache()
        let timeouts = GitTimeouts(connect: .seconds(5), idle: .seconds(30), total: .seconds(1))
        let started = ContinuousClock.now
        let error = await #expect(throws: GitError.self) {
            _ = try await cache.remoteHead(try GitSource("git://127.0.0.1:\(silent.port)/repo.git"), options: GitSourceOptions(timeouts: timeouts))
        }
        #expect(error?.code == .timeout)
        #expect(ContinuousClock.now - started < timeouts.total + .seconds(3))
    }

    @Test("cancelling the task aborts a blocked fetch")
    func cancellation() async throws {
        let silent = try SilentServer()
        let (cache, _) = makeCache()
        let timeouts = GitTimeouts(connect: .seconds(30), idle: .seconds(30), total: .seconds(30))
        let task = Task {
            try await cache.remoteHead(try GitSource("git://127.0.0.1:\(silent.port)/repo.git"), options: GitSourceOptions(timeouts: timeouts))
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = await task.result
        #expect((try? result.get()) == nil)
        if case .failure(let error as GitError) = result { #expect(error.code == .cancelled) }
    }

    @Test("a cache directory that cannot be written is a diskWrite error; the last checkout stays")
    func diskWriteFailure() async throws {
        let fixture = try FixtureRepository()
        let served = try await ServedRepository(fixture)
        let good = try await served.sync()
        let root = (good.currentLink! as NSString).deletingLastPathComponent
        // Simulate the failure: the staging directory becomes a regular file.
        try FileManager.default.removeItem(atPath: root + "/staging")
        FileManager.default.createFile(atPath: root + "/staging", contents: Data())
        try fixture.commit(files: ["app/config.yaml": "revision: 2\n"], message: "second")
        try fixture.push()
        let error = await #expect(throws: GitError.self) { try await served.sync() }
        #expect(error?.code == .diskWrite)
        #expect(read(good, "app/config.yaml") == "revision: 1\n")

        let blocked = TemporaryDirectory("blocked")
        FileManager.default.createFile(atPath: blocked.sub("file"), contents: Data())
        let second = await #expect(throws: GitError.self) {
            try await served.cache.sync(served.source, options: GitSourceOptions(cacheDirectory: blocked.sub("file/cache"), timeouts: testTimeouts))
        }
        #expect(second?.code == .diskWrite)
    }
}
