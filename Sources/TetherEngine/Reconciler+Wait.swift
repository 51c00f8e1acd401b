import TetherKube
import TetherModel

extension Reconciler {
    /// Waits until every applied object of a kind with a notion of readiness is ready
    /// (`--wait`), polling each about twice a second.
    /// - Throws: `EngineError` `notReady` naming the first object still pending at the
    ///   deadline, with what it is missing.
    package func waitReady(_ plan: Plan, timeout: Duration) async throws(EngineError) {
        let watched: Set<String> = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CustomResourceDefinition", "PersistentVolumeClaim"]
        var pending = plan.entries.filter { $0.desired != nil && $0.action != .skip && watched.contains($0.id.kind) }
        let deadline = ContinuousClock.now + timeout
        var last: [ResourceID: String] = [:]
        while !pending.isEmpty {
            var still: [PlanEntry] = []
            for entry in pending {
                do {
                    let live = try await client.get(entry.gvk, name: entry.id.name, namespace: entry.id.namespace)
                    if let missing = Readiness.pending(live) {
                        last[entry.id] = missing
                        still.append(entry)
                    }
                } catch {
                    last[entry.id] = "\(error)"
                    still.append(entry)
                }
            }
            pending = still
            if pending.isEmpty { return }
            if ContinuousClock.now >= deadline {
                let first = pending[0]
                throw EngineError(.notReady, "\(first.id) is not ready after \(timeout): \(last[first.id] ?? "unknown")"
                                  + (pending.count > 1 ? " (and \(pending.count - 1) more not ready)" : ""),
                                  resource: first.id, hint: "Check it with kubectl describe; raise --timeout if it is only slow.")
            }
            do { try await Task.sleep(for: .milliseconds(500)) } catch { throw .cancelled(during: "the wait for readiness") }
        }
    }
}
