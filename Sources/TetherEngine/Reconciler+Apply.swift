import Synchronization
import Logging
import TetherKube
import TetherModel

extension Reconciler {
    /// Reports `done` of `total` objects while a sync runs.
    package typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

    /// Applies a plan: widens the inventory, applies the rendered objects phase by phase,
    /// prunes (with `--prune`), then narrows the inventory.
    ///
    /// Objects that fail (422, conflicts) are reported and the others still applied; the
    /// result says which. The empty-render guard throws before anything is written; a
    /// prune budget that is exceeded holds back only the deletions (`pruneRefusal`), never
    /// the creates and updates (`PruneSafety`).
    ///
    /// Cancellation is checked between objects and between phases: the objects in flight
    /// finish, no other is started, nothing is pruned and the inventory is not narrowed
    /// (it was widened before the first write, so it covers every member that exists).
    /// - Throws: `EngineError` `cancelled` carrying what was applied (`partial`), or the
    ///   safety and cluster errors above.
    package func apply(_ plan: Plan, progress: Progress? = nil) async throws(EngineError) -> SyncResult {
        let start = ContinuousClock.now
        let safety = PruneSafety(options: options)
        if let refusal = safety.emptyRenderRefusal(plan) { throw refusal }
        let pruneRefusal = safety.budgetRefusal(plan)
        var parent = plan.applySet
        let applying = plan.entries.filter { $0.desired != nil }
        try await widen(&parent, with: applying)
        let total = plan.entries.filter { $0.action == .create || $0.action == .update || ($0.action == .prune && options.prune) }.count
        let counter = ProgressCounter(total: total, report: progress)
        var results: [ObjectResult] = []
        func stopped(_ stage: String) -> EngineError {
            .cancelled(during: stage, partial: SyncResult(revision: plan.revision, applySet: parent.id, results: results,
                                                          prunePending: 0, duration: ContinuousClock.now - start))
        }
        for phase in ApplyPhase.allCases {
            if Task.isCancelled { throw stopped("apply") }
            let batch = applying.filter { ApplyPhase(kind: $0.id.kind, group: $0.id.group) == phase }
            guard !batch.isEmpty else { continue }
            // Only creates and updates send a request; the rest are settled here without a task each.
            let writes = batch.filter { $0.action == .create || $0.action == .update }
            for entry in batch where entry.action != .create && entry.action != .update {
                results.append(await applyOne(entry))
            }
            let finished = await Bounded.run(writes, limit: options.concurrency) { entry in
                let result = await self.applyOne(entry)
                counter.advance()
                return result
            }
            results += finished.outputs
            if !finished.isComplete || Task.isCancelled { throw stopped("apply") }
            if phase == .namespacesAndDefinitions {
                do {
                    try await waitForDefinitions(batch.filter { $0.id.kind == "CustomResourceDefinition" && $0.action != .skip })
                } catch where error.code == .cancelled {
                    throw stopped("the wait for CustomResourceDefinitions")
                }
            }
        }
        let prunes = plan.entries.filter { $0.action == .prune }
        var pruneFailed = false
        var pruneDuration = Duration.zero
        if options.prune, let pruneRefusal {
            pruneFailed = true
            results += prunes.map {
                ObjectResult(id: $0.id, apiVersion: $0.apiVersion, action: .prune, outcome: .skipped,
                             message: "not deleted: the prune budget was exceeded (\(pruneRefusal.message.prefix { $0 != ";" }))")
            }
        } else if options.prune {
            let pruneStart = ContinuousClock.now
            let finished = await prune(prunes, counter: counter)
            let pruneResults = finished.outputs
            guard finished.isComplete, !Task.isCancelled else {
                results += pruneResults
                throw stopped("prune")
            }
            pruneFailed = pruneResults.contains(where: \.failed)
            results += pruneResults
            pruneDuration = ContinuousClock.now - pruneStart
        }
        results += plan.entries.filter { $0.desired == nil && $0.action == .skip }.map {
            ObjectResult(id: $0.id, apiVersion: $0.apiVersion, action: .skip, outcome: .skipped, message: $0.reason)
        }
        let failed = results.contains(where: \.failed) || (options.prune && pruneRefusal != nil)
        try await narrow(&parent, plan: plan, pruned: options.prune && !pruneFailed, revision: plan.revision, failed: failed)
        return SyncResult(revision: plan.revision, applySet: parent.id, results: results,
                          prunePending: options.prune ? 0 : prunes.count, duration: ContinuousClock.now - start,
                          pruneDuration: pruneDuration, pruneRefusal: pruneRefusal)
    }

