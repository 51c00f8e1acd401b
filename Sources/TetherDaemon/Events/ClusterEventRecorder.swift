import Foundation
package import Logging
import Synchronization
import TetherEngine
import TetherGit
package import TetherKube
package import TetherModel

/// Records what the daemon did as Kubernetes Events (core `v1`, which `kubectl get
/// events` and `kubectl describe` read), on the ApplySet parent and on the objects a sync
/// changed, like Flux's controllers: reasons `Synced`, `SyncFailed`, `Pruned`,
/// `PruneRefused`, `DriftCorrected`, `DriftDetected`, `DriftCorrectionFailed`, with the
/// revision in the message and in the `tether.dev/revision` annotation.
///
/// Repeats are correlated as client-go's recorder does (`EventCorrelator`). Events are
/// queued and sent by one background task, so a slow API server never delays a sync;
/// a failure to record is logged and dropped. Messages carry names and engine errors
/// only, never an object's data.
package final class ClusterEventRecorder: SyncReporter {
    package struct Options: Sendable {
        /// `source.component` and `reportingComponent`.
        package var component = "tether"
        /// `reportingInstance` (the Pod name in-cluster).
        package var instance: String
        /// Per-object events per sync at most; beyond it only the parent's summary.
        package var maxObjectEvents = 50
        package var correlation = EventCorrelator.Options()
        /// Events waiting to be sent at most; newer ones are dropped beyond it.
        package var queueLimit = 1000
        package init(instance: String) {
            self.instance = instance
        }
    }

    package let parent: ResourceID
    package let options: Options
    let client: KubeClient
    let logger: Logger
    private let correlator: Mutex<EventCorrelator>
    private let queue: AsyncStream<EventCorrelator.Decision>.Continuation
    private let sender: Task<Void, Never>

    /// - Parameter parent: the ApplySet parent (`ConfigMap/tether-system/tether-NAME`).
    package init(parent: ResourceID, client: KubeClient, options: Options, logger: Logger) {
        self.parent = parent
        self.options = options
        self.client = client
        self.logger = logger
        correlator = Mutex(EventCorrelator(options: options.correlation))
        let (stream, continuation) = AsyncStream<EventCorrelator.Decision>.makeStream(bufferingPolicy: .bufferingNewest(options.queueLimit))
        queue = continuation
        let sending = EventSender(client: client, component: options.component, instance: options.instance, logger: logger)
        // Unstructured: it outlives every sync; `finish()` ends and awaits it.
        sender = Task {
            for await decision in stream { await sending.send(decision) }
        }
    }

    /// Sends what is queued, then stops.
    package func finish() async {
        queue.finish()
        await sender.value
    }

    /// Stops at once, dropping what is still queued.
    package func cancel() {
        queue.finish()
        sender.cancel()
    }

    /// Correlates and queues one event (never blocks).
    package func record(_ event: EventCorrelator.Event) {
        let decision = correlator.withLock { $0.correlate(event, now: Date()) }
        if decision == .dropped {
            logger.debug("event dropped by the rate limit", metadata: ["object": "\(event.object.kind)/\(event.object.name)", "reason": "\(event.reason)"])
            return
        }
        queue.yield(decision)
    }

    var parentReference: EventCorrelator.Reference {
        EventCorrelator.Reference(apiVersion: "v1", kind: parent.kind, namespace: parent.namespace, name: parent.name)
    }

    func reference(_ id: ResourceID, _ object: ObjectReference?) -> EventCorrelator.Reference? {
        guard let object else { return nil }
        return EventCorrelator.Reference(apiVersion: object.apiVersion, kind: id.kind, namespace: id.namespace, name: id.name, uid: object.uid)
    }

    // MARK: SyncReporter

    package func report(_ sync: SyncRecord) {
        let revision = sync.outcome.revision ?? sync.revision?.sha
        if let message = sync.outcome.failureMessage {
            let refused = sync.pruneRefused
            record(.init(object: parentReference, type: .warning, reason: refused ? "PruneRefused" : "SyncFailed",
                         action: refused ? "Prune" : "Apply", message: "Revision \(sync.shortRevision): \(message)", revision: revision))
        } else if let result = sync.result {
            record(.init(object: parentReference, type: .normal, reason: "Synced", action: "Apply",
                         message: "Applied revision \(sync.shortRevision): \(sync.countsText)", revision: revision))
            let pruned = result.results.filter { $0.outcome == .pruned }
            if !pruned.isEmpty {
                let names = pruned.prefix(10).map(\.id.description).joined(separator: ", ")
                record(.init(object: parentReference, type: .normal, reason: "Pruned", action: "Prune",
                             message: "Pruned \(pruned.count) object(s) no longer in revision \(sync.shortRevision): \(names)\(pruned.count > 10 ? ", …" : "")",
                             revision: revision))
            }
        }
        reportObjects(sync, revision: revision)
    }

    /// The per-object events: what a sync created, configured, pruned or failed on.
    func reportObjects(_ sync: SyncRecord, revision: String?) {
        var sent = 0
        for entry in sync.result?.results ?? [] where sent < options.maxObjectEvents {
            let event: (EventCorrelator.Event.Kind, String, String, String)
            switch entry.outcome {
            case .created: event = (.normal, "Synced", "Apply", "Created by tether from revision \(sync.shortRevision)")
            case .configured: event = (.normal, "Synced", "Apply", "Configured by tether from revision \(sync.shortRevision)")
            case .pruned: event = (.normal, "Pruned", "Prune", "Deleted by tether: no longer in revision \(sync.shortRevision)")
            case .failed, .conflicted:
                event = (.warning, "SyncFailed", "Apply", "Revision \(sync.shortRevision): \(entry.message ?? entry.outcome.rawValue)")
            case .unchanged, .skipped: continue
            }
            let object = sync.objects[entry.id] ?? ObjectReference(apiVersion: entry.apiVersion)
            guard let reference = reference(entry.id, object) else { continue }
            record(.init(object: reference, type: event.0, reason: event.1, action: event.2, message: event.3, revision: revision))
            sent += 1
        }
    }

    package func report(_ drift: DriftRecord) {
        let revision = drift.revision.map { String($0.prefix(12)) } ?? "-"
        let event: (EventCorrelator.Event.Kind, String, String)
        if drift.endedAt == nil {
            guard drift.policy == .report else { return }
            event = (.warning, "DriftDetected", "\(drift.id) was \(drift.what) outside tether; self-heal is off for it, so it stays (revision \(revision))")
        } else if let failure = drift.failure {
            event = (.warning, "DriftCorrectionFailed", "\(drift.id) was \(drift.what) and could not be restored: \(failure)")
        } else {
            event = (.normal, "DriftCorrected", "\(drift.id) was \(drift.what) and has been restored to revision \(revision)")
        }
        // A deleted object was re-created: its old uid is gone, the sender looks the new one up.
        var object = drift.object
        if drift.what == "deleted" { object?.uid = nil }
        for reference in [parentReference, reference(drift.id, object)].compactMap({ $0 }) {
            record(.init(object: reference, type: event.0, reason: event.1, action: "CorrectDrift", message: event.2, revision: drift.revision))
        }
    }
}
