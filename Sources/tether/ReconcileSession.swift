import Foundation
import Logging
import TetherEmulator
import TetherEngine
import TetherGit
import TetherKube

/// What `diff`, `sync` and `run` set up before planning: the rendered source, a client,
/// the reconciler, and an embedded emulator when asked for.
struct ReconcileSession {
    var desired: DesiredState
    var reconciler: Reconciler
    var emulator: EmulatorServer?

    static func open(git: GitOptions, cluster: ClusterOptions, reconcile: ReconcileOptions, pruning: PruneOptions?,
                     logger: Logger) async throws -> ReconcileSession {
        let (source, sourceOptions) = try git.resolved()
        let (client, emulator) = try await cluster.connect(logger: logger)
        let desired: DesiredState
        do {
            let path = try await CloudDetection.resolve(path: reconcile.path, client: client)
            if path != reconcile.path { printError("cloud detected from the Nodes: rendering \(path)") }
            desired = try await DesiredState.load(source: source, options: sourceOptions, path: path, logger: logger)
        } catch {
            await emulator?.stop()
            throw error
        }
        var options = reconcile.engineOptions(defaultNamespace: client.config.namespace)
        pruning?.apply(to: &options)
        var reconciler = Reconciler(client: client, options: options, logger: logger)
        if ProcessInfo.processInfo.environment["TETHER_TEST_FAULT"] == "exit-before-prune" {
            // Test hook: simulate a crash between the apply and prune steps.
            reconciler.beforePrune = { exit(70) }
        }
        return ReconcileSession(desired: desired, reconciler: reconciler, emulator: emulator)
    }

    func close() async {
        await emulator?.stop()
    }
}