    /// Applies one entry (server-side apply, taking over client-side-apply fields first).
    func applyOne(_ entry: PlanEntry) async -> ObjectResult {
        let start = ContinuousClock.now
        var result = ObjectResult(id: entry.id, apiVersion: entry.apiVersion, action: entry.action, outcome: .unchanged)
        switch entry.action {
        case .skip:
            result.outcome = .skipped
            result.message = entry.reason
            return result
        case .unchanged, .prune:
            return result
        case .create, .update:
            break
        }
        guard let desired = entry.desired else { return result }
        if let live = entry.live, !options.forceConflicts, let other = Self.foreignSet(live, applySetID: applySetID) {
            result.outcome = .conflicted
            result.message = "\(entry.id) is a " + (entry.reason ?? "member of another ApplySet (\(other))") + "; not taken over"
            result.conflicts = ["metadata.labels.\(ApplySetID.partOfLabel): conflict with \"\(other)\""]
            return result
        }
        if Task.isCancelled {
            // Not started: the caller reports it as not applied.
            result.outcome = .failed
            result.message = "not applied: the sync was cancelled"
            return result
        }
        do throws(KubeError) {
            if let live = entry.live, !Self.legacyManagers(of: live).isEmpty {
                try await takeOverClientSideFields(live)
            }
            let applied = try await client.apply(desired, options: ApplyOptions(fieldManager: options.fieldManager, force: options.forceConflicts))
            let before = entry.live?.value[path: ["metadata", "resourceVersion"]]?.stringValue
            let after = applied.value[path: ["metadata", "resourceVersion"]]?.stringValue
            result.outcome = entry.live == nil ? .created : (before == after ? .unchanged : .configured)
            logger.debug("applied", metadata: ["object": "\(entry.id)", "outcome": "\(result.outcome.rawValue)"])
        } catch where error.code == .cancelled {
            result.outcome = .failed
            result.message = "interrupted in flight: it may or may not have been applied; the next sync settles it"
        } catch {
            result.outcome = error.code == .conflict ? .conflicted : .failed
            result.message = error.description
            result.conflicts = error.causes.map(\.description)
            logger.warning("apply failed", metadata: ["object": "\(entry.id)", "error": "\(error)"])
        }
        result.duration = ContinuousClock.now - start
        return result
    }

    /// The client-side to server-side apply migration: fields owned by
    /// `kubectl-client-side-apply`, `kubectl-create`, `kubectl-edit` or
    /// `before-first-apply` move to Tether's apply entry, so the next apply removes the
    /// ones no longer rendered. Guarded by the resourceVersion it was planned against.
    func takeOverClientSideFields(_ live: Resource) async throws(KubeError) {
        let entries = live.value[path: ["metadata", "managedFields"]]?.listValue ?? []
        var kept: [Value] = []
        var union: Value = .map(OrderedMap())
        var own: Value?
        for entry in entries {
            let manager = entry["manager"]?.stringValue ?? ""
            if LiveComparison.legacyManagers.contains(manager) {
                union = FieldsV1.union(union, entry["fieldsV1"] ?? .map(OrderedMap()))
            } else if manager == options.fieldManager, entry["operation"]?.stringValue == "Apply" {
                own = entry
            } else {
                kept.append(entry)
            }
        }
        var mine = own?.mapValue ?? OrderedMap([
            ("manager", .string(options.fieldManager)), ("operation", "Apply"),
            ("apiVersion", .string(live.apiVersion)), ("fieldsType", "FieldsV1"),
        ])
        mine["fieldsV1"] = FieldsV1.union(mine["fieldsV1"] ?? .map(OrderedMap()), union)
        kept.append(.map(mine))
        let resourceVersion = live.value[path: ["metadata", "resourceVersion"]] ?? .null
        let patch: Value = [
            ["op": "test", "path": "/metadata/resourceVersion", "value": resourceVersion],
            ["op": "replace", "path": "/metadata/managedFields", "value": .list(kept)],
        ]
        _ = try await client.patch(live.gvk, name: live.name, namespace: live.namespace, patch: Patch(.json, patch))
        logger.info("took over client-side-apply fields", metadata: ["object": "\(live.id)"])
    }

    /// Waits until applied CRDs report `Established`, then forgets cached discovery so
    /// their kinds can be applied.
    func waitForDefinitions(_ entries: [PlanEntry]) async throws(EngineError) {
        guard !entries.isEmpty else { return }
        let gvk = GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition")
        let deadline = ContinuousClock.now + .seconds(60)
        for entry in entries {
            while true {
                let live = try? await client.get(gvk, name: entry.id.name)
                if let live, Readiness.condition(live, "Established") == "True" { break }
                if ContinuousClock.now > deadline {
                    throw EngineError(.timeout, "CustomResourceDefinition \(entry.id.name) was not Established within 60s", resource: entry.id)
                }
                // Cancelled: stop at once rather than polling until the deadline.
                do { try await Task.sleep(for: .milliseconds(100)) } catch { throw .cancelled(during: "the wait for CustomResourceDefinitions") }
            }
        }
        await client.invalidateDiscovery()
    }
}

/// Counts finished objects for the progress callback.
final class ProgressCounter: Sendable {
    let total: Int
    let report: Reconciler.Progress?
    private let done = Mutex(0)

    init(total: Int, report: Reconciler.Progress?) {
        self.total = total
        self.report = report
    }

    func advance() {
        let now = done.withLock { value -> Int in value += 1; return value }
        report?(now, total)
    }
}
