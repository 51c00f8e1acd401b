import Foundation
import Logging
import TetherKube
import TetherModel

extension Reconciler {
    /// Members no longer rendered, each with `PruneSafety`'s decision: a prune, or a skip
    /// with the reason. Objects that are not members are left out.
    /// - Throws: `EngineError` `invalidConfig` for an unknown Tether annotation value.
    func pruneCandidates(live members: [Resource], desiredIDs: Set<ResourceID>, parent: ApplySetParent) throws(EngineError) -> [PlanEntry] {
        let safety = PruneSafety(options: options)
        var entries: [PlanEntry] = []
        for object in members {
            switch try safety.decision(for: object, desiredIDs: desiredIDs, parent: parent) {
            case .notMember: continue
            case .prune: entries.append(PlanEntry(id: object.id, apiVersion: object.apiVersion, action: .prune, live: object))
            case .keep(let reason): entries.append(PlanEntry(id: object.id, apiVersion: object.apiVersion, action: .skip, live: object, reason: reason))
            }
        }
        return entries
    }

    /// Deletes prune entries in reverse dependency order, each guarded by the uid it was
    /// planned against (an object deleted and recreated meanwhile is left alone).
    /// - Returns: one result per entry; after cancellation, the deletions that finished
    ///   (`isComplete` false), and the caller must not narrow the inventory.
    func prune(_ entries: [PlanEntry], counter: ProgressCounter) async -> Bounded.Finished<ObjectResult> {
        var slots: [ObjectResult?] = []
        for phase in ApplyPhase.allCases.reversed() {
            let batch = entries.filter { ApplyPhase(kind: $0.id.kind, group: $0.id.group) == phase }
            guard !batch.isEmpty else { continue }
            if Task.isCancelled { return Bounded.Finished(slots: slots + [nil]) }
            let finished = await Bounded.run(batch, limit: options.concurrency) { entry in
                let result = await self.pruneOne(entry)
                counter.advance()
                return result
            }
            slots += finished.slots
            if !finished.isComplete { return Bounded.Finished(slots: slots) }
        }
        return Bounded.Finished(slots: slots)
    }

    func pruneOne(_ entry: PlanEntry) async -> ObjectResult {
        let start = ContinuousClock.now
        var result = ObjectResult(id: entry.id, apiVersion: entry.apiVersion, action: .prune, outcome: .pruned)
        do throws(KubeError) {
            _ = try await client.delete(entry.gvk, name: entry.id.name, namespace: entry.id.namespace,
                                        options: DeleteOptions(propagationPolicy: options.propagation, preconditionUID: entry.liveUID))
            logger.info("pruned", metadata: ["object": "\(entry.id)"])
        } catch where error.code == .notFound {
            result.message = "already gone"
        } catch where error.code == .conflict {
            result.outcome = .skipped
            result.message = "replaced since the plan was made (uid changed); left alone"
        } catch where error.code == .cancelled {
            result.outcome = .failed
            result.message = "interrupted in flight: it may or may not have been deleted; the next sync settles it"
        } catch {
            result.outcome = .failed
            result.message = error.description
        }
        result.duration = ContinuousClock.now - start
        return result
    }

    // MARK: Inventory

    /// Records every kind and namespace about to be applied in the parent before any
    /// member is written, creating the parent (and its namespace) on first use.
    func widen(_ parent: inout ApplySetParent, with entries: [PlanEntry]) async throws(EngineError) {
        var updated = parent
        for entry in entries where entry.action != .skip {
            updated.groupKinds.insert(entry.id.groupKind.description)
            if !entry.id.namespace.isEmpty, entry.id.namespace != parent.id.namespace {
                updated.additionalNamespaces.insert(entry.id.namespace)
            }
        }
        guard !parent.exists || updated.groupKinds != parent.groupKinds || updated.additionalNamespaces != parent.additionalNamespaces else { return }
        if !parent.exists { try await ensureNamespace(parent.id.namespace) }
        try await write(&updated)
        parent = updated
    }

    /// After pruning, shrinks the inventory to what is still a member, and records the
    /// revision and result when they changed.
    func narrow(_ parent: inout ApplySetParent, plan: Plan, pruned: Bool, revision: String?, failed: Bool) async throws(EngineError) {
        var updated = parent
        if pruned {
            var kinds = Set<String>()
            var namespaces = Set<String>()
            for entry in plan.entries where entry.action != .prune {
                kinds.insert(entry.id.groupKind.description)
                if !entry.id.namespace.isEmpty, entry.id.namespace != parent.id.namespace { namespaces.insert(entry.id.namespace) }
            }
            updated.groupKinds = kinds
            updated.additionalNamespaces = namespaces
        }
        let result = failed ? "failed" : "succeeded"
        if let revision { updated.annotations[ApplySetParent.lastRevisionAnnotation] = revision }
        updated.annotations[ApplySetParent.lastResultAnnotation] = result
        guard updated != parent else { return }
        updated.annotations[ApplySetParent.lastSyncTimeAnnotation] = Date().formatted(.iso8601)
        try await write(&updated)
        parent = updated
    }

    func write(_ parent: inout ApplySetParent) async throws(EngineError) {
        do {
            _ = try await client.apply(parent.object(toolVersion: options.toolVersion),
                                       options: ApplyOptions(fieldManager: options.fieldManager, force: true))
            parent.exists = true
        } catch {
            throw Self.clusterError(error, "cannot write the ApplySet parent \(parent.id)")
        }
    }

    func ensureNamespace(_ name: String) async throws(EngineError) {
        let gvk = GroupVersionKind(group: "", version: "v1", kind: "Namespace")
        do {
            _ = try await client.get(gvk, name: name)
        } catch where error.code == .notFound {
            do {
                _ = try await client.apply(Resource(unchecked: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]),
                                           options: ApplyOptions(fieldManager: options.fieldManager))
            } catch {
                throw Self.clusterError(error, "cannot create namespace \(name) for the ApplySet parent")
            }
        } catch {
            throw Self.clusterError(error, "cannot read namespace \(name)")
        }
    }
}
