package import Foundation
import Synchronization
package import TetherEngine
package import TetherGit
package import TetherModel

/// Puts the reconciler's observer calls together into one `SyncRecord` per sync and one
/// `DriftRecord` per drift, and hands them to the reporters (Events, notifications,
/// traces). It reads nothing from the cluster.
package final class SyncRecorder: ReconcileObserver {
    package let reporters: [any SyncReporter]
    private let state = Mutex(State())

    private struct State {
        var current: SyncRecord?
        /// The last plan's objects, for drift records between syncs.
        var objects: [ResourceID: ObjectReference] = [:]
        var revision: String?
        var drift: [ResourceID: DriftRecord] = [:]
    }

    package init(reporters: [any SyncReporter]) {
        self.reporters = reporters
    }

    package func syncStarted(_ trigger: SyncTrigger, at date: Date) {
        state.withLock { state in
            state.current = SyncRecord(trigger: trigger, startedAt: date, duration: .zero, outcome: .failed("running"),
                                       phases: [], objects: state.objects)
        }
    }

    package func fetched(_ revision: GitRevision?) {
        state.withLock { state in
            state.current?.revision = revision
            state.current?.fetchedAt = Date()
        }
    }

    package func planned(_ plan: Plan) {
        var objects: [ResourceID: ObjectReference] = [:]
        objects.reserveCapacity(plan.entries.count)
        for entry in plan.entries { objects[entry.id] = ObjectReference(apiVersion: entry.apiVersion, uid: entry.liveUID) }
        state.withLock { state in
            state.current?.objects = objects
            state.current?.plannedAt = Date()
        }
    }

    package func applied(_ result: SyncResult, phases: [SyncReport.Phase]) {
        state.withLock { state in
            state.current?.result = result
            state.current?.phases = phases
        }
    }

    package func syncFinished(_ trigger: SyncTrigger, outcome: SyncOutcome, duration: Duration) {
        let record = state.withLock { state -> SyncRecord? in
            guard var record = state.current else { return nil }
            state.current = nil
            record.outcome = outcome
            record.duration = duration
            if record.result != nil, outcome.succeeded {
                // Keep only what is still a member: pruned objects are gone.
                let pruned = Set((record.result?.results ?? []).lazy.filter { $0.outcome == .pruned }.map(\.id))
                state.objects = pruned.isEmpty ? record.objects : record.objects.filter { !pruned.contains($0.key) }
                state.revision = outcome.revision
            }
            return record
        }
        guard let record else { return }
        for reporter in reporters { reporter.report(record) }
    }

    package func driftDetected(_ id: ResourceID, what: String, policy: DriftPolicy) {
        let record = state.withLock { state -> DriftRecord in
            let record = DriftRecord(id: id, object: state.objects[id], what: what, policy: policy, detectedAt: Date(),
                                     revision: state.revision)
            if policy == .correct { state.drift[id] = record }
            return record
        }
        for reporter in reporters { reporter.report(record) }
    }

    package func driftCorrected(_ id: ResourceID, what: String, failure: String?) {
        let record = state.withLock { state -> DriftRecord in
            var record = state.drift.removeValue(forKey: id)
                ?? DriftRecord(id: id, object: state.objects[id], what: what, policy: .correct, detectedAt: Date(), revision: state.revision)
            record.endedAt = Date()
            record.failure = failure
            return record
        }
        for reporter in reporters { reporter.report(record) }
    }
}
