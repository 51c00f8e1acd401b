import TetherKube
package import TetherModel

/// Cluster reads a plan needs that do not depend on the rendered objects: the ApplySet
/// parent and one labelled list per kind its inventory records. Started before rendering
/// (`Reconciler.prefetch()`), they run while the source renders, so a sync costs about
/// the longer of the two rather than their sum; `plan(desired:revision:detail:prefetched:)`
/// lists only the kinds the inventory did not name.
package struct PlanPrefetch: Sendable {
    struct Reads: Sendable {
        var parent: Result<ApplySetParent, EngineError>
        var lists: [GroupVersionKind: Result<[Resource], KubeError>] = [:]
    }

    let task: Task<Reads, Never>

    /// Stops the reads, when the plan is not going to be made (the render failed).
    package func cancel() { task.cancel() }
}

extension Reconciler {
    /// Starts reading the parent and its inventoried kinds' members in the background.
    /// - Parameter cached: members of kinds a watch cache holds (`LiveCache`), which are
    ///   taken from it instead of listed; planning lists only the other kinds.
    package func prefetch(cached: [GroupVersionKind: [Resource]] = [:]) -> PlanPrefetch {
        let reconciler = self
        return PlanPrefetch(task: Task { await reconciler.prefetchedReads(cached: cached) })
    }

    func prefetchedReads(cached: [GroupVersionKind: [Resource]]) async -> PlanPrefetch.Reads {
        var parent = ApplySetParent(name: options.parentName, namespace: options.parentNamespace)
        do {
            try await readParent(&parent)
        } catch {
            return PlanPrefetch.Reads(parent: .failure(error))
        }
        var lists = cached.mapValues { Result<[Resource], KubeError>.success($0) }
        let cachedKinds = Set(cached.keys.map(\.groupKind))
        var gvks: [GroupVersionKind] = []
        for groupKind in parent.memberGroupKinds where !cachedKinds.contains(groupKind) {
            if let gvk = await servedVersion(of: groupKind) { gvks.append(gvk) }
        }
        for (gvk, list) in zip(gvks, await labelledLists(gvks)) where lists[gvk] == nil { lists[gvk] = list }
        return PlanPrefetch.Reads(parent: .success(parent), lists: lists)
    }

    /// One list per kind, of the objects carrying this set's part-of label; a kind the
    /// server does not serve has no members.
    func labelledLists(_ gvks: [GroupVersionKind]) async -> [Result<[Resource], KubeError>] {
        let selector = partOfSelector
        let client = self.client
        let finished = await Bounded.run(gvks, limit: options.concurrency) { gvk -> Result<[Resource], KubeError> in
            do throws(KubeError) {
                return .success(try await client.listAll(gvk, namespace: "", options: ListOptions(labelSelector: selector)).items)
            } catch where error.code == .notFound || error.code == .noResourceMatch {
                return .success([])
            } catch {
                return .failure(error)
            }
        }
        // A kind not listed because the task was cancelled reads as a cancelled request.
        return finished.slots.map { $0 ?? .failure(KubeError(.cancelled, "the list was not started: the task was cancelled")) }
    }
}
