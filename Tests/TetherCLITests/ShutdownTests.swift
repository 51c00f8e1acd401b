import Foundation
import Testing

/// Stopping Tether in the middle of a large sync: it ends promptly and cleanly, never
/// with a crash, and the next run converges.
@Suite("SIGTERM and SIGINT during a sync", .serialized, .timeLimit(.minutes(2)))
struct ShutdownTests {
    /// A directory with one kustomization of `count` ConfigMaps.
    static func manyObjects(_ count: Int) throws -> URL {
        let tree = FileManager.default.temporaryDirectory.appendingPathComponent("tether-many-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        try "resources: [objects.yaml]\n".write(to: tree.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        let objects = (0..<count).map { "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-\($0), namespace: default}\ndata: {i: '\($0)'}\n" }
        try objects.joined(separator: "---\n").write(to: tree.appendingPathComponent("objects.yaml"), atomically: true, encoding: .utf8)
        return tree
    }

    static func applies(_ emulator: SyncCommandTests.Emulator) -> Int {
        ((try? emulator.audit()) ?? []).filter { ($0["verb"] as? String) == "apply" }.count
    }

    @Test("tether run: SIGTERM during a slow sync with --shutdown-timeout 1 exits 0 within 3 s (it trapped in Bounded.map)")
    func runStopsCleanly() throws {
        let emulator = try SyncCommandTests.Emulator(["--fault-latency", "40ms"])
        let tree = try Self.manyObjects(1_000)
        defer { try? FileManager.default.removeItem(at: tree) }
        let daemon = try RunCommandTests.Daemon(["--source", tree.path, "--path", ".", "--server", emulator.url,
                                                 "--shutdown-timeout", "1", "--name", "shutdown"])
        #expect(RunCommandTests.eventually(within: 20) { Self.applies(emulator) > 20 } != nil, "the sync started: \(daemon.output.suffix(400))")
        let sent = Date()
        daemon.process.terminate()
        daemon.process.waitUntilExit()
        #expect(Date().timeIntervalSince(sent) < 3, "exit within the shutdown timeout plus 2 s")
        #expect(daemon.process.terminationReason == .exit && daemon.process.terminationStatus == 0, "\(daemon.output.suffix(800))")
        #expect(!daemon.output.contains("Fatal error") && !daemon.output.contains("Swift runtime failure"))
    }
}

extension ShutdownTests {
    @Test("tether sync: SIGINT during a slow sync of 1,000 objects stops after the objects in flight, says what was not applied, exits 130; the next sync converges")
    func syncInterrupted() throws {
        let emulator = try SyncCommandTests.Emulator(["--fault-latency", "40ms"])
        let tree = try Self.manyObjects(1_000)
        defer { try? FileManager.default.removeItem(at: tree) }
        let arguments = ["sync", "--source", tree.path, "--path", ".", "--server", emulator.url, "--name", "interrupted"]
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        #expect(RunCommandTests.eventually(within: 20) { Self.applies(emulator) > 20 } != nil, "the sync started")
        let sent = Date()
        kill(process.processIdentifier, SIGINT)
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(Date().timeIntervalSince(sent) < 5)
        #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(stderr)")
        #expect(stdout.contains("sync stopped during apply") && stdout.contains("not applied:"), "\(stdout.suffix(800))")
        #expect(stdout.contains("run the same command again"))

        try emulator.setFaults(nil)
        let next = try CLI.run(arguments)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.contains("0 failed") || !next.stdout.contains("failed"), "\(next.stdout.suffix(300))")
        let again = try CLI.run(arguments)
        #expect(again.stdout.contains("0 created, 0 configured, 0 pruned, 1000 unchanged"), "\(again.stdout.suffix(300))")
    }
}

/// `tether sync` and a `tether run` cycle run one pipeline, so they send the same requests.
@Suite("one pipeline for sync and run", .serialized, .timeLimit(.minutes(2)))
struct PipelineEquivalenceTests {
    /// The requests of one sync, up to the last write of the ApplySet parent: method, verb,
    /// resource, namespace, name and query (the daemon's watches come after it).
    static func syncRequests(_ emulator: SyncCommandTests.Emulator, parent: String) throws -> [String] {
        let entries = try emulator.audit()
        let rows = entries.map { entry -> (String, Bool) in
            let resource = entry["resource"] as? String ?? (entry["resource"] as? [String: Any]).map { "\($0["group"] ?? "")/\($0["resource"] ?? "")" } ?? ""
            let row = [entry["method"], entry["verb"], resource, entry["namespace"], entry["name"], entry["query"]]
                .map { "\($0 ?? "")" }.joined(separator: " ")
            let isParentWrite = (entry["verb"] as? String) == "apply" && (entry["name"] as? String) == parent
            return (row, isParentWrite)
        }
        guard let last = rows.lastIndex(where: \.1) else { return [] }
        return rows[...last].map(\.0).filter { row in
            !["discovery", "openapi", "version", "health", "watch"].contains { row.contains(" \($0) ") }
        }.sorted()
    }

    @Test("the same source synced by tether sync and by one tether run cycle makes the same requests")
    func sameRequests() throws {
        let tree = try ShutdownTests.manyObjects(20)
        defer { try? FileManager.default.removeItem(at: tree) }
        let viaSync = try SyncCommandTests.Emulator()
        let sync = try CLI.run(["sync", "--source", tree.path, "--path", ".", "--server", viaSync.url, "--name", "same", "--prune"])
        #expect(sync.status == 0, "\(sync.stderr)")

        let viaRun = try SyncCommandTests.Emulator()
        let daemon = try RunCommandTests.Daemon(["--source", tree.path, "--path", ".", "--server", viaRun.url, "--name", "same", "--prune"])
        #expect(RunCommandTests.eventually(within: 20) { (try? daemon.get("/readyz").status) == "200" } != nil, "\(daemon.output.suffix(400))")
        daemon.process.terminate()
        daemon.process.waitUntilExit()

        let expected = try Self.syncRequests(viaSync, parent: "tether-same")
        let actual = try Self.syncRequests(viaRun, parent: "tether-same")
        #expect(expected.count > 20)
        #expect(actual == expected, "sync: \(expected.count) requests, run: \(actual.count); only in run: \(Set(actual).subtracting(expected)), only in sync: \(Set(expected).subtracting(actual))")
    }
}
