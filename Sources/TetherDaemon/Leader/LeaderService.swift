import ServiceLifecycle
import Synchronization

/// Runs the scheduler only while this replica holds the Lease, again for each term.
///
/// On SIGTERM a standby stops waiting for the Lease at once; a leader lets the scheduler
/// finish the sync it is running (up to --shutdown-timeout, as without leader election),
/// then releases the Lease so a standby takes over within a retry period.
package struct LeaderService: Service {
    let elector: LeaderElector
    let scheduler: SyncScheduler<ContinuousClock>
    let reconciler: ContinuousReconciler

    /// - Parameters:
    ///   - elector: the Lease this replica competes for.
    ///   - scheduler: runs only while the Lease is held.
    ///   - reconciler: stopped (watches and drift corrections ended) when a term ends.
    package init(elector: LeaderElector, scheduler: SyncScheduler<ContinuousClock>, reconciler: ContinuousReconciler) {
        self.elector = elector
        self.scheduler = scheduler
        self.reconciler = reconciler
    }

    /// Whether the scheduler is running (this replica leads).
    private final class Leading: Sendable {
        let value = Atomic<Bool>(false)
    }

    package func run() async throws {
        let leading = Leading()
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await elector.run {
                    leading.value.store(true, ordering: .sequentiallyConsistent)
                    // Returns on graceful shutdown, once the running sync has finished;
                    // throws CancellationError when the Lease was lost. Either way the
                    // term's watches and drift corrections end before the Lease is given
                    // up, so nothing writes once another replica may lead.
                    do {
                        try await scheduler.run()
                    } catch {
                        leading.value.store(false, ordering: .sequentiallyConsistent)
                        await reconciler.stop()
                        throw error
                    }
                    leading.value.store(false, ordering: .sequentiallyConsistent)
                    await reconciler.stop()
                }
                return true
            }
            group.addTask {
                // Throws CancellationError when the elector ended first (the group cancels it).
                try await gracefulShutdown()
                return false
            }
            while let electorEnded = try await group.next() {
                if electorEnded { break }
                // Shutting down: a standby's wait for the Lease ends now; a leader's
                // scheduler winds down by itself.
                if !leading.value.load(ordering: .sequentiallyConsistent) { group.cancelAll() }
            }
            group.cancelAll()
        }
    }
}
