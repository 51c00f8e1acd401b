package import Foundation
package import TetherModel

/// What the daemon has done so far, for `/readyz` and `/status`: the last sync, the last
/// success, whether a sync is running and whether this replica leads.
///
/// Liveness (`/healthz`) is separate: it only says the process answers.
package actor DaemonStatus {
    /// A finished sync as recorded.
    package struct Record: Sendable, Equatable {
        package var trigger: SyncTrigger
        package var outcome: SyncOutcome
        /// Wall-clock finish time (for display).
        package var finishedAt: Date
        /// Monotonic finish time (for the staleness check, immune to clock steps).
        package var finishedInstant: ContinuousClock.Instant
        package var duration: Duration
    }

    /// Why `/readyz` says not ready, or `nil` when ready.
    package enum Unready: Sendable, Equatable, CustomStringConvertible {
        case noSuccessYet
        case stale(secondsSinceSuccess: Int)

        package var description: String {
            switch self {
            case .noSuccessYet: return "no sync has succeeded yet"
            case .stale(let seconds): return "the last successful sync finished \(seconds) s ago, longer than the staleness window"
            }
        }
    }

    /// A successful sync older than this makes the daemon unready.
    package let staleAfter: Duration
    package private(set) var last: Record?
    package private(set) var lastSuccess: Record?
    package private(set) var consecutiveFailures = 0
    package private(set) var running: SyncTrigger?
    /// `nil` without leader election.
    package private(set) var leading: Bool?

    /// - Parameter staleAfter: the staleness window for `/readyz`; `tether run` derives it
    ///   from `--interval` (a few missed polls).
    package init(staleAfter: Duration) {
        self.staleAfter = staleAfter
    }

    /// A sync started.
    package func syncStarted(_ trigger: SyncTrigger) { running = trigger }

    /// A sync finished.
    package func syncFinished(_ record: Record) {
        running = nil
        last = record
        if record.outcome.succeeded {
            lastSuccess = record
            consecutiveFailures = 0
        } else {
            consecutiveFailures += 1
        }
    }

    /// Leadership changed (with leader election only).
    package func setLeading(_ leading: Bool) { self.leading = leading }

    /// Whether the daemon is ready at `now`.
    /// - Returns: `nil` when ready, otherwise why not.
    ///
    /// A standby replica (leader election on, Lease held elsewhere) is ready: it is healthy
    /// and has nothing to be stale about. Reporting it unready would stall every rolling
    /// update, since a new standby could never become ready. `/status` says `standby`, and
    /// webhooks sent to a standby are answered 503 (`DaemonHTTPServer`).
    package func unready(now: ContinuousClock.Instant = .now) -> Unready? {
        if leading == false { return nil }
        guard let lastSuccess else { return .noSuccessYet }
        let age = lastSuccess.finishedInstant.duration(to: now)
        if age > staleAfter { return .stale(secondsSinceSuccess: Int(age.components.seconds)) }
        return nil
    }

    /// The `/status` document.
    package func document(now: ContinuousClock.Instant = .now) -> Value {
        var map = OrderedMap()
        let unready = unready(now: now)
        map["ready"] = .bool(unready == nil)
        if let unready { map["reason"] = .string(unready.description) }
        map["role"] = leading.map { .string($0 ? "leader" : "standby") } ?? "single"
        map["syncing"] = .bool(running != nil)
        if let running { map["currentTrigger"] = .string(running.description) }
        map["consecutiveFailures"] = .int(consecutiveFailures)
        map["lastSync"] = last.map(Self.document) ?? .null
        map["lastSuccess"] = lastSuccess.map(Self.document) ?? .null
        if let success = lastSuccess {
            map["revision"] = success.outcome.revision.map { .string($0) } ?? .null
            map["objectsManaged"] = success.outcome.objectsManaged.map { .int($0) } ?? .null
        } else {
            map["revision"] = .null
            map["objectsManaged"] = .null
        }
        let objects = (last?.outcome.objects.isEmpty == false ? last : lastSuccess)?.outcome.objects ?? []
        map["objects"] = .list(objects.map { object in
            var entry = OrderedMap()
            entry["id"] = .string(object.id)
            entry["state"] = .string(object.state)
            if let message = object.message { entry["message"] = .string(message) }
            return .map(entry)
        })
        return .map(map)
    }

    private static func document(_ record: Record) -> Value {
        var map = OrderedMap()
        map["result"] = .string(record.outcome.succeeded ? "success" : "failure")
        map["trigger"] = .string(record.trigger.description)
        map["revision"] = record.outcome.revision.map { .string($0) } ?? .null
        map["finishedAt"] = .string(timestamp(record.finishedAt))
        map["durationSeconds"] = .float(Double(record.duration.components.seconds) + Double(record.duration.components.attoseconds) / 1e18)
        if let message = record.outcome.failureMessage { map["message"] = .string(message) }
        return .map(map)
    }

    /// RFC 3339 in UTC with seconds.
    static func timestamp(_ date: Date) -> String {
        var formatter = Date.ISO8601FormatStyle()
        formatter.timeZone = TimeZone(identifier: "UTC")!
        return date.formatted(formatter)
    }
}
