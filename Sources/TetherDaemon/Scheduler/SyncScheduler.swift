import Foundation
import Synchronization
package import Logging
import ServiceLifecycle

/// Runs syncs one at a time as `SchedulerStateMachine` decides: on start, on the poll and
/// resync timers, on triggers from webhooks and the drift watcher, and on retries after
/// failures with backoff.
///
/// The sync itself is a closure, so the scheduler knows nothing of Git or Kubernetes:
///
/// ```swift
/// let scheduler = SyncScheduler(configuration: config, status: status, metrics: metrics, logger: logger) { trigger in
///     await reconciler.sync(trigger)          // -> SyncOutcome
/// }
/// let receiver = try WebhookReceiver(secret: secret, logger: logger) { scheduler.trigger($0) }
/// let group = ServiceGroup(services: [scheduler, httpServer], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
///
/// It is a `Service`: graceful shutdown (SIGTERM) starts no new sync and lets a running one
/// finish for up to `shutdownTimeout`, then cancels it; task cancellation cancels at once.
/// The sync closure must honour cancellation (the engine checks it between objects and
/// never stops half-way through a prune).
package final class SyncScheduler<C: Clock>: Service where C.Duration == Duration {
    /// Timers and limits.
    package struct Configuration: Sendable {
        /// Poll period (`--interval`).
        package var interval: Duration = .seconds(60)
        /// Full resync period (`--resync`).
        package var resyncInterval: Duration = .seconds(600)
        package var backoff = Backoff()
        /// How long a running sync may take to finish after graceful shutdown starts.
        package var shutdownTimeout: Duration = .seconds(30)
        /// Whether to sync once immediately when `run()` starts.
        package var syncOnStart = true
        package init() {}
    }

    private enum Event: Sendable {
        case trigger(SyncTrigger)
        case tick
        case finished(SyncTrigger, SyncOutcome, Duration)
        case shutdown
        case shutdownTimedOut
    }

    package let configuration: Configuration
    private let clock: C
    private let sync: @Sendable (SyncTrigger) async -> SyncOutcome
    private let status: DaemonStatus?
    private let metrics: DaemonMetrics?
    private let logger: Logger
    private let random: @Sendable () -> Double
    /// Where `trigger(_:)` delivers: the running loop's event stream (so a trigger given
    /// before a sync finishes is always seen before that sync's completion), or, while no
    /// loop runs, one merged trigger kept for the next run.
    private struct Inbox {
        var sink: AsyncStream<Event>.Continuation?
        var pending: SyncTrigger?
    }
    private let inbox = Mutex(Inbox())

    /// - Parameters:
    ///   - configuration: timers and limits.
    ///   - clock: time source (`ContinuousClock()` in production).
    ///   - status: receives every start and finish, for `/readyz` and `/status`.
    ///   - metrics: receives sync counts and durations.
    ///   - logger: `notice` per finished sync, `warning` per retry scheduled, `error` per
    ///     failed sync.
    ///   - random: numbers in `0..<1` for the backoff jitter.
    ///   - sync: runs one sync. Called from one task at a time; never concurrently.
    package init(configuration: Configuration = Configuration(), clock: C, status: DaemonStatus? = nil,
                 metrics: DaemonMetrics? = nil, logger: Logger,
                 random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                 sync: @escaping @Sendable (SyncTrigger) async -> SyncOutcome) {
        self.configuration = configuration
        self.clock = clock
        self.status = status
        self.metrics = metrics
        self.logger = logger
        self.random = random
        self.sync = sync
    }

    /// Asks for a sync. Returns at once; the sync starts now, or after the running one
    /// (merged with any other waiting trigger), or when the backoff ends. While `run` is
    /// not running (before start, or on a leader-election standby) triggers merge into
    /// one that the next `run` starts with, unless it starts with a full startup sync.
    package func trigger(_ trigger: SyncTrigger) {
        inbox.withLock { inbox in
            if let sink = inbox.sink {
                sink.yield(.trigger(trigger))
            } else {
                inbox.pending = inbox.pending.map { $0.merged(with: trigger) } ?? trigger
            }
        }
    }

    /// Runs until graceful shutdown or cancellation. One `run` at a time; it may run again
    /// after it returned (for example once per leadership term).
    package func run() async throws {
        // Unbounded, because completions and ticks must never be dropped; triggers cannot
        // pile up, as the loop merges each one as soon as it arrives.
        let (events, sink) = AsyncStream.makeStream(of: Event.self)
        let pending = inbox.withLock { inbox -> SyncTrigger? in
            precondition(inbox.sink == nil, "SyncScheduler.run() is already running")
            inbox.sink = sink
            defer { inbox.pending = nil }
            return inbox.pending
        }
        defer {
            inbox.withLock { $0.sink = nil }
            sink.finish()
        }
        if let pending, !configuration.syncOnStart { sink.yield(.trigger(pending)) }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                var loop = Loop(machine: SchedulerStateMachine(interval: configuration.interval,
                                                               resyncInterval: configuration.resyncInterval,
                                                               backoff: configuration.backoff, now: clock.now))
                var action = configuration.syncOnStart
                    ? loop.machine.trigger(SyncTrigger(.startup), now: clock.now)
                    : loop.machine.tick(now: clock.now)
                var iterator = events.makeAsyncIterator()
                while perform(action, loop: &loop, group: &group, sink: sink) {
                    guard let event = await iterator.next() else { break }
                    guard let nextAction = await handle(event, loop: &loop, group: &group, sink: sink) else { break }
                    action = nextAction
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            sink.yield(.shutdown)
        }
    }

    private struct Loop {
        var machine: SchedulerStateMachine<C.Instant>
        /// The earliest sleeping timer, so a later deadline does not start another.
        var timer: C.Instant?
    }

    /// Carries out an action. Returns `false` to stop the loop.
    private func perform(_ action: SchedulerStateMachine<C.Instant>.Action, loop: inout Loop,
                         group: inout DiscardingTaskGroup, sink: AsyncStream<Event>.Continuation) -> Bool {
        switch action {
        case .stop:
            return false
        case .none:
            return true
        case .wait(let until):
            if let timer = loop.timer, timer <= until { return true }
            loop.timer = until
            group.addTask { [clock] in
                try? await clock.sleep(until: until, tolerance: nil)
                sink.yield(.tick)
            }
            return true
        case .startSync(let trigger):
            logger.debug("sync starting", metadata: ["sync.trigger": "\(trigger)"])
            group.addTask { [clock, sync, status] in
                await status?.syncStarted(trigger)
                let started = clock.now
                let outcome = await sync(trigger)
                sink.yield(.finished(trigger, outcome, started.duration(to: clock.now)))
            }
            return true
        }
    }

    /// Feeds one event to the machine. Returns the next action, or `nil` to stop now.
    private func handle(_ event: Event, loop: inout Loop, group: inout DiscardingTaskGroup,
                        sink: AsyncStream<Event>.Continuation) async -> SchedulerStateMachine<C.Instant>.Action? {
        let now = clock.now
        switch event {
        case .trigger(let trigger):
            return loop.machine.trigger(trigger, now: now)
        case .tick:
            if let timer = loop.timer, timer <= now { loop.timer = nil }
            return loop.machine.tick(now: now)
        case .finished(let trigger, let outcome, let duration):
            await record(trigger: trigger, outcome: outcome, duration: duration)
            let action = loop.machine.finished(succeeded: outcome.succeeded, now: now, random: random())
            if !outcome.succeeded, let retryAt = loop.machine.retryAt {
                logger.warning("sync failed; retrying after backoff", metadata: [
                    "sync.failures": "\(loop.machine.failures)",
                    "retry.delay.ms": "\(now.duration(to: retryAt).milliseconds)",
                ])
            }
            return action
        case .shutdown:
            let action = loop.machine.shutdown()
            if case .none = action {
                logger.notice("shutdown requested; waiting for the running sync to finish", metadata: [
                    "shutdown.timeout.ms": "\(configuration.shutdownTimeout.milliseconds)",
                ])
                group.addTask { [clock, configuration] in
                    try? await clock.sleep(for: configuration.shutdownTimeout)
                    sink.yield(.shutdownTimedOut)
                }
            }
            return action
        case .shutdownTimedOut:
            logger.warning("the running sync did not finish within the shutdown timeout; cancelling it", metadata: [
                "shutdown.timeout.ms": "\(configuration.shutdownTimeout.milliseconds)",
            ])
            return nil
        }
    }

    private func record(trigger: SyncTrigger, outcome: SyncOutcome, duration: Duration) async {
        let finished = Date()
        await status?.syncFinished(DaemonStatus.Record(trigger: trigger, outcome: outcome, finishedAt: finished,
                                                        finishedInstant: .now, duration: duration))
        metrics?.recordSync(outcome, duration: duration, finishedAt: finished.timeIntervalSince1970)
        var metadata: Logger.Metadata = [
            "sync.trigger": "\(trigger)", "duration.ms": "\(duration.milliseconds)",
            "sync.result": "\(outcome.succeeded ? "success" : "failure")",
        ]
        if let revision = outcome.revision { metadata["git.revision"] = "\(revision)" }
        if let objects = outcome.objectsManaged { metadata["sync.objects"] = "\(objects)" }
        if outcome.driftCorrections > 0 { metadata["sync.drift_corrections"] = "\(outcome.driftCorrections)" }
        if let message = outcome.failureMessage {
            metadata["error"] = "\(message)"
            logger.error("sync failed", metadata: metadata)
        } else {
            logger.notice("sync finished", metadata: metadata)
        }
    }
}

extension SyncScheduler where C == ContinuousClock {
    /// A scheduler on the continuous clock.
    package convenience init(configuration: Configuration = Configuration(), status: DaemonStatus? = nil,
                             metrics: DaemonMetrics? = nil, logger: Logger,
                             sync: @escaping @Sendable (SyncTrigger) async -> SyncOutcome) {
        self.init(configuration: configuration, clock: ContinuousClock(), status: status, metrics: metrics,
                  logger: logger, sync: sync)
    }
}

extension Duration {
    /// Whole milliseconds, for log metadata.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
