/// The sync scheduler's decisions as a value type: events go in, actions come out, and
/// time is a parameter, so tests drive it without any time passing.
///
/// Rules:
/// - One sync at a time. Triggers that arrive during a sync merge into one follow-up that
///   starts as soon as the sync finishes.
/// - After a failure the next sync waits for the backoff; triggers that arrive meanwhile
///   merge into that retry. A webhook is the exception and starts at once: it announces a
///   new commit, which may be the fix.
/// - The poll timer fires every `interval` after the last finished sync; the resync timer
///   every `resyncInterval` after the last full sync started.
/// - After shutdown starts, nothing new starts; a running sync may finish.
package struct SchedulerStateMachine<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// What the shell should do next.
    package enum Action: Sendable, Equatable {
        /// Start a sync now.
        case startSync(SyncTrigger)
        /// Nothing to do until `until` unless an event arrives.
        case wait(until: Instant)
        /// Shutdown requested and no sync running: stop.
        case stop
        /// A sync is running (and will report back); nothing else to do now.
        case none
    }

    private enum State: Sendable {
        case idle
        /// A sync runs; `pending` collects triggers for the one follow-up.
        case syncing(pending: SyncTrigger?)
        /// The last sync failed; the retry (with `pending` merged in) waits until `until`.
        case backingOff(until: Instant, pending: SyncTrigger)
        case stopping
    }

    package let interval: Duration
    package let resyncInterval: Duration
    package let backoff: Backoff
    private var state = State.idle
    private var nextPoll: Instant
    private var nextResync: Instant
    /// Consecutive failed syncs.
    package private(set) var failures = 0

    /// - Parameters:
    ///   - interval: poll period (`--interval`).
    ///   - resyncInterval: full resync period (`--resync`).
    ///   - backoff: delays after failures.
    ///   - now: the start time; the first timers count from here.
    package init(interval: Duration, resyncInterval: Duration, backoff: Backoff, now: Instant) {
        self.interval = interval
        self.resyncInterval = resyncInterval
        self.backoff = backoff
        nextPoll = now.advanced(by: interval)
        nextResync = now.advanced(by: resyncInterval)
    }

    /// Whether a sync is running.
    package var isSyncing: Bool {
        if case .syncing = state { return true }
        return false
    }

    /// A trigger arrived (webhook, drift, startup, or a timer the shell fired itself).
    package mutating func trigger(_ trigger: SyncTrigger, now: Instant) -> Action {
        switch state {
        case .idle:
            return start(trigger, now: now)
        case .syncing(let pending):
            state = .syncing(pending: pending.map { $0.merged(with: trigger) } ?? trigger)
            return .none
        case .backingOff(let until, let pending):
            let merged = pending.merged(with: trigger)
            if trigger.reasons.contains(.webhook) { return start(merged, now: now) }
            state = .backingOff(until: until, pending: merged)
            return .wait(until: min(until, nextDeadline))
        case .stopping:
            return .none
        }
    }

    /// Time passed: fire whatever timers are due.
    package mutating func tick(now: Instant) -> Action {
        switch state {
        case .stopping, .syncing:
            // Timers that fall due during a sync are folded into its follow-up, the same way
            // external triggers are.
            if case .syncing(let pending) = state, let due = dueTimers(now: now) {
                state = .syncing(pending: pending.map { $0.merged(with: due) } ?? due)
            }
            return .none
        case .backingOff(let until, let pending):
            if let due = dueTimers(now: now) {
                state = .backingOff(until: until, pending: pending.merged(with: due))
            }
            guard now >= until, case .backingOff(_, let merged) = state else { return .wait(until: min(until, nextDeadline)) }
            return start(merged, now: now)
        case .idle:
            guard let due = dueTimers(now: now) else { return .wait(until: nextDeadline) }
            return start(due, now: now)
        }
    }

    /// The running sync finished.
    /// - Parameters:
    ///   - succeeded: whether it succeeded.
    ///   - random: a number in `0..<1` for the backoff jitter.
    package mutating func finished(succeeded: Bool, now: Instant, random: Double) -> Action {
        guard case .syncing(let pending) = state else {
            if case .stopping = state { return .stop }
            return .wait(until: nextDeadline)
        }
        nextPoll = now.advanced(by: interval)
        if succeeded {
            failures = 0
            state = .idle
            if let pending { return start(pending, now: now) }
            return .wait(until: nextDeadline)
        }
        failures += 1
        let until = now.advanced(by: backoff.delay(failures: failures, random: random))
        let retry = pending.map { $0.merged(with: SyncTrigger(.retry)) } ?? SyncTrigger(.retry)
        if let pending, pending.reasons.contains(.webhook) {
            // A webhook arrived during the failed sync: a new commit may fix it.
            state = .idle
            return start(retry, now: now)
        }
        state = .backingOff(until: until, pending: retry)
        return .wait(until: min(until, nextDeadline))
    }

    /// Shutdown was requested.
    /// - Returns: `.stop` when idle; `.none` while a sync runs (call `finished` when it
    ///   ends, which then returns `.stop`).
    package mutating func shutdown() -> Action {
        let running = isSyncing
        state = .stopping
        return running ? .none : .stop
    }

    /// The backoff deadline, while backing off.
    package var retryAt: Instant? {
        if case .backingOff(let until, _) = state { return until }
        return nil
    }

    private var nextDeadline: Instant { min(nextPoll, nextResync) }

    private mutating func dueTimers(now: Instant) -> SyncTrigger? {
        var reasons: Set<SyncTrigger.Reason> = []
        if now >= nextPoll {
            reasons.insert(.poll)
            nextPoll = now.advanced(by: interval)
        }
        if now >= nextResync {
            reasons.insert(.resync)
            nextResync = now.advanced(by: resyncInterval)
        }
        return reasons.isEmpty ? nil : SyncTrigger(reasons: reasons)
    }

    private mutating func start(_ trigger: SyncTrigger, now: Instant) -> Action {
        if trigger.isFull { nextResync = now.advanced(by: resyncInterval) }
        state = .syncing(pending: nil)
        return .startSync(trigger)
    }
}
