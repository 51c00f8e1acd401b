import Foundation
import Logging
import Testing
@testable import TetherDaemon
import TetherEmulator
import TetherEngine
import TetherGit
import TetherKube
import TetherModel
import TestSupport

/// Drift corrections belong to the daemon's task tree: `stop()` (leadership lost,
/// shutdown) cancels the pending ones and returns only when none can write.
@Suite("drift corrections end with stop()", .serialized, .timeLimit(.minutes(1)), .capturedLogs)
struct DriftOwnershipTests {
    static let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")

    @Test("a correction pending when stop() is called never writes")
    func stopCancelsPendingCorrections() async throws {
        CurlLibrary.initialize()
        let emulator = EmulatorServer(options: EmulatorOptions(controllers: false), logger: quietLogger("emulator"))
        let address = try await emulator.start(listen: "127.0.0.1:0")
        defer { Task { await emulator.stop() } }
        let config = try KubeConfig.server(url: "http://" + address)
        var options = KubeClient.Options()
        options.qps = 0
        let client = KubeClient(config: config, options: options, logger: quietLogger("tether"))
        options.userAgent = "someone-else"
        let other = KubeClient(config: config, options: options, logger: quietLogger("other"))

        let tree = FileManager.default.temporaryDirectory.appendingPathComponent("tether-drift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tree) }
        try "resources: [cm.yaml]\n".write(to: tree.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        try "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched, namespace: default}\ndata: {a: '1'}\n"
            .write(to: tree.appendingPathComponent("cm.yaml"), atomically: true, encoding: .utf8)
        let configuration = ContinuousReconciler.Configuration(source: try GitSource(tree.path), sourceOptions: GitSourceOptions(),
                                                               path: ".", engine: EngineOptions(name: "drift-stop"))
        let reconciler = ContinuousReconciler(configuration: configuration, client: client, metrics: nil, logger: quietLogger("daemon"))
        let outcome = await reconciler.sync(SyncTrigger(.startup))
        guard outcome.succeeded else { Issue.record("first sync: \(outcome)"); return }

        // Slow the cluster down, so the correction is still on its way when stop() comes.
        var faults = FaultPlan()
        faults.latency = .milliseconds(400)
        await emulator.faults.set(faults)
        let drifted = try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched, namespace: default}\ndata: {a: 'changed'}\n")
        _ = try await other.apply(drifted, options: ApplyOptions(fieldManager: "someone-else", force: true))
        let deadline = ContinuousClock.now + .seconds(10)
        while reconciler.correctionsPending == false, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(reconciler.correctionsPending, "the drift was seen")
        await reconciler.stop()
        let stoppedAt = await emulator.audit.entries.count

        await emulator.faults.set(FaultPlan())
        try await Task.sleep(for: .seconds(1))
        let after = await emulator.audit.entries.dropFirst(stoppedAt).filter { $0.userAgent.hasPrefix("tether") && $0.isWrite }
        #expect(after.isEmpty, "writes after stop(): \(after.map { "\($0.verb) \($0.name)" })")
        let live = try await other.get(Self.configMap, name: "watched", namespace: "default")
        #expect(live.value[path: ["data", "a"]]?.stringValue == "changed", "the drift was not corrected after stop()")
        #expect(reconciler.driftCounts.corrected == 0)
    }
}

extension Resource {
    static func make(_ yaml: String) throws -> Resource {
        try Resource.decodeStream(yaml, file: "test.yaml")[0]
    }
}
