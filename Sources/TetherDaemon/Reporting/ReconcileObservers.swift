package import Foundation
package import TetherEngine
package import TetherGit
package import TetherModel

/// Several observers as one: the reconciler has one `observer`, and the dashboard and
/// `SyncRecorder` (Events, notifications, traces) each get every call, in list order.
package struct ReconcileObservers: ReconcileObserver {
    package var observers: [any ReconcileObserver]

    package init(_ observers: [any ReconcileObserver]) {
        self.observers = observers
    }

    package func syncStarted(_ trigger: SyncTrigger, at date: Date) { for o in observers { o.syncStarted(trigger, at: date) } }
    package func fetched(_ revision: GitRevision?) { for o in observers { o.fetched(revision) } }
    package func planned(_ plan: Plan) { for o in observers { o.planned(plan) } }
    package func applied(_ result: SyncResult, phases: [SyncReport.Phase]) { for o in observers { o.applied(result, phases: phases) } }
    package func syncFinished(_ trigger: SyncTrigger, outcome: SyncOutcome, duration: Duration) {
        for o in observers { o.syncFinished(trigger, outcome: outcome, duration: duration) }
    }
    package func driftDetected(_ id: ResourceID, what: String, policy: DriftPolicy) {
        for o in observers { o.driftDetected(id, what: what, policy: policy) }
    }
    package func driftCorrected(_ id: ResourceID, what: String, failure: String?) {
        for o in observers { o.driftCorrected(id, what: what, failure: failure) }
    }
}
