import Foundation
import Testing
@testable import TetherGit

/// A real full disk: the cache lives on a 4 MiB tmpfs. Needs root (mount); skipped otherwise.
@Suite("disk full", .timeLimit(.minutes(1)), .enabled(if: SmallFileSystem.available, "needs root to mount a tmpfs"))
struct DiskFullTests {
    @Test("a checkout that does not fit is a diskWrite error; the last checkout stays and nothing is left half-written")
    func checkoutDoesNotFit() async throws {
        let disk = try SmallFileSystem(megabytes: 4)
        let fixture = try FixtureRepository()
        let served = try await ServedRepository(fixture)
        let options = GitSourceOptions(cacheDirectory: disk.path, timeouts: testTimeouts)
        let good = try await served.cache.sync(served.source, options: options)

        // 8 MiB of zeros: a tiny pack, but a file that cannot be written.
        try shell(["sh", "-c", "head -c 8388608 /dev/zero > '\(fixture.work)/zeros.bin'"])
        try fixture.commit(files: ["app/config.yaml": "revision: 2\n"], message: "too big to check out")
        try fixture.push()
        let error = await #expect(throws: GitError.self) { try await served.cache.sync(served.source, options: options) }
        #expect(error?.code == .diskWrite, "\(String(describing: error))")
        #expect(error?.message.contains("No space left on device") == true)
        #expect(read(good, "app/config.yaml") == "revision: 1\n")
        let root = (good.currentLink! as NSString).deletingLastPathComponent
        #expect(isCurrent(good))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/staging").isEmpty)
        disk.unmount()
    }

    @Test("a pack that does not fit is a diskWrite error and the last checkout stays")
    func packDoesNotFit() async throws {
        let disk = try SmallFileSystem(megabytes: 4)
        let fixture = try FixtureRepository()
        let served = try await ServedRepository(fixture)
        let options = GitSourceOptions(cacheDirectory: disk.path, timeouts: testTimeouts)
        let good = try await served.cache.sync(served.source, options: options)

        try shell(["sh", "-c", "head -c 8388608 /dev/urandom > '\(fixture.work)/random.bin'"])
        try fixture.commit(files: ["app/config.yaml": "revision: 2\n"], message: "too big to fetch")
        try fixture.push()
        let error = await #expect(throws: GitError.self) { try await served.cache.sync(served.source, options: options) }
        #expect(error?.code == .diskWrite, "\(String(describing: error))")
        #expect(error?.message.contains("No space left on device") == true)
        #expect(error?.message.contains("Free disk space") == true)
        #expect(!served.log.allText.contains("damaged"), "a full disk must not throw the cache away")
        #expect(read(good, "app/config.yaml") == "revision: 1\n")
        #expect(isCurrent(good))
        disk.unmount()
    }
}

/// A tmpfs of a few megabytes mounted on a temporary directory, unmounted on release.
final class SmallFileSystem: Sendable {
    let directory: TemporaryDirectory
    var path: String { directory.path }

    init(megabytes: Int) throws {
        directory = TemporaryDirectory("tmpfs")
        try shell(["mount", "-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", directory.path])
    }

    deinit { unmount() }

    /// Unmounts; call it at the end of a test, so the file system outlives every use.
    func unmount() { _ = try? shell(["umount", "-l", directory.path]) }

    /// Whether this process may mount a tmpfs (root, and not forbidden by the sandbox).
    static let available: Bool = {
        guard geteuid() == 0, let probe = try? SmallFileSystem(megabytes: 1) else { return false }
        _ = probe
        return true
    }()
}
