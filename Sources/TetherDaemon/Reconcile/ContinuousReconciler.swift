import Foundation
package import Logging
import Synchronization
package import TetherEngine
package import TetherGit
package import TetherKube
package import TetherRender
package import TetherModel

/// What `tether run` repeats: fetch (cheaply when nothing changed), render, plan and
/// apply, prune; and between syncs, watch the set's members and correct drift.
///
/// `sync(_:)` is the `SyncScheduler`'s closure, so syncs never overlap; drift
/// corrections take the same gate, so a correction never interleaves with a sync.
/// A failed fetch or render returns a failed outcome before anything is written, so the
/// last applied revision stays in place and nothing is pruned.
package final class ContinuousReconciler: Sendable {
    package struct Configuration: Sendable {
        package var source: GitSource
        package var sourceOptions: GitSourceOptions
        /// The kustomization directory inside the source (`overlays/auto` allowed).
        package var path: String
        package var engine: EngineOptions
        /// `--self-heal`: correct drift (true) or only report it.
        package var selfHeal = true
        /// Decrypts SOPS-encrypted files while rendering (`--age-key-file` and the sops
        /// conventions); `nil` reads them as stored.
        package var decrypter: (any FileDecrypting)?
        /// Renders the local charts of `helmCharts`; `nil` refuses them.
        package var charts: ChartRendererFactory?
        /// Told of syncs and drift (the dashboard); nil for none.
        package var observer: (any ReconcileObserver)?
        /// `--wait`: after applying, wait this long at most until the applied objects are
        /// ready (the engine's readiness rules); not ready in time fails the sync.
        package var waitTimeout: Duration?

        package init(source: GitSource, sourceOptions: GitSourceOptions, path: String, engine: EngineOptions) {
            self.source = source
            self.sourceOptions = sourceOptions
            self.path = path
            self.engine = engine
        }
    }

    let configuration: Configuration
    /// The stages every entry point shares; this type adds the triggers, the "already
    /// applied" shortcut, conflict take-back and drift correction.
    let pipeline: ReconcilePipeline
    var reconciler: Reconciler { pipeline.reconciler }
    let client: KubeClient
    let metrics: DaemonMetrics?
    let logger: Logger
    let gate = AsyncGate()
    private let state = Mutex(State())

    struct State {
        /// The rendered objects of the last successful sync, by id (without the live and
        /// merged objects planning had: drift detection needs only what was rendered).
        var desired: [ResourceID: PlanEntry] = [:]
        var revision: String?
        /// The revision the last sync applied completely, and what it reported per object;
        /// nil after a failed sync.
        var applied: (revision: String, objects: [SyncOutcome.ObjectState])?
        var watchedKinds: Set<GroupVersionKind> = []
        var watchTask: Task<Void, Never>?
        /// The watches' cache of the members (nil until the first sync started them).
        var cache: LiveCache?
        var debouncer = DriftDebouncer()
        /// Objects with a correction waiting for its delay or the gate (one at a time each).
        var pendingCorrections: Set<ResourceID> = []
        /// Every correction task until it ends, by a serial number. `stop()` cancels and
        /// awaits them, so none writes after it returns.
        var correctionTasks: [Int: Task<Void, Never>] = [:]
        var nextCorrection = 0
        /// Bumped by `stop()`: watches and corrections of an older term do nothing.
        var term = 0
        var driftReports = 0
        var corrections = 0
    }

    package init(configuration: Configuration, client: KubeClient, metrics: DaemonMetrics?, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.metrics = metrics
        self.logger = logger
        pipeline = ReconcilePipeline(source: .init(source: configuration.source, options: configuration.sourceOptions, path: configuration.path,
                                                      decrypter: configuration.decrypter, charts: configuration.charts),
                                     reconciler: Reconciler(client: client, options: configuration.engine, logger: logger), logger: logger)
    }

    /// Whether a drift correction is waiting or running.
    var correctionsPending: Bool { state.withLock { !$0.correctionTasks.isEmpty } }

    /// Drift seen and corrected since start.
    package var driftCounts: (reported: Int, corrected: Int) { state.withLock { ($0.driftReports, $0.corrections) } }

    /// One sync, for the scheduler.
    package func sync(_ trigger: SyncTrigger) async -> SyncOutcome {
        let outcome = await gate.run {
            let start = ContinuousClock.now
            self.configuration.observer?.syncStarted(trigger, at: Date())
            let outcome = await self.syncExclusive(trigger)
            self.configuration.observer?.syncFinished(trigger, outcome: outcome, duration: ContinuousClock.now - start)
            return outcome
        }
        // The sync's objects are freed by now; hand their pages back.
        MemoryTrim.releaseFreedMemory()
        return outcome
    }

    func syncExclusive(_ trigger: SyncTrigger) async -> SyncOutcome {
        let previous = state.withLock { $0.revision }
        let fetchStart = ContinuousClock.now
        let fetched: ReconcilePipeline.Fetched
        do {
            fetched = try await pipeline.fetch()
            metrics?.recordGitFetch(duration: fetched.duration, failed: false)
        } catch {
            metrics?.recordGitFetch(duration: ContinuousClock.now - fetchStart, failed: true)
            return await failed("fetch failed: \(error)", revision: previous)
        }
        let revision = fetched.revision
        configuration.observer?.fetched(fetched.checkout.revision)
        if !trigger.isFull, let unchanged = alreadyApplied(revision) {
            logger.debug("revision already applied; nothing to plan", metadata: ["revision": "\(revision ?? "-")", "trigger": "\(trigger)"])
            return unchanged
        }
        var rendered: ReconcilePipeline.Rendered?
        do {
            // The watch cache stands in for the lists (a retry re-lists, in case the cache
            // is what went wrong).
            let current = try await pipeline.render(fetched, cached: trigger.reasons.contains(.retry) ? [:] : cachedMembers())
            rendered = current
            let objects = current.desired.objects
            let planned = try await pipeline.plan(current)
            var plan = planned.0
            configuration.observer?.planned(plan)
            let applied = try await pipeline.apply(plan, phases: planned.1, waitTimeout: configuration.waitTimeout)
            var result = applied.result
            configuration.observer?.applied(result, phases: applied.report.phases)
            if await forceCorrectableConflicts(result, plan: plan) {
                // Plan and apply again: the objects taken back are now unchanged, and the
                // parent records this sync's real result.
                plan = try await reconciler.plan(desired: objects, revision: revision)
                result = try await reconciler.apply(plan)
            }
            remember(plan)
            if let refusal = result.pruneRefusal, result.failures.isEmpty {
                return await failed("prune refused: \(refusal)", revision: revision)
            }
            if !result.succeeded {
                let failures = result.failures.prefix(3).map { "\($0.id): \($0.message ?? $0.outcome.rawValue)" }.joined(separator: "; ")
                return await failed("\(result.failures.count) object(s) failed: \(failures)", revision: revision)
            }
            if let waitError = applied.waitError { return await failed("\(waitError)", revision: revision) }
            let objects_ = result.results.map { SyncOutcome.ObjectState(id: $0.id.description, state: $0.outcome.rawValue, message: $0.message) }
            if let revision { state.withLock { $0.applied = (revision, objects_) } }
            logger.notice("synced", metadata: ["revision": "\(revision ?? "-")", "trigger": "\(trigger)",
                                               "changed": "\(result.results.filter { $0.outcome != .unchanged }.count)"])
            return .succeeded(revision: revision, objectsManaged: plan.entries.filter { $0.desired != nil }.count, objects: objects_)
        } catch {
            rendered?.prefetched.cancel()
            return await failed("\(error)", revision: revision)
        }
    }

    /// The outcome of a poll or webhook that finds `revision` already applied by the last
    /// sync: nothing is planned, so steady state makes no API request. Drift between syncs
    /// is the watches' job, and the --resync timer (a full trigger) still compares
    /// everything. nil when the revision is new or unknown, or the last sync failed.
    func alreadyApplied(_ revision: String?) -> SyncOutcome? {
        state.withLock { state in
            guard let revision, let applied = state.applied, applied.revision == revision, state.watchTask != nil else { return nil }
            return .succeeded(revision: revision, objectsManaged: state.desired.count, objects: applied.objects)
        }
    }

    func failed(_ message: String, revision: String?) async -> SyncOutcome {
        state.withLock { $0.applied = nil }
        logger.error("sync failed", metadata: ["revision": "\(revision ?? "-")", "error": "\(message)"])
        return .failed(message, revision: revision)
    }

    /// Keeps the plan's rendered objects for drift detection and makes sure every kind
    /// in them is watched.
    func remember(_ plan: Plan) {
        var desired: [ResourceID: PlanEntry] = [:]
        var kinds = Set<GroupVersionKind>()
        for var entry in plan.entries where entry.desired != nil && entry.action != .skip {
            entry.live = nil
            entry.merged = nil
            desired[entry.id] = entry
            kinds.insert(entry.gvk)
        }
        let restart = state.withLock { state -> Bool in
            state.desired = desired
            state.revision = plan.revision
            guard kinds != state.watchedKinds else { return false }
            state.watchedKinds = kinds
            return true
        }
        if restart { startWatching(Array(kinds), applySetID: plan.applySet.applySetID) }
    }

    func startWatching(_ kinds: [GroupVersionKind], applySetID: String) {
        let cache = LiveCache(client: client, applySetID: applySetID, logger: logger)
        let term = state.withLock { $0.term }
        // Unstructured because the watches outlive the sync that starts them; `stop()`
        // owns and cancels it.
        let task = Task { [self] in
            await cache.run(kinds: kinds) { id, live in await self.observed(id, live: live, term: term) }
        }
        let old = state.withLock { state -> Task<Void, Never>? in
            let old = state.watchTask
            state.watchTask = task
            state.cache = cache
            return old
        }
        old?.cancel()
    }

    /// The members of every watched kind whose watch has listed, from the watch cache:
    /// planning takes them instead of listing, so a sync of a new revision reads only the
    /// ApplySet parent (and kinds not watched yet).
    func cachedMembers() -> [GroupVersionKind: [Resource]] {
        let (cache, kinds) = state.withLock { ($0.cache, $0.watchedKinds) }
        guard let cache else { return [:] }
        var members: [GroupVersionKind: [Resource]] = [:]
        for gvk in kinds {
            if let objects = cache.members(of: [gvk.groupKind]) { members[gvk] = objects }
        }
        return members
    }

    /// What was applied and what the watches hold now, for the dashboard: the rendered
    /// objects of the last successful sync, and the watch cache (nil before the first sync).
    /// Reads memory only, never the cluster.
    package func liveView() -> (desired: [ResourceID: PlanEntry], cache: LiveCache?) {
        state.withLock { ($0.desired, $0.cache) }
    }

    func recordCorrections(_ count: Int) {
        state.withLock { $0.corrections += count }
    }

    /// Stops the watches and every pending drift correction, and waits until none of
    /// them can write: after it returns (leadership lost, shutdown) this replica makes no
    /// request on the daemon's behalf until the next `sync`.
    package func stop() async {
        let (watch, corrections) = state.withLock { state in
            state.term += 1
            let taken = (state.watchTask, Array(state.correctionTasks.values))
            state.watchTask = nil
            state.cache = nil
            state.watchedKinds = []
            state.applied = nil
            state.pendingCorrections = []
            state.correctionTasks = [:]
            return taken
        }
        watch?.cancel()
        for task in corrections { task.cancel() }
        for task in corrections { await task.value }
    }

    // MARK: Drift

    /// A watch event for a member: drift is reported, and corrected unless the policy
    /// says otherwise, after the debouncer's delay.
    func observed(_ id: ResourceID, live: Resource?, term: Int) async {
        guard state.withLock({ $0.term }) == term, !Task.isCancelled else { return }
        guard let entry = state.withLock({ $0.desired[id] }), let desired = entry.desired else { return }
        guard let what = DriftDetector(fieldManager: configuration.engine.fieldManager).drift(desired: desired, live: live) else { return }
        let policy = DriftPolicy.forObject(desired: desired, live: live, selfHeal: configuration.selfHeal)
        if policy == .ignore { return }
        configuration.observer?.driftDetected(id, what: what, policy: policy)
        if policy == .report {
            state.withLock { $0.driftReports += 1 }
            logger.warning("drift detected (reporting only)", metadata: ["object": "\(id)", "drift": "\(what)"])
            return
        }
        state.withLock { state in
            guard state.term == term, state.pendingCorrections.insert(id).inserted else { return }
            let delay = state.debouncer.delay(for: id, now: .now)
            let key = state.nextCorrection
            state.nextCorrection += 1
            // Unstructured because a watch callback starts it and it outlives the callback;
            // it is kept in `correctionTasks`, which `stop()` cancels and awaits.
            state.correctionTasks[key] = Task { [self] in
                defer { self.state.withLock { _ = $0.correctionTasks.removeValue(forKey: key) } }
                if delay > .zero {
                    do { try await Task.sleep(for: delay) } catch { return }
                }
                await correct(id, term: term)
            }
        }
    }

    /// Whether a correction started in `term` may still write: not cancelled, and no
    /// `stop()` since.
    func mayCorrect(term: Int) -> Bool {
        !Task.isCancelled && state.withLock { $0.term } == term
    }

    func correct(_ id: ResourceID, term: Int) async {
        await gate.run {
            let entry = self.state.withLock { state -> PlanEntry? in
                guard state.term == term else { return nil }
                state.pendingCorrections.remove(id)
                return state.desired[id]
            }
            guard var entry, self.mayCorrect(term: term) else { return }
            // Read the object now: it may have been fixed meanwhile.
            let live = try? await self.client.get(entry.gvk, name: id.name, namespace: id.namespace)
            if let desired = entry.desired, DriftDetector(fieldManager: self.configuration.engine.fieldManager).drift(desired: desired, live: live) == nil { return }
            entry.live = live
            // Checked again after the read: leadership may have ended meanwhile.
            guard self.mayCorrect(term: term) else { return }
            let result = await self.reconciler.heal([entry])
            if let outcome = result.first, !outcome.failed {
                self.state.withLock { $0.corrections += 1 }
                self.metrics?.recordDriftCorrections(1)
                self.logger.notice("drift corrected", metadata: ["object": "\(id)", "result": "\(outcome.outcome.rawValue)"])
                self.configuration.observer?.driftCorrected(id, what: live == nil ? "deleted" : "changed", failure: nil)
            } else {
                self.logger.error("drift correction failed", metadata: ["object": "\(id)", "error": "\(result.first?.message ?? "?")"])
                self.configuration.observer?.driftCorrected(id, what: live == nil ? "deleted" : "changed",
                                                            failure: result.first?.message ?? "the correction failed")
            }
        }
    }
}

/// Runs closures one at a time, in arrival order.
actor AsyncGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
        let result = await body()
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
        return result
    }
}
