import Foundation
import Testing
@testable import TetherGit

/// Checkouts after the first are made by recycling an older one and applying the tree diff
/// (or by hard-linking unchanged files). Each one must equal `git archive` of its commit, and
/// the checkout it replaced must not change, although the two share inodes.
@Suite("checkouts made from the tree diff", .timeLimit(.minutes(1)))
struct CheckoutUpdateTests {
    /// One step of history: a shell script run in the work tree, then a commit.
    struct Step: Sendable {
        var message: String
        var script: String
    }

    static let steps = [
        Step(message: "kinds of entries", script: """
            mkdir -p bulk && for i in $(seq 200); do echo "unchanged $i" > bulk/file$i; done
            mkdir -p a/b c d && echo one > a/b/f && echo two > a/g && echo run > c/tool && chmod +x c/tool
            echo same > d/x && echo keep > keep && ln -s a/g link
            """),
        Step(message: "modify, delete, add, exec bit", script: """
            echo one-changed > a/b/f && rm a/g && mkdir -p new/deep && echo added > new/deep/h
            chmod -x c/tool && chmod +x keep
            """),
        Step(message: "file to directory, directory to file, symlink retarget", script: """
            rm -r d && echo now-a-file > d && rm keep && mkdir keep && echo inside > keep/k
            rm link && ln -s new/deep/h link
            """),
        Step(message: "back again", script: """
            rm d && mkdir d && echo same > d/x && rm -r keep && echo keep > keep && rm -r new
            """),
        Step(message: "symlink to file, exec bit on unchanged content", script: """
            rm link && echo plain > link && chmod +x a/b/f
            """),
    ]

    @Test("every checkout equals git archive of its commit; the replaced one is untouched")
    func checkoutsMatchArchive() async throws {
        let fixture = try FixtureRepository()
        let (cache, log) = makeCache()
        let cacheDirectory = TemporaryDirectory("cache")
        let source = try GitSource("file://" + fixture.served)
        let options = GitSourceOptions(cacheDirectory: cacheDirectory.path, timeouts: testTimeouts)
        var previous = try await cache.sync(source, options: options)
        for step in Self.steps {
            try shell(["sh", "-ec", step.script], in: fixture.work)
            let sha = try fixture.commit(files: [:], message: step.message)
            try fixture.push()
            let checkout = try await cache.sync(source, options: options)
            #expect(checkout.revision?.sha == sha)
            #expect(try snapshot(checkout.directory) == (try archive(fixture, sha)), "\(step.message)")
            #expect(try snapshot(previous.directory) == (try archive(fixture, previous.revision!.sha)), "previous after \(step.message)")
            previous = checkout
        }
        // Every update recycled an older checkout (nothing hard-linked, no full write). The
        // recycled one is two commits behind, so from the third update on, none of which
        // touches bulk/, only a handful of files are written.
        let counts = log.records.filter { $0.message == "git checkout written" }.map { record in
            (written: Self.number("git.files_written", in: record.metadata), linked: Self.number("git.files_linked", in: record.metadata))
        }
        #expect(counts.count == Self.steps.count + 1)
        #expect(counts.dropFirst().allSatisfy { $0.linked == 0 }, "\(counts)")
        #expect(counts.dropFirst(3).allSatisfy { $0.written < 10 }, "\(counts)")
    }

    static func number(_ key: String, in metadata: String) -> Int {
        metadata.split(separator: " ").first { $0.hasPrefix(key + "=") }.flatMap { Int($0.dropFirst(key.count + 1)) } ?? -1
    }

    /// Path to a description of each entry: `d`, `l -> target`, or `f <x|-> content`.
    func snapshot(_ root: String) throws -> [String: String] {
        var result: [String: String] = [:]
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: root) else { return result }
        while let path = enumerator.nextObject() as? String {
            let full = root + "/" + path
            let attributes = try manager.attributesOfItem(atPath: full)
            switch attributes[.type] as? FileAttributeType {
            case .typeDirectory?:
                result[path] = "d"
            case .typeSymbolicLink?:
                result[path] = "l -> " + (try manager.destinationOfSymbolicLink(atPath: full))
            default:
                let executable = ((attributes[.posixPermissions] as? Int ?? 0) & 0o100) != 0
                result[path] = "f \(executable ? "x" : "-") " + (try String(contentsOfFile: full, encoding: .utf8))
            }
        }
        return result
    }

    /// The tree of `sha` as `git archive` writes it.
    func archive(_ fixture: FixtureRepository, _ sha: String) throws -> [String: String] {
        let directory = TemporaryDirectory("archive")
        try shell(["sh", "-ec", "git -C '\(fixture.served)' archive '\(sha)' | tar -x -C '\(directory.path)'"])
        return try snapshot(directory.path)
    }
}
