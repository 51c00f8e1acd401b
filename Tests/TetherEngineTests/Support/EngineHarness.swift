import Foundation
import Logging
import TetherEmulator
import TetherEngine
import TetherKube
import TetherModel
import TetherRender

/// An in-process emulator, a client for it and helpers to sync rendered trees into it.
struct EngineHarness {
    let emulator: EmulatorServer
    let client: KubeClient
    /// A client acting as someone else (kubectl, an operator), for drift and conflicts.
    let other: KubeClient

    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func start(controllers: Bool = true) async throws -> EngineHarness {
        CurlLibrary.initialize()
        let emulator = EmulatorServer(options: EmulatorOptions(controllers: controllers), logger: Logger(label: "emulator"))
        let address = try await emulator.start(listen: "127.0.0.1:0")
        let config = try KubeConfig.server(url: "http://" + address)
        var options = KubeClient.Options()
        options.qps = 0
        options.retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10))
        return EngineHarness(emulator: emulator, client: KubeClient(config: config, options: options, logger: Logger(label: "tether")),
                             other: KubeClient(config: config, options: options, logger: Logger(label: "other")))
    }

    func stop() async { await emulator.stop() }

    func reconciler(_ name: String = "test", _ configure: (inout EngineOptions) -> Void = { _ in }) -> Reconciler {
        var options = EngineOptions(name: name)
        configure(&options)
        return Reconciler(client: client, options: options, logger: Logger(label: "engine"))
    }

    /// Plans and applies.
    @discardableResult
    func sync(_ objects: [Resource], _ reconciler: Reconciler, revision: String? = nil) async throws -> SyncResult {
        let plan = try await reconciler.plan(desired: objects, revision: revision)
        return try await reconciler.apply(plan)
    }

    /// Renders a kustomization relative to a directory.
    static func render(_ directory: String, _ path: String) throws -> [Resource] {
        let relative = path.split(separator: "/").filter { $0 != "." && !$0.isEmpty }.joined(separator: "/")
        return try Renderer(fileSystem: try DiskFileSystem(root: directory)).render(relative)
    }

    /// A private copy of overlays-example to edit.
    static func copyOfExample() throws -> String {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("tether-engine-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: repositoryRoot + "/overlays-example", toPath: target)
        return target
    }

    /// Requests the emulator answered since `reset()`.
    func audit() async -> [AuditEntry] { await emulator.audit.entries }
    func resetAudit() async { await emulator.audit.reset() }
}

extension Resource {
    static func make(_ yaml: String) throws -> Resource {
        try Resource.decodeStream(yaml, file: "test.yaml")[0]
    }
}
