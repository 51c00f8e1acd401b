import Foundation
import Testing

/// `dependsOn` in `tether.yaml`: `sync --config` syncs a target only after the targets it
/// depends on have synced and become ready; a target whose dependency failed is not synced.
@Suite("tether.yaml dependsOn in sync --config", .serialized, .timeLimit(.minutes(2)))
struct TargetDependencyTests {
    /// A scratch directory holding `tether.yaml` with `text`.
    static func config(_ text: String) throws -> (URL, String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tether-deps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let file = root.appendingPathComponent("tether.yaml").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return (root, file)
    }

    /// How many writes (apply, create, patch) the emulator has answered.
    static func writes(_ emulator: SyncCommandTests.Emulator) throws -> Int {
        try emulator.audit().filter { ["apply", "create", "patch", "update"].contains($0["verb"] as? String ?? "") }.count
    }

    @Test("a target waits for its dependency, which is waited on until ready; both succeed")
    func dependencySucceeds() throws {
        let base = try SyncCommandTests.Emulator(), app = try SyncCommandTests.Emulator()
        let (root, file) = try Self.config("""
            targets:
            - name: app
              path: overlays-example/overlays/gcp
              server: \(app.url)
              dependsOn: base
            - name: base
              path: overlays-example/overlays/aws
              server: \(base.url)

            """)
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try CLI.run(["sync", "--source", ".", "--config", file, "--output", "json"])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let rows = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])["targets"] as? [[String: Any]]
        #expect(rows?.map { $0["name"] as? String } == ["app", "base"], "rows keep the file's order: \(result.stdout)")
        #expect(rows?.allSatisfy { $0["succeeded"] as? Bool == true } == true, "\(result.stdout)")
        #expect(try Self.writes(base) > 0 && Self.writes(app) > 0)
    }

    @Test("a target whose dependency failed is not synced: its cluster gets no write, its row names the dependency")
    func dependencyFails() throws {
        let app = try SyncCommandTests.Emulator()
        let (root, file) = try Self.config("""
            targets:
            - name: base
              path: no/such/overlay
              server: \(app.url)
            - name: app
              path: overlays-example/overlays/gcp
              server: \(app.url)
              dependsOn: [base]

            """)
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try CLI.run(["sync", "--source", ".", "--config", file])
        #expect(result.status == 2, "the worst row is the render error of base: \(result.stdout) \(result.stderr)")
        #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix("app ") && $0.contains("failed") && $0.contains("depends on 'base'") },
                "\(result.stdout)")
        #expect(try Self.writes(app) == 0, "app was not synced")
    }

    @Test("unknown dependencies and cycles are refused before anything is synced, exit 2", arguments: [
        ("- name: a\n  path: x\n  dependsOn: nope\n", "depends on 'nope', which is not a target of this file"),
        ("- name: a\n  path: x\n  dependsOn: a\n", "depends on 'a', itself"),
        ("- name: a\n  path: x\n  dependsOn: b\n- name: b\n  path: y\n  dependsOn: [a]\n", "form a cycle: a → b → a"),
    ])
    func refused(_ targets: String, _ expected: String) throws {
        let (root, file) = try Self.config("targets:\n" + targets)
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try CLI.run(["sync", "--source", ".", "--config", file, "--server", "http://127.0.0.1:1"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }
}
