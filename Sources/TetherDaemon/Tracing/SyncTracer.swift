package import Foundation
import TetherEngine
import TetherGit
import TetherModel

/// Each sync as one OpenTelemetry trace, exported over OTLP/HTTP (protobuf): a root
/// `sync` span with the target, trigger, revision and counts as attributes, and a child
/// span per stage (`fetch`, `render`, `plan`, `apply`, `prune`, `wait`) from the
/// pipeline's timings, laid out in the order they ran. A drift correction is a trace of
/// its own (`drift.correct`).
///
/// Attributes hold names, counts and engine messages only, never object data (so never a
/// Secret value). Export goes through `HTTPDelivery`: a collector that is down costs
/// retries in the background, not sync time.
package final class SyncTracer: SyncReporter {
    package struct Options: Sendable {
        /// The collector's base URL (`http://127.0.0.1:4318`); `/v1/traces` is appended
        /// unless the path already ends with it.
        package var endpoint: URL
        /// Sent with every export (e.g. an API key header for a hosted collector).
        package var headers: [String: String] = [:]
        package var serviceName = "tether"
        package var serviceVersion = "dev"
        /// The target (ApplySet) name, `tether.target` on every span.
        package var target: String
        package init(endpoint: URL, target: String) {
            self.endpoint = endpoint
            self.target = target
        }

        /// Where spans are POSTed.
        package var tracesURL: URL {
            endpoint.path.hasSuffix("/v1/traces") ? endpoint : endpoint.appendingPathComponent("v1").appendingPathComponent("traces")
        }
    }

    package let options: Options
    let delivery: HTTPDelivery

    package init(options: Options, delivery: HTTPDelivery) {
        self.options = options
        self.delivery = delivery
    }

    package func report(_ sync: SyncRecord) {
        export(spans(for: sync))
    }

    package func report(_ drift: DriftRecord) {
        guard let end = drift.endedAt else { return }
        var attributes: [(String, TraceSpan.Attribute)] = [
            ("tether.target", .string(options.target)), ("tether.object", .string(drift.id.description)),
            ("tether.drift", .string(drift.what)),
        ]
        if let revision = drift.revision { attributes.append(("tether.revision", .string(revision))) }
        export([TraceSpan(traceID: TraceSpan.randomID(bytes: 16), spanID: TraceSpan.randomID(bytes: 8), name: "drift.correct",
                          start: drift.detectedAt, end: end, attributes: attributes,
                          status: drift.failure.map { .error($0) } ?? .ok)])
    }

    /// The root span and one child per timed stage.
    package func spans(for sync: SyncRecord) -> [TraceSpan] {
        let traceID = TraceSpan.randomID(bytes: 16)
        let rootID = TraceSpan.randomID(bytes: 8)
        let end = sync.startedAt.addingTimeInterval(Self.seconds(sync.duration))
        var attributes: [(String, TraceSpan.Attribute)] = [
            ("tether.target", .string(options.target)), ("tether.trigger", .string(sync.trigger.description)),
            ("tether.result", .string(sync.succeeded ? "succeeded" : "failed")),
        ]
        if let revision = sync.outcome.revision ?? sync.revision?.sha { attributes.append(("tether.revision", .string(revision))) }
        if sync.result != nil {
            let counts = sync.counts
            for outcome in [ObjectOutcome.created, .configured, .pruned, .unchanged] {
                attributes.append(("tether.objects.\(outcome.rawValue)", .int(counts[outcome] ?? 0)))
            }
            attributes.append(("tether.objects.failed", .int((counts[.failed] ?? 0) + (counts[.conflicted] ?? 0))))
        }
        if let managed = sync.outcome.objectsManaged { attributes.append(("tether.objects.managed", .int(managed))) }
        var spans = [TraceSpan(traceID: traceID, spanID: rootID, name: "sync", start: sync.startedAt, end: end, attributes: attributes,
                               status: sync.outcome.failureMessage.map { .error($0) } ?? .ok)]
        var cursor = sync.startedAt
        var phases = sync.phases.map { ($0.name, Self.seconds($0.duration)) }
        // Without the pipeline's timings (revision already applied, or a failed fetch)
        // the fetch still shows, from the observed times.
        if phases.first?.0 != "fetch" {
            let fetchEnd = sync.fetchedAt ?? end
            phases.insert(("fetch", max(0, fetchEnd.timeIntervalSince(sync.startedAt))), at: 0)
        }
        for (name, seconds) in phases {
            let stageEnd = min(cursor.addingTimeInterval(seconds), max(end, cursor))
            spans.append(TraceSpan(traceID: traceID, spanID: TraceSpan.randomID(bytes: 8), parentSpanID: rootID, name: name,
                                   start: cursor, end: stageEnd, attributes: [("tether.target", .string(options.target))]))
            cursor = stageEnd
        }
        return spans
    }

    func export(_ spans: [TraceSpan]) {
        let body = OTLPEncoding.exportRequest(spans, resource: [("service.name", .string(options.serviceName)),
                                                                 ("service.version", .string(options.serviceVersion))],
                                              scope: ("tether", options.serviceVersion))
        var headers = options.headers
        headers["Content-Type"] = "application/x-protobuf"
        delivery.enqueue(HTTPDelivery.Request(url: options.tracesURL, headers: headers, body: Data(body), what: "OTLP traces"))
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
