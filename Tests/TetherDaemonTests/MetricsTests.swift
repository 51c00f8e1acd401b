import Prometheus
import Testing
@testable import TetherDaemon
import TetherKube
import TestSupport

@Suite("Metrics catalog and Prometheus exposition", .capturedLogs)
struct MetricsTests {
    @Test("every metric in the catalog is exported with HELP and TYPE once recorded")
    func catalog() {
        let registry = PrometheusCollectorRegistry()
        let metrics = DaemonMetrics(factory: DaemonMetrics.prometheusFactory(registry: registry))
        metrics.recordSync(.succeeded(revision: "a1", objectsManaged: 3), duration: .milliseconds(1500), finishedAt: 1_800_000_000)
        metrics.recordSync(.failed("boom"), duration: .milliseconds(20), finishedAt: 1_800_000_060)
        metrics.recordDriftCorrections(2)
        metrics.recordGitFetch(duration: .milliseconds(30), failed: false)
        metrics.recordGitFetch(duration: .seconds(3), failed: true)
        metrics.recordAPIRequest(verb: "PATCH", code: 200)
        metrics.recordAPIRequest(verb: "PATCH", code: 200)
        metrics.recordAPIRequest(verb: "GET", code: 0)
        metrics.recordWatchRestart(.expired)
        metrics.recordWebhook(provider: .gitlab, result: .unauthorized)
        metrics.recordLeader(true)
        let text = PrometheusExposition.render(registry)
        for name in MetricName.allCases {
            #expect(text.contains("# HELP \(name.rawValue) "), "\(name.rawValue) has no HELP")
            #expect(text.contains("# TYPE \(name.rawValue) \(name.kind.rawValue)\n"), "\(name.rawValue) has no TYPE")
        }
        #expect(text.contains(#"tether_api_requests_total{verb="PATCH",code="200"} 2"#))
        #expect(text.contains(#"tether_api_requests_total{verb="GET",code="0"} 1"#))
        #expect(text.contains("tether_git_fetch_failures_total 1"))
        #expect(text.contains(#"tether_git_fetch_duration_seconds_bucket{le="0.05"} 1"#))
        #expect(text.contains(#"tether_sync_duration_seconds_bucket{result="success",le="2.5"} 1"#))
        #expect(text.contains(#"tether_sync_duration_seconds_bucket{result="success",le="1.0"} 0"#))
        #expect(text.contains(#"tether_watch_restarts_total{reason="expired"} 1"#))
        #expect(text.contains("tether_leader 1.0"))
        // Families come out in name order, so the output is stable between scrapes.
        let families = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        #expect(families == families.sorted())
    }

    @Test("the API client's events feed the request and watch-restart counters", arguments: [
        (RequestEvent.response(method: "PATCH", status: 201), #"tether_api_requests_total{verb="PATCH",code="201"} 1"#),
        (.response(method: "GET", status: 0), #"tether_api_requests_total{verb="GET",code="0"} 1"#),
        (.watchRestarted(.expired), #"tether_watch_restarts_total{reason="expired"} 1"#),
        (.watchRestarted(.failed), #"tether_watch_restarts_total{reason="error"} 1"#),
        (.watchRestarted(.closedEarly), #"tether_watch_restarts_total{reason="closed"} 1"#),
    ])
    func clientEvents(event: RequestEvent, line: String) {
        let registry = PrometheusCollectorRegistry()
        let metrics = DaemonMetrics(factory: DaemonMetrics.prometheusFactory(registry: registry))
        metrics.record(event)
        #expect(PrometheusExposition.render(registry).contains(line))
    }

    @Test("a new revision replaces the old one in the info metric")
    func revisionInfo() {
        let registry = PrometheusCollectorRegistry()
        let metrics = DaemonMetrics(factory: DaemonMetrics.prometheusFactory(registry: registry))
        metrics.recordAppliedRevision("old")
        metrics.recordAppliedRevision("new")
        metrics.recordAppliedRevision("new")
        let text = PrometheusExposition.render(registry)
        #expect(!text.contains(#"revision="old""#))
        #expect(text.contains(#"tether_last_applied_revision_info{revision="new"} 1.0"#))
        // A failed sync does not change the applied revision.
        metrics.recordSync(.failed("x", revision: "broken"), duration: .zero, finishedAt: 0)
        #expect(PrometheusExposition.render(registry).contains(#"revision="new""#))
        #expect(!PrometheusExposition.render(registry).contains(#"revision="broken""#))
    }
}
