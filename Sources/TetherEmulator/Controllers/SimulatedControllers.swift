import ServiceLifecycle
import TetherModel

/// Stands in for kube-controller-manager and the CRD controller: a moment
/// after an object of a simulated kind changes, it writes the status its
/// controller would report once everything is ready (see `SimulatedStatus`).
///
/// CRDs are always established, as the API server itself does that; the
/// workload controllers run only when `EmulatorOptions.controllers` is on.
struct SimulatedControllers: Service {
    let store: ObjectStore
    let workloads: Bool
    let delay: Duration

    func run() async {
        var resources: Set<GroupResource> = [SimulatedStatus.crds]
        if workloads { resources.formUnion(SimulatedStatus.workloads) }
        let (id, changes) = await store.listen(to: resources)
        let store = self.store, delay = self.delay
        await withDiscardingTaskGroup { group in
            for await key in changes.cancelOnGracefulShutdown() {
                // Each change gets its own delayed reconcile; a reconcile
                // that finds the status already current writes nothing.
                group.addTask {
                    try? await Task.sleep(for: delay)
                    await store.reconcileStatus(key)
                }
            }
            group.cancelAll()
        }
        await store.stopListening(id)
    }
}
