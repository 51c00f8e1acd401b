/// Every metric the daemon exports, with its Prometheus type, labels and help text, in
/// one place. Labels have low cardinality: results, verbs, status codes, providers;
/// never object names.
package enum MetricName: String, Sendable, CaseIterable {
    case syncTotal = "tether_sync_total"
    case syncDuration = "tether_sync_duration_seconds"
    case lastSyncTimestamp = "tether_last_sync_timestamp_seconds"
    case lastAppliedRevision = "tether_last_applied_revision_info"
    case objectsManaged = "tether_objects_managed"
    case driftCorrections = "tether_drift_corrections_total"
    case gitFetchDuration = "tether_git_fetch_duration_seconds"
    case gitFetchFailures = "tether_git_fetch_failures_total"
    case apiRequests = "tether_api_requests_total"
    case watchRestarts = "tether_watch_restarts_total"
    case webhookRequests = "tether_webhook_requests_total"
    case leader = "tether_leader"

    /// The Prometheus metric type.
    package enum Kind: String, Sendable { case counter, gauge, histogram }

    package var kind: Kind {
        switch self {
        case .syncTotal, .driftCorrections, .gitFetchFailures, .apiRequests, .watchRestarts, .webhookRequests: return .counter
        case .syncDuration, .gitFetchDuration: return .histogram
        case .lastSyncTimestamp, .lastAppliedRevision, .objectsManaged, .leader: return .gauge
        }
    }

    /// The label names, in the order they are exported.
    package var labels: [String] {
        switch self {
        case .syncTotal, .syncDuration, .lastSyncTimestamp: return ["result"]
        case .lastAppliedRevision: return ["revision"]
        case .apiRequests: return ["verb", "code"]
        case .watchRestarts: return ["reason"]
        case .webhookRequests: return ["provider", "result"]
        case .objectsManaged, .driftCorrections, .gitFetchDuration, .gitFetchFailures, .leader: return []
        }
    }

    /// The `# HELP` text.
    package var help: String {
        switch self {
        case .syncTotal: return "Syncs finished, by result (success or failure)."
        case .syncDuration: return "Wall time of one sync (fetch, render, diff, apply, prune), by result."
        case .lastSyncTimestamp: return "Unix time the last sync with this result finished."
        case .lastAppliedRevision: return "The Git revision last applied successfully (value is always 1)."
        case .objectsManaged: return "Objects in the inventory after the last successful sync."
        case .driftCorrections: return "Managed objects re-applied because they drifted from Git or were deleted."
        case .gitFetchDuration: return "Wall time of one Git fetch, including the no-change check."
        case .gitFetchFailures: return "Git fetches that failed."
        case .apiRequests: return "Kubernetes API requests, by HTTP verb and status code (0 when no response arrived)."
        case .watchRestarts: return "Watches started again, by reason (expired: 410 Gone and a re-list; error: the request failed or the connection was lost; closed: the server ended it before its timeout)."
        case .webhookRequests: return "Webhook requests, by provider and result (accepted, ignored, unauthorized, replayed, bad_request, too_large, rate_limited)."
        case .leader: return "1 while this replica holds the leader-election Lease, else 0."
        }
    }

    /// Histogram buckets (seconds), for the histograms.
    package var buckets: [Duration] {
        switch self {
        case .syncDuration:
            return [.milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                    .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300)]
        case .gitFetchDuration:
            return [.milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                    .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60)]
        default: return []
        }
    }
}
