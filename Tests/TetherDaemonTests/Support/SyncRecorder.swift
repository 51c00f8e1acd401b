import Synchronization
@testable import TetherDaemon

/// A sync closure for scheduler tests: records each call's trigger, can be held open
/// until released, and returns scripted outcomes. It is a real async function the
/// scheduler awaits, standing in for the engine, and it honours cancellation as the
/// engine must.
final class SyncRecorder: Sendable {
    private struct State {
        var calls: [SyncTrigger] = []
        var running = 0
        var maxConcurrent = 0
        var outcomes: [SyncOutcome] = []
        var holdNext = 0
        var waiting = 0
        var releases = 0
        var cancelledCalls = 0
        var finished = 0
    }
    private let state = Mutex(State())

    /// Queues outcomes returned in order; afterwards every call succeeds.
    func script(_ outcomes: [SyncOutcome]) { state.withLock { $0.outcomes += outcomes } }
    /// The next `count` calls wait until `release()` (or cancellation).
    func hold(_ count: Int = 1) { state.withLock { $0.holdNext += count } }
    /// Lets every call that is waiting now finish.
    func release() { state.withLock { $0.releases += 1 } }

    var calls: [SyncTrigger] { state.withLock { $0.calls } }
    var maxConcurrent: Int { state.withLock { $0.maxConcurrent } }
    var waiting: Int { state.withLock { $0.waiting } }
    var cancelledCalls: Int { state.withLock { $0.cancelledCalls } }
    var finished: Int { state.withLock { $0.finished } }

    @Sendable func sync(_ trigger: SyncTrigger) async -> SyncOutcome {
        let ticket = state.withLock { state -> Int? in
            state.calls.append(trigger)
            state.running += 1
            state.maxConcurrent = max(state.maxConcurrent, state.running)
            guard state.holdNext > 0 else { return nil }
            state.holdNext -= 1
            state.waiting += 1
            return state.releases
        }
        if let ticket {
            while !Task.isCancelled, state.withLock({ $0.releases == ticket }) {
                try? await Task.sleep(for: .milliseconds(5))
            }
            state.withLock { $0.waiting -= 1 }
        }
        let cancelled = Task.isCancelled
        return state.withLock { state in
            state.running -= 1
            state.finished += 1
            if cancelled {
                state.cancelledCalls += 1
                return .failed("cancelled")
            }
            return state.outcomes.isEmpty ? .succeeded(revision: "rev\(state.calls.count)") : state.outcomes.removeFirst()
        }
    }
}
