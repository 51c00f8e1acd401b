package import Foundation
package import Logging
package import TetherKube
package import TetherModel

/// What one target of `tether run` reports outside itself, put together once: Kubernetes
/// Events on the ApplySet parent and the changed objects, notifications (tether.yaml's
/// `notifications:` and the `--notify-*` flags) and OTLP traces (`--otlp-endpoint`).
/// `observer(_:)` is the reconciler's observer: the dashboard's recorder (when given)
/// and a `SyncRecorder` feeding every reporter, in that order.
///
/// Every reporter queues its network work and returns at once, so a receiver that is
/// down or slow never delays a sync; `finish(within:)` gives the queues a bounded time
/// at shutdown.
package final class DaemonReporting: Sendable {
    package struct Configuration: Sendable {
        /// The target's ApplySet name (`overlays-aws`): `tether/NAME` in messages.
        package var target: String
        /// The ApplySet parent, which the summary Events are about.
        package var parent: ResourceID
        /// Record Kubernetes Events (`--events`).
        package var events = true
        /// `reportingInstance` of the Events (the Pod name in-cluster).
        package var instance: String
        /// The `notifications:` section and the `--notify-*` flags, merged.
        package var notifications = NotificationConfig(sinks: [])
        /// The OTLP/HTTP collector (`--otlp-endpoint`); nil: no traces.
        package var otlpEndpoint: URL?
        /// `service.version` on the traces.
        package var version = "dev"
        /// Retries and timeouts of the notification and trace deliveries.
        package var delivery = HTTPDelivery.Options()

        package init(target: String, parent: ResourceID, instance: String) {
            self.target = target
            self.parent = parent
            self.instance = instance
        }
    }

    package let configuration: Configuration
    let events: ClusterEventRecorder?
    let notifier: Notifier?
    let tracer: SyncTracer?
    let recorder: SyncRecorder

    /// - Parameters:
    ///   - client: writes the Events (the leader-gated client under `--leader-elect`).
    ///   - onDelivery: told of every notification and trace delivery's fate (tests).
    package init(configuration: Configuration, client: KubeClient, logger: Logger,
                 onDelivery: (@Sendable (HTTPDelivery.Request, HTTPDelivery.Result) -> Void)? = nil) {
        self.configuration = configuration
        events = configuration.events
            ? ClusterEventRecorder(parent: configuration.parent, client: client, options: .init(instance: configuration.instance), logger: logger)
            : nil
        let notifications = configuration.notifications
        notifier = notifications.sinks.isEmpty || notifications.kinds.isEmpty
            ? nil
            : Notifier(target: configuration.target, sinks: notifications.sinks, kinds: notifications.kinds,
                       delivery: configuration.delivery, logger: logger, onResult: onDelivery)
        tracer = configuration.otlpEndpoint.map { endpoint in
            var options = SyncTracer.Options(endpoint: endpoint, target: configuration.target)
            options.serviceVersion = configuration.version
            return SyncTracer(options: options, delivery: HTTPDelivery(options: configuration.delivery, logger: logger, onResult: onDelivery))
        }
        let reporters: [(any SyncReporter)?] = [events, notifier, tracer]
        recorder = SyncRecorder(reporters: reporters.compactMap { $0 })
    }

    /// The reconciler's observer: `dashboard` first (when given), then the reporters.
    package func observer(_ dashboard: (any ReconcileObserver)?) -> any ReconcileObserver {
        guard let dashboard else { return recorder }
        return recorder.reporters.isEmpty ? dashboard : ReconcileObservers([dashboard, recorder])
    }

    /// Sends what is queued for up to `limit`, then drops the rest (a receiver that is
    /// down must not hold shutdown for its whole retry schedule).
    package func finish(within limit: Duration) async {
        let events = events, notifier = notifier, tracer = tracer
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await events?.finish()
                await notifier?.finish()
                await tracer?.delivery.finish()
            }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
            events?.cancel()
            notifier?.cancel()
            tracer?.delivery.cancel()
        }
    }
}
