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

        let stop = ManagedFlag()
        let reader = Task.detached { () -> (snapshots: Int, mixed: Int) in
            var snapshots = 0, mixed = 0
            while !stop.isSet {
                // A reader resolves `current` once and reads one directory.
                guard let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: link) else { continue }
                let directory = (link as NSString).deletingLastPathComponent + "/" + resolved
                var seen = Set<String>()
                for file in files {
                    if let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8) { seen.insert(text) }
                }
                snapshots += 1
                if seen.count > 1 { mixed += 1 }
            }
            return (snapshots, mixed)
        }
        for round in 0..<8 {
            let revision = round % 2 == 0 ? "B" : "A"
            try fixture.commit(files: Dictionary(uniqueKeysWithValues: files.map { ($0, "rev: \(revision)\n") }), message: "round \(round)")
            try fixture.push()
            let checkout = try await cache.sync(source, options: options)
            #expect(checkout.changed)
        }
        stop.set()
        let outcome = await reader.value
        #expect(outcome.snapshots > 0)
        #expect(outcome.mixed == 0)
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
