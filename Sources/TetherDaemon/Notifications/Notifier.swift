import Foundation
import TetherGit
package import Logging
import Synchronization

/// Sends notifications after each sync that changed something or failed, and after
/// drift (corrected, failed to correct, or reported), to every configured sink whose
/// severity allows it; commit statuses go out for every newly applied revision and
/// every failure. Each sink has its own `HTTPDelivery` (background queue, retries with
/// backoff), so a sink that is down or slow delays neither a sync nor another sink.
package final class Notifier: SyncReporter {
    package let target: String
    package let sinks: [NotificationSink]
    /// The `--notify-on` kinds.
    package let kinds: Set<Notification.Kind>
    let deliveries: [HTTPDelivery]
    let logger: Logger
    private let lastStatused = Mutex<String?>(nil)

    /// - Parameter onResult: told of each delivery's fate (tests).
    package init(target: String, sinks: [NotificationSink], kinds: Set<Notification.Kind> = Set(Notification.Kind.allCases),
                 delivery: HTTPDelivery.Options = .init(), logger: Logger,
                 onResult: (@Sendable (HTTPDelivery.Request, HTTPDelivery.Result) -> Void)? = nil) {
        self.target = target
        self.sinks = sinks
        self.kinds = kinds
        self.logger = logger
        deliveries = sinks.map { _ in HTTPDelivery(options: delivery, logger: logger, onResult: onResult) }
    }

    /// Delivers what is queued (with retries), then stops.
    package func finish() async {
        for delivery in deliveries { await delivery.finish() }
    }

    /// Stops every delivery at once, dropping what is still queued.
    package func cancel() {
        for delivery in deliveries { delivery.cancel() }
    }

    package func report(_ sync: SyncRecord) {
        let notification = Notification(sync, target: target)
        if let notification { send(notification, commitStatuses: false) }
        // A new revision applied without changes still gets its commit status.
        let revision = sync.outcome.revision
        let newlyApplied = sync.succeeded && sync.result != nil && revision != nil
            && lastStatused.withLock { last in
                defer { last = revision }
                return last != revision
            }
        if sync.succeeded, !newlyApplied { return }
        var status = notification
        if status == nil, newlyApplied, let revision {
            status = Notification(kind: .synced, severity: .info, reason: "Synced", target: target, revision: revision,
                                  commitSubject: sync.revision?.subject, commitAuthor: sync.revision?.author,
                                  message: "Applied revision \(sync.shortRevision): \(sync.countsText)", trigger: sync.trigger.description,
                                  counts: [:], changes: [], time: Date())
        }
        if !sync.succeeded { lastStatused.withLock { $0 = nil } }
        if let status { send(status, commitStatuses: true) }
    }

    package func report(_ drift: DriftRecord) {
        if let notification = Notification(drift, target: target) { send(notification, commitStatuses: false) }
    }

    /// Queues `notification` for the message sinks, or for the commit-status sinks.
    func send(_ notification: Notification, commitStatuses: Bool) {
        guard kinds.contains(notification.kind) else { return }
        for (sink, delivery) in zip(sinks, deliveries) where sink.isCommitStatus == commitStatuses && notification.severity >= sink.severity {
            do {
                if let request = try sink.request(for: notification) { delivery.enqueue(request) }
            } catch {
                logger.warning("cannot build a notification", metadata: ["sink": "\(sink.location)", "error": "\(error)"])
            }
        }
    }
}
