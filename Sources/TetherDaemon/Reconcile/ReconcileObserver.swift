package import Foundation
package import TetherEngine
package import TetherGit
package import TetherModel

/// Told what `ContinuousReconciler` does, as it happens: the dashboard's history and drift
/// log are built from these calls (it never asks the cluster itself).
///
/// Calls come from the reconciler's gate, one sync or correction at a time; they must
/// return quickly and never throw.
package protocol ReconcileObserver: Sendable {
    /// A sync began (before the fetch).
    func syncStarted(_ trigger: SyncTrigger, at date: Date)
    /// The source was fetched at this commit (nil for a local directory).
    func fetched(_ revision: GitRevision?)
    /// The sync planned these changes; entries still carry `live` and `merged`.
    func planned(_ plan: Plan)
    /// The plan was applied (and pruned): every object's result, the refused prune budget
    /// if any, and the timed stages so far (`fetch`, `render`, `plan`, `apply`, `prune`).
    func applied(_ result: SyncResult, phases: [SyncReport.Phase])
    /// The sync ended. `planned(_:)` was not called when the revision was already applied
    /// (nothing planned) or the fetch or render failed.
    func syncFinished(_ trigger: SyncTrigger, outcome: SyncOutcome, duration: Duration)
    /// A watch saw a member differ from what was applied (`what`: `changed` or `deleted`).
    func driftDetected(_ id: ResourceID, what: String, policy: DriftPolicy)
    /// A correction of a drifted member ended; `failure` is nil when it was restored.
    func driftCorrected(_ id: ResourceID, what: String, failure: String?)
}

extension ReconcileObserver {
    /// Observers that need only the summary in `syncFinished` skip the per-object results.
    package func applied(_ result: SyncResult, phases: [SyncReport.Phase]) {}
}
