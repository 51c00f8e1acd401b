import Foundation
import Logging
import TetherDaemon
import TetherEmulator
import TetherEngine
import TetherGit
import TetherKube
import TetherRender

/// What `diff` and `sync` set up around the shared `ReconcilePipeline`: the client (and
/// an embedded emulator when asked for), then the pipeline's fetch and render stages.
struct ReconcileSession {
    var pipeline: ReconcilePipeline
    var rendered: ReconcilePipeline.Rendered
    var emulator: EmulatorServer?
    /// The cluster as the user named it, for errors reaching it.
    var naming: ClusterNaming
    /// The stages timed so far (fetch, render, then plan), for the sync report.
    private(set) var phases: [SyncReport.Phase]

    var desired: DesiredState { rendered.desired }
    var reconciler: Reconciler { pipeline.reconciler }

    /// - Parameter decrypter: decrypts SOPS-encrypted files while rendering
    ///   (`DecryptionOptions.fileDecrypter`); made before connecting, so a bad key flag
    ///   fails first.
    /// - Parameter target: for a `tether.yaml` target that names its own cluster, the target
    ///   (`target 'prod' (tether.yaml:3)`), so that connection errors name its fields.
    /// - Throws: `ClusterConnectionError` when the cluster cannot be reached (or refuses the
    ///   credentials), naming it as the user did; otherwise what the stages throw.
    static func open(git: GitOptions, cluster: ClusterOptions, reconcile: ReconcileOptions, pruning: PruneOptions?,
                     decrypter: any FileDecrypting, target: String? = nil, logger: Logger) async throws -> ReconcileSession {
        let (source, sourceOptions) = try git.resolved()
        let (client, emulator) = try await cluster.connect(logger: logger, target: target)
        let naming = cluster.naming(client.config, target: target)
        do {
            // overlays/auto is resolved first, so that the set is named after the overlay
            // rendered: switching between --path overlays/aws and overlays/auto keeps one set.
            let path = try await CloudDetection.resolve(path: reconcile.path, client: client)
            var options = reconcile.engineOptions(defaultNamespace: client.config.namespace, resolvedPath: path)
            pruning?.apply(to: &options)
            let pipeline = ReconcilePipeline(source: .init(source: source, options: sourceOptions, path: path, decrypter: decrypter,
                                                           charts: HelmChartRenderer.factory),
                                             reconciler: Reconciler(client: client, options: options, logger: logger), logger: logger)
            let rendered = try await pipeline.render(try await pipeline.fetch())
            if rendered.path != reconcile.path { printError("cloud detected from the Nodes: rendering \(rendered.path)") }
            if let warning = UncommittedWarning.text(rendered.desired.revision, source: source) { printError(warning) }
            return ReconcileSession(pipeline: pipeline, rendered: rendered, emulator: emulator, naming: naming, phases: rendered.phases)
        } catch {
            await emulator?.stop()
            throw ClusterConnectionError.explaining(error, naming: naming)
        }
    }

    /// Plans the rendered objects against the cluster, using the reads started by `open`.
    /// - Throws: `ClusterConnectionError` when the cluster cannot be reached (the plan's
    ///   reads are a sync's first requests), otherwise `EngineError`.
    mutating func plan(detail: Reconciler.PlanDetail = .sync) async throws -> Plan {
        do {
            let (plan, phases) = try await pipeline.plan(rendered, detail: detail)
            self.phases = phases
            return plan
        } catch {
            throw ClusterConnectionError.explaining(error, naming: naming)
        }
    }

    /// Applies (and prunes) `plan`, then, with `waitTimeout`, waits until the applied
    /// objects are ready.
    /// - Throws: `EngineError` when the sync stops before or between objects (a refused
    ///   prune budget, an unreadable parent, cancellation); object failures are in the report.
    func execute(_ plan: Plan, waitTimeout: Duration?, progress: Reconciler.Progress? = nil) async throws(EngineError) -> ReconcilePipeline.Outcome {
        try await pipeline.apply(plan, phases: phases, waitTimeout: waitTimeout, progress: progress)
    }

    func close() async {
        rendered.prefetched.cancel()
        await emulator?.stop()
    }
}
