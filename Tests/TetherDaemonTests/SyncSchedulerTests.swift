import Logging
import ServiceLifecycle
import Testing
@testable import TetherDaemon
import TestSupport

@Suite("Sync scheduler service (real clock, short timers)", .serialized, .timeLimit(.minutes(1)), .capturedLogs)
struct SyncSchedulerTests {
    typealias Scheduler = SyncScheduler<ContinuousClock>

    static func configuration(syncOnStart: Bool = true, interval: Duration = .seconds(3600), resync: Duration = .seconds(3600),
                              shutdownTimeout: Duration = .seconds(5)) -> Scheduler.Configuration {
        var configuration = Scheduler.Configuration()
        configuration.syncOnStart = syncOnStart
        configuration.interval = interval
        configuration.resyncInterval = resync
        configuration.shutdownTimeout = shutdownTimeout
        configuration.backoff = Backoff(base: .milliseconds(60), maximum: .seconds(1), jitter: 0)
        return configuration
    }

    /// Runs the scheduler in a ServiceGroup (as `tether run` will); returns the group and
    /// the task that ends when the group has shut down.
    static func start(_ scheduler: Scheduler) -> (ServiceGroup, Task<Void, any Error>) {
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: scheduler)], gracefulShutdownSignals: [], logger: quietLogger("test")))
        return (group, Task { try await group.run() })
    }

    @Test("one sync at a time: eight triggers during a sync become exactly one follow-up")
    func coalescing() async throws {
        let recorder = SyncRecorder()
        recorder.hold()
        let scheduler = Scheduler(configuration: Self.configuration(), logger: quietLogger("test"), sync: recorder.sync)
        let (group, task) = Self.start(scheduler)
        try await waitUntil("the startup sync is running") { recorder.waiting == 1 }
        for _ in 0..<5 { scheduler.trigger(SyncTrigger(.webhook)) }
        for _ in 0..<3 { scheduler.trigger(SyncTrigger(.drift)) }
        recorder.release()
        try await waitUntil("the follow-up finished") { recorder.finished == 2 }
        await group.triggerGracefulShutdown()
        try await task.value
        #expect(recorder.calls == [SyncTrigger(.startup), SyncTrigger(reasons: [.webhook, .drift])])
        #expect(recorder.maxConcurrent == 1)
    }

    @Test("failures back off exponentially, then the retry succeeds and status recovers")
    func backoff() async throws {
        let recorder = SyncRecorder()
        recorder.script([.failed("git unreachable"), .failed("git unreachable"), .succeeded(revision: "r3")])
        let status = DaemonStatus(staleAfter: .seconds(60))
        let scheduler = Scheduler(configuration: Self.configuration(), status: status, logger: quietLogger("test"),
                                  sync: recorder.sync)
        let started = ContinuousClock.now
        let (group, task) = Self.start(scheduler)
        try await waitUntil("the third sync finished") { recorder.finished == 3 }
        let elapsed = started.duration(to: .now)
        // 60 ms after the first failure, 120 ms after the second.
        #expect(elapsed >= .milliseconds(180), "retried after \(elapsed)")
        try await waitUntil("status saw the success") { await status.lastSuccess?.outcome.revision == "r3" }
        #expect(await status.consecutiveFailures == 0)
        #expect(await status.unready() == nil)
        await group.triggerGracefulShutdown()
        try await task.value
        #expect(recorder.calls == [SyncTrigger(.startup), SyncTrigger(.retry), SyncTrigger(.retry)])
    }

    @Test("the poll and resync timers trigger syncs without any external trigger")
    func timers() async throws {
        let recorder = SyncRecorder()
        let scheduler = Scheduler(configuration: Self.configuration(syncOnStart: false, interval: .milliseconds(100),
                                                                    resync: .milliseconds(250)),
                                  logger: quietLogger("test"), sync: recorder.sync)
        let (group, task) = Self.start(scheduler)
        try await waitUntil("a resync ran") { recorder.calls.contains { $0.reasons.contains(.resync) } }
        await group.triggerGracefulShutdown()
        try await task.value
        #expect(recorder.calls.first == SyncTrigger(.poll))
        #expect(recorder.maxConcurrent == 1)
    }

    @Test("graceful shutdown lets the running sync finish and starts nothing new")
    func gracefulShutdown() async throws {
        let recorder = SyncRecorder()
        recorder.hold()
        let scheduler = Scheduler(configuration: Self.configuration(), logger: quietLogger("test"), sync: recorder.sync)
        let (group, task) = Self.start(scheduler)
        try await waitUntil("the startup sync is running") { recorder.waiting == 1 }
        await group.triggerGracefulShutdown()
        scheduler.trigger(SyncTrigger(.webhook))
        try await Task.sleep(for: .milliseconds(200))
        #expect(recorder.finished == 0)
        recorder.release()
        try await task.value
        #expect(recorder.finished == 1)
        #expect(recorder.cancelledCalls == 0)
        #expect(recorder.calls == [SyncTrigger(.startup)])
    }

    @Test("a sync that outlives the shutdown timeout is cancelled")
    func shutdownTimeout() async throws {
        let recorder = SyncRecorder()
        recorder.hold()
        let scheduler = Scheduler(configuration: Self.configuration(shutdownTimeout: .milliseconds(300)),
                                  logger: quietLogger("test"), sync: recorder.sync)
        let (group, task) = Self.start(scheduler)
        try await waitUntil("the startup sync is running") { recorder.waiting == 1 }
        let stopping = ContinuousClock.now
        await group.triggerGracefulShutdown()
        try await task.value
        #expect(stopping.duration(to: .now) >= .milliseconds(300))
        #expect(recorder.cancelledCalls == 1)
    }

    @Test("triggers before run are kept (merged) for it; run can start again after it returned")
    func restart() async throws {
        let recorder = SyncRecorder()
        let scheduler = Scheduler(configuration: Self.configuration(syncOnStart: false), logger: quietLogger(), sync: recorder.sync)
        scheduler.trigger(SyncTrigger(.webhook))
        scheduler.trigger(SyncTrigger(.drift))
        let (group, task) = Self.start(scheduler)
        try await waitUntil("the pending trigger synced") { recorder.finished == 1 }
        await group.triggerGracefulShutdown()
        try await task.value
        #expect(recorder.calls == [SyncTrigger(reasons: [.webhook, .drift])])
        // Stopped (a standby, say): triggers wait for the next term.
        scheduler.trigger(SyncTrigger(.webhook))
        let second = Task { try await scheduler.run() }
        try await waitUntil("the second run synced") { recorder.finished == 2 }
        second.cancel()
        try await second.value
        #expect(recorder.calls.last == SyncTrigger(.webhook))
    }

    @Test("cancelling the task cancels the running sync and returns")
    func cancellation() async throws {
        let recorder = SyncRecorder()
        recorder.hold()
        let scheduler = Scheduler(configuration: Self.configuration(shutdownTimeout: .seconds(30)),
                                  logger: quietLogger("test"), sync: recorder.sync)
        let task = Task { try await scheduler.run() }
        try await waitUntil("the startup sync is running") { recorder.waiting == 1 }
        let cancelled = ContinuousClock.now
        task.cancel()
        try await task.value
        #expect(cancelled.duration(to: .now) < .seconds(5))
        #expect(recorder.cancelledCalls == 1)
    }
}
