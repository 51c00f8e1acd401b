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
    /// The parent and inventory reads, started before rendering so they overlap it.
    var prefetched: PlanPrefetch?

    static func open(git: GitOptions, cluster: ClusterOptions, reconcile: ReconcileOptions, pruning: PruneOptions?,
                     logger: Logger) async throws -> ReconcileSession {
        let (source, sourceOptions) = try git.resolved()
        let (client, emulator) = try await cluster.connect(logger: logger)
        var options = reconcile.engineOptions(defaultNamespace: client.config.namespace)
        pruning?.apply(to: &options)
        let reconciler = Reconciler(client: client, options: options, logger: logger)
        let prefetched = reconciler.prefetch()
        let desired: DesiredState
        do {
            let path = try await CloudDetection.resolve(path: reconcile.path, client: client)
            if path != reconcile.path { printError("cloud detected from the Nodes: rendering \(path)") }
            desired = try await DesiredState.load(source: source, options: sourceOptions, path: path, logger: logger)
        } catch {
            prefetched.cancel()
            await emulator?.stop()
            throw error
        }
        var session = ReconcileSession(desired: desired, reconciler: reconciler, emulator: emulator, prefetched: prefetched)
        if desired.revision != nil { session.phases.append(SyncReport.Phase(name: "fetch", duration: desired.fetchDuration)) }
        session.phases.append(SyncReport.Phase(name: "render", duration: desired.renderDuration))
        return session
    }

    /// The stages timed so far (fetch, render, then plan), for the sync report.
    private(set) var phases: [SyncReport.Phase] = []

    /// Plans the rendered objects against the cluster, using the reads started at `open`.
    mutating func plan(detail: Reconciler.PlanDetail = .sync) async throws(EngineError) -> Plan {
        let start = ContinuousClock.now
        let plan = try await reconciler.plan(desired: desired.objects, revision: desired.revision?.sha, detail: detail, prefetched: prefetched)
        phases.append(SyncReport.Phase(name: "plan", duration: ContinuousClock.now - start))
        return plan
    }

    /// What `execute` did: the report (every stage timed), and whether it succeeded.
    struct Outcome {
        var report: SyncReport
        /// Why waiting for readiness failed, when it did.
        var waitError: EngineError?
        var succeeded: Bool { !report.hasFailures && waitError == nil }
    }

    /// Applies (and prunes) `plan`, then, with `waitTimeout`, waits until the applied
    /// objects are ready.
    /// - Throws: `EngineError` when the sync stops before or between objects (a refused
    ///   prune budget, an unreadable parent); object failures are in the report.
    func execute(_ plan: Plan, waitTimeout: Duration?, progress: Reconciler.Progress? = nil) async throws(EngineError) -> Outcome {
        let result = try await reconciler.apply(plan, progress: progress)
        var waitError: EngineError?
        var after: [SyncReport.Phase] = []
        if let waitTimeout, result.succeeded {
            let start = ContinuousClock.now
            do { try await reconciler.waitReady(plan, timeout: waitTimeout) } catch { waitError = error }
            after.append(SyncReport.Phase(name: "wait", duration: ContinuousClock.now - start))
        }
        let report = SyncReport(result, before: phases, after: after, error: waitError.map(\.description))
        return Outcome(report: report, waitError: waitError)
    }

    func close() async {
        prefetched?.cancel()
        await emulator?.stop()
    }
}
