import Foundation
import Testing
import TetherModel

@testable import TetherRender

/// Random valid trees from ``TreeGenerator`` render byte-identically with
/// Tether and `kubectl kustomize` (or both fail). Seeds are fixed so a
/// failure reproduces; set TETHER_DIFF_SEEDS to run more or fewer.
@Suite("differential against kubectl kustomize")
struct DifferentialTests {
    static var seedCount: Int { Int(ProcessInfo.processInfo.environment["TETHER_DIFF_SEEDS"] ?? "") ?? 300 }

    static func write(_ files: [String: String], to root: URL) throws {
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: false, encoding: .utf8)
        }
    }

    static func kustomize(_ directory: URL) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FixtureTests.kubectl ?? "kubectl")
        process.arguments = ["kustomize", directory.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    @Test("random trees render like kubectl kustomize", .enabled(if: FixtureTests.kubectl != nil), .timeLimit(.minutes(10)))
    func randomTrees() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("tether-diff-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: base) }
        // Generate every tree first, then run kubectl one at a time: the
        // machine has two cores shared with other builds.
        var trees: [(seed: UInt64, root: URL, build: String)] = []
        for seed in 1...UInt64(Self.seedCount) {
            var generator = TreeGenerator(seed: seed)
            let files = generator.generate()
            let root = base.appendingPathComponent("seed-\(seed)")
            try Self.write(files, to: root)
            trees.append((seed, root, generator.buildPath))
        }
        var mismatches: [UInt64] = []
        let kept = FileManager.default.temporaryDirectory.appendingPathComponent("tether-diff-failed")
        try? FileManager.default.removeItem(at: kept)
        var bothFailed = 0
        for tree in trees {
            let expected = try Self.kustomize(tree.root.appendingPathComponent(tree.build))
            let actual = try? Renderer(fileSystem: DiskFileSystem(root: tree.root.path)).renderText(tree.build)
            if expected == nil && actual == nil { bothFailed += 1 }
            if expected != actual || (expected == nil && actual == nil) {
                if expected != actual { mismatches.append(tree.seed) }
                // Keep failing trees for inspection.
                let keep = kept.appendingPathComponent("\(expected == nil && actual == nil ? "both-failed" : "mismatch")-\(tree.seed)")
                try? FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
                try? FileManager.default.removeItem(at: keep)
                try? FileManager.default.copyItem(at: tree.root, to: keep)
                try? tree.build.write(to: keep.appendingPathComponent("build-path"), atomically: false, encoding: .utf8)
            }
        }
        #expect(mismatches.isEmpty, "seeds \(mismatches) differ from kubectl kustomize; trees kept in \(kept.path)")
        #expect(bothFailed * 10 < trees.count, "\(bothFailed) of \(trees.count) trees failed in both; the generator should make valid trees")
    }
}
