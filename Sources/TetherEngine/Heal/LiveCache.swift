package import Logging
import Synchronization
package import TetherKube
package import TetherModel

/// The live members of an ApplySet, kept current by one watch per kind (label selector
/// on `applyset.kubernetes.io/part-of`), so a daemon sees drift as it happens and plans
/// without listing.
///
/// Watches resume from their last resourceVersion and re-list after 410 Gone (the
/// client does both); a watch that fails is restarted with exponential backoff. Every
/// change is handed to `onChange` with the object, or nil when it was deleted.
package final class LiveCache: Sendable {
    package typealias ChangeHandler = @Sendable (_ id: ResourceID, _ object: Resource?) async -> Void

    let client: KubeClient
    let selector: String
    let logger: Logger
    private let state = Mutex(State())

    struct State {
        var objects: [ResourceID: Resource] = [:]
        var synced: Set<GroupKind> = []
        var restarts = 0
    }

    /// - Parameter applySetID: the set's `applyset.kubernetes.io/id`.
    package init(client: KubeClient, applySetID: String, logger: Logger) {
        self.client = client
        selector = ApplySetID.partOfLabel + "=" + applySetID
        self.logger = logger
    }

    /// The cached members of the given kinds, or nil when one of them is not synced yet.
    package func members(of kinds: Set<GroupKind>) -> [Resource]? {
        state.withLock { state in
            guard kinds.isSubset(of: state.synced) else { return nil }
            return state.objects.values.filter { kinds.contains($0.id.groupKind) }
        }
    }

    package func object(_ id: ResourceID) -> Resource? { state.withLock { $0.objects[id] } }

    /// Kinds whose first list has arrived.
    package var syncedKinds: Set<GroupKind> { state.withLock { $0.synced } }

    /// How many times a watch had to be started again after failing.
    package var watchRestarts: Int { state.withLock { $0.restarts } }

    /// Watches every kind until the task is cancelled.
    package func run(kinds: [GroupVersionKind], onChange: @escaping ChangeHandler) async {
        await withTaskGroup(of: Void.self) { group in
            for gvk in kinds {
                group.addTask { await self.watchForever(gvk, onChange: onChange) }
            }
        }
    }

    func watchForever(_ gvk: GroupVersionKind, onChange: ChangeHandler) async {
        var delay = Duration.milliseconds(200)
        while !Task.isCancelled {
            do {
                try await watchOnce(gvk, onChange: onChange)
                delay = .milliseconds(200)
            } catch {
                if Task.isCancelled { return }
                state.withLock { $0.restarts += 1 }
                logger.warning("watch failed; restarting", metadata: ["kind": "\(gvk.kind)", "error": "\(error)", "retryIn": "\(delay)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(30))
            }
        }
    }

    /// Lists (starting the cache for the kind), then follows the watch.
    func watchOnce(_ gvk: GroupVersionKind, onChange: ChangeHandler) async throws {
        let list = try await client.listAll(gvk, namespace: "", options: ListOptions(labelSelector: selector))
        await replace(gvk.groupKind, with: list.items, onChange: onChange)
        var options = WatchOptions(labelSelector: selector, resourceVersion: list.resourceVersion)
        options.allowBookmarks = true
        for try await event in client.watch(gvk, namespace: "", options: options) {
            switch event {
            case .added(let object), .modified(let object):
                state.withLock { $0.objects[object.id] = object }
                await onChange(object.id, object)
            case .deleted(let object):
                state.withLock { _ = $0.objects.removeValue(forKey: object.id) }
                await onChange(object.id, nil)
            case .relisted(let items, _):
                await replace(gvk.groupKind, with: items, onChange: onChange)
            case .bookmark:
                break
            }
        }
    }

    /// Replaces a kind's members after a (re)list, reporting what appeared, changed or
    /// went away meanwhile.
    func replace(_ kind: GroupKind, with items: [Resource], onChange: ChangeHandler) async {
        let (changed, removed) = state.withLock { state -> ([Resource], [ResourceID]) in
            let before = state.objects.filter { $0.key.groupKind == kind }
            var changed: [Resource] = []
            var seen = Set<ResourceID>()
            for item in items {
                seen.insert(item.id)
                if before[item.id] != item { changed.append(item) }
                state.objects[item.id] = item
            }
            let removed = before.keys.filter { !seen.contains($0) }
            for id in removed { state.objects.removeValue(forKey: id) }
            let firstSync = state.synced.insert(kind).inserted
            return firstSync ? ([], removed) : (changed, removed)
        }
        for object in changed { await onChange(object.id, object) }
        for id in removed { await onChange(id, nil) }
    }
}
