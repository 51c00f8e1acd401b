package import Logging
package import TetherEngine
package import TetherGit
import TetherKube
package import TetherModel
package import TetherRender

/// The one path from a source to the cluster: fetch → render → plan → apply (and prune)
/// → wait, with the timing of every stage.
///
/// `tether diff`, `tether sync`, `tether sync --config` and every cycle of `tether run`
/// call these stages in this order; an entry point adds only its trigger (a command
/// line, a poll, a webhook) and its output. The stages are separate calls so that the
/// daemon can stop after `fetch` when the revision is already applied, and `diff` after
/// `plan`. The engine underneath knows nothing of Git or the renderer.
///
/// Request order (the same for every entry point): the source is fetched; the ApplySet
/// parent and the inventoried kinds are read (`Reconciler.prefetch`) while the path is
/// resolved (`overlays/auto`) and the source renders; then planning lists what the
/// inventory did not name and dry-runs what the fast path cannot settle.
package struct ReconcilePipeline: Sendable {
    /// Where the desired state comes from.
    package struct Source: Sendable {
        package var source: GitSource
        package var options: GitSourceOptions
        /// The kustomization directory inside the source (`overlays/auto` allowed).
        package var path: String
        /// Decrypts SOPS-encrypted files while rendering; `nil` reads them as stored.
        package var decrypter: (any FileDecrypting)?
        /// Renders the local charts of `helmCharts`; `nil` refuses them.
        package var charts: ChartRendererFactory?

        package init(source: GitSource, options: GitSourceOptions, path: String, decrypter: (any FileDecrypting)? = nil,
                     charts: ChartRendererFactory? = nil) {
            self.source = source
            self.options = options
            self.path = path
            self.decrypter = decrypter
            self.charts = charts
        }
    }

    /// A fetched source, before rendering.
    package struct Fetched: Sendable {
        package var checkout: GitCheckout
        package var duration: Duration
        /// The revision as recorded: the SHA, `-dirty` for a work tree with uncommitted edits.
        package var revision: String? { checkout.revision?.label }
    }

    /// The rendered objects and the cluster reads started for planning them.
    package struct Rendered: Sendable {
        package var desired: DesiredState
        /// The path rendered: `Source.path`, or the overlay `overlays/auto` resolved to.
        package var path: String
        package var prefetched: PlanPrefetch
        /// `fetch` then `render`, timed.
        package var phases: [SyncReport.Phase]
    }

    package let source: Source
    package let reconciler: Reconciler
    let cache: GitRepositoryCache
    let logger: Logger

    /// - Parameters:
    ///   - source: what to fetch and render.
    ///   - reconciler: plans and applies on the target cluster.
    ///   - logger: for the fetch (Git's own log lines).
    package init(source: Source, reconciler: Reconciler, logger: Logger) {
        self.source = source
        self.reconciler = reconciler
        self.logger = logger
        cache = GitRepositoryCache(logger: logger)
    }

    /// Fetches the source (cheaply when nothing moved) or reads a local directory.
    /// - Throws: `EngineError` `source` wrapping the `GitError`.
    package func fetch() async throws(EngineError) -> Fetched {
        let start = ContinuousClock.now
        do {
            let checkout = try await cache.sync(source.source, options: source.options)
            return Fetched(checkout: checkout, duration: ContinuousClock.now - start)
        } catch {
            throw EngineError(.source, "cannot fetch \(source.source)", cause: error)
        }
    }

    /// Starts the parent and inventory reads, resolves `overlays/auto`, and renders.
    /// - Parameter cached: members a watch cache holds, listed from it instead of the API.
    /// - Throws: `EngineError` `render` or `invalidConfig` (cloud detection); the reads
    ///   are cancelled then.
    package func render(_ fetched: Fetched, cached: [GroupVersionKind: [Resource]] = [:]) async throws(EngineError) -> Rendered {
        let prefetched = reconciler.prefetch(cached: cached)
        do {
            let path = try await CloudDetection.resolve(path: source.path, client: reconciler.client)
            let start = ContinuousClock.now
            let objects = try DesiredState.render(directory: fetched.checkout.directory, path: path, decrypter: source.decrypter, charts: source.charts)
            let desired = DesiredState(objects: objects, revision: fetched.checkout.revision, directory: fetched.checkout.directory,
                                       fetchDuration: fetched.duration, renderDuration: ContinuousClock.now - start)
            var phases: [SyncReport.Phase] = []
            if desired.revision != nil { phases.append(SyncReport.Phase(name: "fetch", duration: fetched.duration)) }
            phases.append(SyncReport.Phase(name: "render", duration: desired.renderDuration))
            return Rendered(desired: desired, path: path, prefetched: prefetched, phases: phases)
        } catch {
            prefetched.cancel()
            throw error
        }
    }

    /// Plans the rendered objects against the cluster, using the reads `render` started.
    /// - Returns: the plan, and the phases so far with `plan` appended.
    package func plan(_ rendered: Rendered, detail: Reconciler.PlanDetail = .sync) async throws(EngineError) -> (Plan, [SyncReport.Phase]) {
        let start = ContinuousClock.now
        let plan = try await reconciler.plan(desired: rendered.desired.objects, revision: rendered.desired.revision?.label,
                                             detail: detail, prefetched: rendered.prefetched)
        return (plan, rendered.phases + [SyncReport.Phase(name: "plan", duration: ContinuousClock.now - start)])
    }

    /// What `apply` did: the report (every stage timed), and whether it succeeded.
    package struct Outcome: Sendable {
        package var result: SyncResult
        package var report: SyncReport
        /// Why waiting for readiness failed, when it did.
        package var waitError: EngineError?
        package var succeeded: Bool { !report.hasFailures && waitError == nil }
    }

    /// Applies (and prunes) `plan`, then, with `waitTimeout`, waits until the applied
    /// objects are ready.
    /// - Parameter phases: the stages timed before (from `plan`), for the report.
    /// - Throws: `EngineError` when the sync stops before or between objects (a refused
    ///   prune budget, cancellation with the partial result); object failures are in the
    ///   report.
    package func apply(_ plan: Plan, phases: [SyncReport.Phase], waitTimeout: Duration? = nil,
                       progress: Reconciler.Progress? = nil) async throws(EngineError) -> Outcome {
        let result = try await reconciler.apply(plan, progress: progress)
        var waitError: EngineError?
        var after: [SyncReport.Phase] = []
        if let waitTimeout, result.succeeded {
            let start = ContinuousClock.now
            do { try await reconciler.waitReady(plan, timeout: waitTimeout) } catch { waitError = error }
            after.append(SyncReport.Phase(name: "wait", duration: ContinuousClock.now - start))
        }
        let report = SyncReport(result, before: phases, after: after, error: waitError.map(\.description))
        return Outcome(result: result, report: report, waitError: waitError)
    }
}
