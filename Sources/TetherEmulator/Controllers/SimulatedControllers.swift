import ServiceLifecycle
import TetherModel

/// Stands in for kube-controller-manager, the kubelet and the CRD
/// controller: a moment after an object of a simulated kind changes, it
/// writes the status its controller would report once everything is ready
/// (see `SimulatedStatus`), and it removes a terminating scheduled Pod when
/// its grace period is over.
///
/// CRDs are always established, as the API server itself does that; the
/// workload controllers run only when `EmulatorOptions.controllers` is on.
struct SimulatedControllers: Service {
    let store: ObjectStore
    let workloads: Bool
    let delay: Duration

    func run() async {
        var resources: Set<GroupResource> = [SimulatedStatus.crds]
        if workloads {
            resources.formUnion(SimulatedStatus.workloads)
            resources.insert(ObjectStore.pods)
        }
        let (id, changes) = await store.listen(to: resources)
        let store = self.store, delay = self.delay
        await withDiscardingTaskGroup { group in
            for await key in changes.cancelOnGracefulShutdown() {
                // Each change gets its own delayed reconcile; a reconcile
                // that finds the status already current writes nothing.
                group.addTask {
                    var wait = delay
                    while !Task.isCancelled {
                        try? await Task.sleep(for: wait)
                        guard let next = await store.reconcile(key) else { break }
                        wait = next
                    }
                }
            }
            group.cancelAll()
        }
        await store.stopListening(id)
    }
}
