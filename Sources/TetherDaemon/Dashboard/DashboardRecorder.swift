package import Foundation
import Synchronization
package import TetherEngine
package import TetherGit
package import TetherModel

/// The dashboard's memory of what the daemon did: the last syncs (with what each changed
/// and its diffs, Secret values masked by `ObjectDiff`), the drift the watches saw and
/// how it was corrected, and whether a sync is running.
///
/// It is a `ReconcileObserver`, filled as the reconciler works; nothing here reads the
/// cluster. Every change bumps `sequence` and wakes the server-sent event streams.
package final class DashboardRecorder: ReconcileObserver {
    package struct Limits: Sendable {
        /// Syncs kept in the history.
        package var history = 50
        /// Drift events kept.
        package var driftEvents = 200
        /// Diffs kept per sync (the changes beyond are listed without one).
        package var diffsPerSync = 200
        /// Longest diff text kept; longer ones are cut with a note.
        package var diffCharacters = 64 * 1024
        package init() {}
    }

    /// One sync as the history shows it.
    package struct SyncEntry: Sendable {
        package var number: Int
        package var trigger: String
        package var startedAt: Date
        package var duration: Duration
        package var revision: GitRevision?
        package var revisionSHA: String?
        package var failure: String?
        /// Objects by what the sync did (`created`, `configured`, `unchanged`, `pruned`, …).
        package var counts: [String: Int]
        /// Every object the sync did not leave unchanged.
        package var changes: [Change]
        package var succeeded: Bool { failure == nil }
    }

    /// One object a sync changed.
    package struct Change: Sendable {
        package var id: ResourceID
        package var state: String
        package var message: String?
        /// The planned diff, masked; nil when not kept.
        package var diff: String?
    }

    /// Drift on one object, from detection to its correction.
    package struct DriftEvent: Sendable {
        package enum State: String, Sendable { case correcting, corrected, failed, reported }
        package var number: Int
        package var id: ResourceID
        /// `changed` or `deleted`.
        package var what: String
        package var detectedAt: Date
        package var state: State
        package var correctedAt: Date?
        package var failure: String?
    }

    /// The running sync, if any.
    package struct Running: Sendable {
        package var trigger: String
        package var startedAt: Date
    }

    private struct State {
        var sequence = 0
        var running: Running?
        var fetchedRevision: GitRevision?
        var plannedDiffs: [ResourceID: String]?
        var history: [SyncEntry] = []
        var nextSync = 1
        var drift: [DriftEvent] = []
        var nextDrift = 1
        /// The commit of the last successful sync (with author and message).
        var appliedRevision: GitRevision?
        /// When a poll last found the applied revision current.
        var lastChecked: Date?
        var subscribers: [Int: AsyncStream<Int>.Continuation] = [:]
        var nextSubscriber = 0
    }

    package let limits: Limits
    private let state = Mutex(State())

    package init(limits: Limits = Limits()) {
        self.limits = limits
    }

    // MARK: Reading

    /// Bumped on every change.
    package var sequence: Int { state.withLock { $0.sequence } }
    package var running: Running? { state.withLock { $0.running } }
    /// Newest first.
    package var history: [SyncEntry] { state.withLock { $0.history } }
    /// Newest first.
    package var driftEvents: [DriftEvent] { state.withLock { $0.drift } }
    package var appliedRevision: GitRevision? { state.withLock { $0.appliedRevision } }
    package var lastChecked: Date? { state.withLock { $0.lastChecked } }

    /// The diff that sync `number` planned for `id`, masked, when kept.
    package func diff(sync number: Int, id: ResourceID) -> String? {
        state.withLock { state in
            state.history.first { $0.number == number }?.changes.first { $0.id == id }?.diff
        }
    }

    /// The newest diff any kept sync planned for `id`, with that sync's number.
    package func lastDiff(of id: ResourceID) -> (sync: Int, diff: String)? {
        state.withLock { state in
            for entry in state.history {
                if let diff = entry.changes.first(where: { $0.id == id })?.diff { return (entry.number, diff) }
            }
            return nil
        }
    }

    /// A stream of sequence numbers, one after each change (the newest only, when the
    /// reader is slow). It ends when the reader stops iterating.
    package func changes() -> AsyncStream<Int> {
        let (stream, continuation) = AsyncStream<Int>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let key = state.withLock { state -> Int in
            let key = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[key] = continuation
            return key
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: key) }
        }
        return stream
    }

    /// Ends every change stream (shutdown).
    package func finishStreams() {
        let all = state.withLock { state in
            let all = Array(state.subscribers.values)
            state.subscribers = [:]
            return all
        }
        for continuation in all { continuation.finish() }
    }

    private func changed(_ body: (inout State) -> Void) {
        let (sequence, subscribers) = state.withLock { state in
            body(&state)
            state.sequence += 1
            return (state.sequence, Array(state.subscribers.values))
        }
        for continuation in subscribers { continuation.yield(sequence) }
    }

    // MARK: ReconcileObserver

    package func syncStarted(_ trigger: SyncTrigger, at date: Date) {
        changed { state in
            state.running = Running(trigger: trigger.description, startedAt: date)
            state.fetchedRevision = nil
            state.plannedDiffs = nil
        }
    }

    package func fetched(_ revision: GitRevision?) {
        state.withLock { $0.fetchedRevision = revision }
    }

    package func planned(_ plan: Plan) {
        var diffs: [ResourceID: String] = [:]
        for entry in plan.entries where entry.action == .create || entry.action == .update || entry.action == .prune {
            guard diffs.count < limits.diffsPerSync else { break }
            // The same masking as `tether diff`: ObjectDiff hides every Secret value.
            guard let diff = try? ObjectDiff(entry: entry) else { continue }
            diffs[entry.id] = Self.cut(diff.unified(), to: limits.diffCharacters)
        }
        state.withLock { $0.plannedDiffs = diffs }
    }

    package func syncFinished(_ trigger: SyncTrigger, outcome: SyncOutcome, duration: Duration) {
        changed { state in
            let running = state.running
            state.running = nil
            let diffs = state.plannedDiffs
            state.plannedDiffs = nil
            if outcome.succeeded, diffs == nil {
                // The revision was already applied: nothing was planned, nothing to list.
                state.lastChecked = Date()
                if state.appliedRevision == nil { state.appliedRevision = state.fetchedRevision }
                return
            }
            var counts: [String: Int] = [:]
            var changes: [Change] = []
            var planned: [String: ResourceID] = [:]
            for id in diffs?.keys ?? [:].keys { planned[id.description] = id }
            for object in outcome.objects {
                counts[object.state, default: 0] += 1
                guard object.state != "unchanged", let id = planned[object.id] ?? Self.resourceID(object.id) else { continue }
                changes.append(Change(id: id, state: object.state, message: object.message, diff: diffs?[id]))
            }
            let entry = SyncEntry(number: state.nextSync, trigger: trigger.description, startedAt: running?.startedAt ?? Date(),
                                  duration: duration, revision: state.fetchedRevision, revisionSHA: outcome.revision,
                                  failure: outcome.failureMessage, counts: counts, changes: changes)
            state.nextSync += 1
            state.history.insert(entry, at: 0)
            if state.history.count > limits.history { state.history.removeLast(state.history.count - limits.history) }
            if outcome.succeeded {
                state.appliedRevision = state.fetchedRevision
                state.lastChecked = Date()
            }
        }
    }

    package func driftDetected(_ id: ResourceID, what: String, policy: DriftPolicy) {
        changed { state in
            // One open event per object: a burst of watch events is one drift.
            if let open = state.drift.firstIndex(where: { $0.id == id && ($0.state == .correcting || $0.state == .reported) }) {
                state.drift[open].what = what
                return
            }
            let event = DriftEvent(number: state.nextDrift, id: id, what: what, detectedAt: Date(),
                                   state: policy == .report ? .reported : .correcting)
            state.nextDrift += 1
            state.drift.insert(event, at: 0)
            if state.drift.count > limits.driftEvents { state.drift.removeLast(state.drift.count - limits.driftEvents) }
        }
    }

    package func driftCorrected(_ id: ResourceID, what: String, failure: String?) {
        changed { state in
            guard let open = state.drift.firstIndex(where: { $0.id == id && $0.state == .correcting }) else { return }
            state.drift[open].state = failure == nil ? .corrected : .failed
            state.drift[open].correctedAt = Date()
            state.drift[open].failure = failure
        }
    }

    // MARK: Helpers

    /// Parses `Kind[.group]/[namespace/]name` (`ResourceID.description`).
    static func resourceID(_ text: String) -> ResourceID? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        let kindGroup = parts[0]
        let kind: String, group: String
        if let dot = kindGroup.firstIndex(of: ".") {
            kind = String(kindGroup[..<dot])
            group = String(kindGroup[kindGroup.index(after: dot)...])
        } else {
            kind = kindGroup
            group = ""
        }
        return ResourceID(group: group, kind: kind, namespace: parts.count == 3 ? parts[1] : "", name: parts[parts.count - 1])
    }

    static func cut(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "\n… (diff cut at \(limit) characters)\n"
    }
}
