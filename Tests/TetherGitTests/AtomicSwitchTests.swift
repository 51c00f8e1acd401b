import Foundation
import Testing
@testable import TetherGit

@Suite("atomic checkout switch", .timeLimit(.minutes(1)))
struct AtomicSwitchTests {
    @Test("a concurrent reader never sees files from two revisions")
    func readerNeverSeesMix() async throws {
        let fixture = try FixtureRepository()
        let files = (0..<40).map { "manifests/file\($0).yaml" }
        try fixture.commit(files: Dictionary(uniqueKeysWithValues: files.map { ($0, "rev: A\n") }), message: "A")
        try fixture.push()
        let (cache, _) = makeCache()
        let cacheDir = TemporaryDirectory("cache")
        let source = try GitSource("file://" + fixture.served)
        let options = GitSourceOptions(cacheDirectory: cacheDir.path)
        let first = try await cache.sync(source, options: options)
        let link = try #require(first.currentLink)

        // The reader runs on its own thread, not the cooperative pool (it never suspends).
        let stop = ManagedFlag()
        let outcome = ReaderOutcome()
        let finished = ManagedFlag()
        let reader = Thread {
            while !stop.isSet {
                // A reader resolves `current` once and reads one directory.
                guard let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: link) else { continue }
                let directory = (link as NSString).deletingLastPathComponent + "/" + resolved
                var seen = Set<String>()
                for file in files {
                    if let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8) { seen.insert(text) }
                }
                outcome.record(mixed: seen.count > 1)
            }
            finished.set()
        }
        reader.start()
        for round in 0..<8 {
            let revision = round % 2 == 0 ? "B" : "A"
            try fixture.commit(files: Dictionary(uniqueKeysWithValues: files.map { ($0, "rev: \(revision)\n") }), message: "round \(round)")
            try fixture.push()
            let checkout = try await cache.sync(source, options: options)
            #expect(checkout.changed)
        }
        stop.set()
        while !finished.isSet { try await Task.sleep(for: .milliseconds(10)) }
        #expect(outcome.counts.snapshots > 0)
        #expect(outcome.counts.mixed == 0)
        // Only the current and the previous checkout are kept.
        let root = (link as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/checkouts").count == 2)
    }
}

/// A flag shared between the test and its reader task.
final class ManagedFlag: @unchecked Sendable {  // `value` is guarded by `lock`
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// Counts of reader snapshots, shared with the reader thread.
final class ReaderOutcome: @unchecked Sendable {  // fields are guarded by `lock`
    private let lock = NSLock()
    private var snapshots = 0
    private var mixed = 0
    func record(mixed isMixed: Bool) { lock.withLock { snapshots += 1; if isMixed { mixed += 1 } } }
    var counts: (snapshots: Int, mixed: Int) { lock.withLock { (snapshots, mixed) } }
}
