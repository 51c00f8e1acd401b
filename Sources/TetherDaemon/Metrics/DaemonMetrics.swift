package import CoreMetrics
package import Prometheus
import Synchronization
package import TetherKube

/// Records the daemon's metrics through swift-metrics; `MetricName` lists them.
///
/// The factory is injected rather than taken from `MetricsSystem`, so tests (and several
/// daemons in one process) each get their own registry; `tether run` passes the factory
/// of the registry that `/metrics` exports.
package final class DaemonMetrics: Sendable {
    private let factory: any MetricsFactory
    /// The revision gauge currently exported; replaced (and the old series removed) when
    /// a new revision is applied, so exactly one revision is reported.
    private let currentRevision = Mutex<(value: String, gauge: CoreMetrics.Gauge)?>(nil)

    /// - Parameter factory: where metrics are created, e.g. `DaemonMetrics.prometheusFactory(registry:)`.
    package init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// A Prometheus factory for `registry` with the daemon's histogram buckets.
    package static func prometheusFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        for name in MetricName.allCases where name.kind == .histogram {
            factory.durationHistogramBuckets[name.rawValue] = name.buckets
        }
        return factory
    }

    /// One finished sync: count, duration and timestamp by result, and on success the
    /// revision, object count and drift corrections.
    package func recordSync(_ outcome: SyncOutcome, duration: Duration, finishedAt unixTime: Double) {
        let result = outcome.succeeded ? "success" : "failure"
        CoreMetrics.Counter(label: MetricName.syncTotal.rawValue, dimensions: [("result", result)], factory: factory).increment()
        CoreMetrics.Timer(label: MetricName.syncDuration.rawValue, dimensions: [("result", result)], factory: factory).recordNanoseconds(Self.nanoseconds(duration))
        CoreMetrics.Gauge(label: MetricName.lastSyncTimestamp.rawValue, dimensions: [("result", result)], factory: factory).record(unixTime)
        if outcome.driftCorrections > 0 { recordDriftCorrections(outcome.driftCorrections) }
        guard outcome.succeeded else { return }
        if let objects = outcome.objectsManaged {
            CoreMetrics.Gauge(label: MetricName.objectsManaged.rawValue, factory: factory).record(objects)
        }
        if let revision = outcome.revision { recordAppliedRevision(revision) }
    }

    /// Sets the revision info metric to `revision`, removing the previous revision's series.
    package func recordAppliedRevision(_ revision: String) {
        currentRevision.withLock { current in
            if current?.value == revision { return }
            current?.gauge.destroy()
            let gauge = CoreMetrics.Gauge(label: MetricName.lastAppliedRevision.rawValue, dimensions: [("revision", revision)], factory: factory)
            gauge.record(1)
            current = (revision, gauge)
        }
    }

    /// Objects re-applied because they drifted.
    package func recordDriftCorrections(_ count: Int) {
        CoreMetrics.Counter(label: MetricName.driftCorrections.rawValue, factory: factory).increment(by: count)
    }

    /// One Git fetch (including a no-change check).
    package func recordGitFetch(duration: Duration, failed: Bool) {
        CoreMetrics.Timer(label: MetricName.gitFetchDuration.rawValue, factory: factory).recordNanoseconds(Self.nanoseconds(duration))
        if failed { CoreMetrics.Counter(label: MetricName.gitFetchFailures.rawValue, factory: factory).increment() }
    }

    /// One Kubernetes API request.
    /// - Parameters:
    ///   - verb: the HTTP method (`GET`, `PATCH`, …).
    ///   - code: the HTTP status, 0 when no response arrived.
    package func recordAPIRequest(verb: String, code: Int) {
        CoreMetrics.Counter(label: MetricName.apiRequests.rawValue, dimensions: [("verb", verb), ("code", String(code))],
                factory: factory).increment()
    }

    /// Why a watch was restarted.
    package enum WatchRestartReason: String, Sendable {
        /// 410 Gone: the resourceVersion expired and the kind was listed again.
        case expired
        /// The connection dropped or the server answered an error.
        case error
        /// The server ended the watch before its timeout (a load balancer, an API server
        /// restart); it resumed from its last resourceVersion.
        case closed
    }

    /// Feeds what the API client reports (`KubeClient.Options.observer`) into
    /// `tether_api_requests_total` and `tether_watch_restarts_total`.
    package func record(_ event: RequestEvent) {
        switch event {
        case .response(let method, let status):
            recordAPIRequest(verb: method, code: status)
        case .watchRestarted(.expired):
            recordWatchRestart(.expired)
        case .watchRestarted(.failed):
            recordWatchRestart(.error)
        case .watchRestarted(.closedEarly):
            recordWatchRestart(.closed)
        }
    }

    /// One watch restart.
    package func recordWatchRestart(_ reason: WatchRestartReason) {
        CoreMetrics.Counter(label: MetricName.watchRestarts.rawValue, dimensions: [("reason", reason.rawValue)], factory: factory).increment()
    }

    /// One webhook request and how it was answered.
    package func recordWebhook(provider: WebhookProvider, result: WebhookReceiver.Response.Result) {
        CoreMetrics.Counter(label: MetricName.webhookRequests.rawValue,
                dimensions: [("provider", provider.rawValue), ("result", result.rawValue)], factory: factory).increment()
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Whether this replica leads.
    package func recordLeader(_ leading: Bool) {
        CoreMetrics.Gauge(label: MetricName.leader.rawValue, factory: factory).record(leading ? 1 : 0)
    }
}
