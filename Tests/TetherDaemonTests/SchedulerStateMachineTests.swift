import Testing
@testable import TetherDaemon
import TestSupport

@Suite("Scheduler state machine (no time passes)", .capturedLogs)
struct SchedulerStateMachineTests {
    typealias Machine = SchedulerStateMachine<ContinuousClock.Instant>
    let t0 = ContinuousClock.now
    func at(_ seconds: Double) -> ContinuousClock.Instant { t0.advanced(by: .seconds(seconds)) }
    func machine() -> Machine {
        Machine(interval: .seconds(60), resyncInterval: .seconds(600), backoff: Backoff(base: .seconds(2), maximum: .seconds(30), jitter: 0), now: t0)
    }

    @Test("triggers during a sync coalesce into exactly one follow-up with every reason")
    func coalesce() {
        var m = machine()
        do { let got = m.trigger(SyncTrigger(.startup), now: at(0)); #expect(got == .startSync(SyncTrigger(.startup))) }
        do { let got = m.trigger(SyncTrigger(.webhook), now: at(1)); #expect(got == Machine.Action.none) }
        do { let got = m.trigger(SyncTrigger(.drift), now: at(2)); #expect(got == Machine.Action.none) }
        do { let got = m.trigger(SyncTrigger(.webhook), now: at(3)); #expect(got == Machine.Action.none) }
        do { let got = m.finished(succeeded: true, now: at(4), random: 0.5); #expect(got == .startSync(SyncTrigger(reasons: [.webhook, .drift]))) }
        do { let got = m.finished(succeeded: true, now: at(5), random: 0.5); #expect(got == .wait(until: at(65))) }
    }

    @Test("poll timer counts from the last finished sync; resync from the last full sync")
    func timers() {
        var m = machine()
        do { let got = m.tick(now: at(0)); #expect(got == .wait(until: at(60))) }
        do { let got = m.tick(now: at(60)); #expect(got == .startSync(SyncTrigger(.poll))) }
        do { let got = m.finished(succeeded: true, now: at(61), random: 0); #expect(got == .wait(until: at(121))) }
        do { let got = m.tick(now: at(121)); #expect(got == .startSync(SyncTrigger(.poll))) }
        do { let got = m.finished(succeeded: true, now: at(590), random: 0); #expect(got == .wait(until: at(600))) }
        do { let got = m.tick(now: at(600)); #expect(got == .startSync(SyncTrigger(.resync))) }
        do { let got = m.finished(succeeded: true, now: at(601), random: 0); #expect(got == .wait(until: at(661))) }
    }

    @Test("timers due during a sync fold into its follow-up")
    func timerDuringSync() {
        var m = machine()
        _ = m.trigger(SyncTrigger(.startup), now: at(0))
        do { let got = m.tick(now: at(70)); #expect(got == Machine.Action.none) }
        do { let got = m.finished(succeeded: true, now: at(71), random: 0); #expect(got == .startSync(SyncTrigger(.poll))) }
    }

    @Test("failures back off exponentially up to the cap; success resets")
    func backoff() {
        var m = machine()
        _ = m.trigger(SyncTrigger(.startup), now: at(0))
        do { let got = m.finished(succeeded: false, now: at(0), random: 0.5); #expect(got == .wait(until: at(2))) }
        do { let got = m.tick(now: at(1)); #expect(got == .wait(until: at(2))) }
        do { let got = m.tick(now: at(2)); #expect(got == .startSync(SyncTrigger(.retry))) }
        do { let got = m.finished(succeeded: false, now: at(2), random: 0.5); #expect(got == .wait(until: at(6))) }
        _ = m.tick(now: at(6))
        do { let got = m.finished(succeeded: false, now: at(6), random: 0.5); #expect(got == .wait(until: at(14))) }
        _ = m.tick(now: at(14))
        do { let got = m.finished(succeeded: false, now: at(14), random: 0.5); #expect(got == .wait(until: at(30))) }
        _ = m.tick(now: at(30))
        do { let got = m.finished(succeeded: false, now: at(30), random: 0.5); #expect(got == .wait(until: at(60))) }
        #expect(m.failures == 5)
        _ = m.tick(now: at(60))
        do { let got = m.finished(succeeded: true, now: at(61), random: 0.5); #expect(got == .wait(until: at(121))) }
        #expect(m.failures == 0)
    }

    @Test("during backoff, drift and polls wait for the retry; a webhook starts at once")
    func backoffTriggers() {
        var m = machine()
        _ = m.trigger(SyncTrigger(.startup), now: at(0))
        _ = m.finished(succeeded: false, now: at(0), random: 0.5)
        do { let got = m.trigger(SyncTrigger(.drift), now: at(1)); #expect(got == .wait(until: at(2))) }
        do { let got = m.tick(now: at(2)); #expect(got == .startSync(SyncTrigger(reasons: [.drift, .retry]))) }
        _ = m.finished(succeeded: false, now: at(2), random: 0.5)
        do { let got = m.trigger(SyncTrigger(.webhook), now: at(3)); #expect(got == .startSync(SyncTrigger(reasons: [.retry, .webhook]))) }
    }

    @Test("a webhook that arrives during a failing sync is retried at once")
    func webhookDuringFailure() {
        var m = machine()
        _ = m.trigger(SyncTrigger(.startup), now: at(0))
        _ = m.trigger(SyncTrigger(.webhook), now: at(0.5))
        do { let got = m.finished(succeeded: false, now: at(1), random: 0.5); #expect(got == .startSync(SyncTrigger(reasons: [.webhook, .retry]))) }
    }

    @Test("shutdown: stop when idle; wait for the running sync, then stop; nothing starts meanwhile")
    func shutdown() {
        var idle = machine()
        do { let got = idle.shutdown(); #expect(got == .stop) }
        var busy = machine()
        _ = busy.trigger(SyncTrigger(.startup), now: at(0))
        do { let got = busy.shutdown(); #expect(got == Machine.Action.none) }
        do { let got = busy.trigger(SyncTrigger(.webhook), now: at(1)); #expect(got == Machine.Action.none) }
        do { let got = busy.tick(now: at(100)); #expect(got == Machine.Action.none) }
        do { let got = busy.finished(succeeded: true, now: at(101), random: 0); #expect(got == .stop) }
    }

    @Test("backoff jitter stays within ±jitter and never exceeds the cap by more than the jitter")
    func jitter() {
        let backoff = Backoff(base: .seconds(1), maximum: .seconds(8), jitter: 0.2)
        func close(_ a: Duration, _ b: Duration) -> Bool { abs((a - b) / .microseconds(1)) < 1 }
        #expect(close(backoff.delay(failures: 1, random: 0), .milliseconds(800)))
        #expect(close(backoff.delay(failures: 1, random: 1), .milliseconds(1200)))
        #expect(close(backoff.delay(failures: 3, random: 0.5), .seconds(4)))
        #expect(close(backoff.delay(failures: 50, random: 0.5), .seconds(8)))
        #expect(backoff.delay(failures: 50, random: 0.999) < .milliseconds(9600))
    }

    @Test("trigger description and kinds")
    func triggerKinds() {
        #expect(SyncTrigger(reasons: [.webhook, .poll]).description == "poll+webhook")
        #expect(SyncTrigger(.drift).needsFetch == false)
        #expect(SyncTrigger(.poll).isFull == false)
        #expect(SyncTrigger(reasons: [.poll, .resync]).isFull)
    }
}
