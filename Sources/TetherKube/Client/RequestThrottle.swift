import Foundation
import Synchronization

/// Client-side flow control: a token bucket (`qps` sustained, `burst` at once) and a
/// bound on requests in flight, like client-go's `QPS`/`Burst`.
///
/// Tokens are reserved, not polled: `acquire` takes a token (possibly going into debt) and
/// sleeps for the debt, so nothing needs re-checking after the sleep.
///
/// A lock rather than an actor: every request passes through here three times, and an
/// actor made each of those an executor hop (and, under contention, a queued job on
/// another thread) for a few arithmetic operations.
final class RequestThrottle: Sendable {
    private struct State {
        var tokens: Double
        var last: ContinuousClock.Instant
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []

        /// Takes a free slot.
        mutating func admit(maxInFlight: Int) -> Bool {
            guard inFlight < maxInFlight else { return false }
            inFlight += 1
            return true
        }
    }

    private let qps: Double
    private let burst: Double
    private let maxInFlight: Int
    /// Continuations are resumed after the lock is released.
    private let state: Mutex<State>

    init(qps: Double, burst: Int, maxInFlight: Int) {
        self.qps = qps
        self.burst = Double(max(1, burst))
        self.maxInFlight = max(1, maxInFlight)
        state = Mutex(State(tokens: Double(max(1, burst)), last: .now))
    }

    /// Waits for a rate token.
    /// - Throws: `KubeError` with code `cancelled` when the task is cancelled while waiting.
    func acquireRate() async throws(KubeError) {
        guard qps > 0 else { return }
        let debt: Double = state.withLock { state in
            let now = ContinuousClock.now
            let elapsed = now - state.last
            state.last = now
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            state.tokens = min(burst, state.tokens + seconds * qps) - 1
            return -state.tokens
        }
        guard debt > 0 else { return }
        do {
            try await Task.sleep(for: .milliseconds(Int64((debt / qps) * 1000)))
        } catch {
            throw KubeError(.cancelled, "cancelled while waiting for the client rate limit")
        }
    }

    /// Waits for a slot among the in-flight requests; pair with `release()`.
    func acquireSlot() async {
        if state.withLock({ $0.admit(maxInFlight: maxInFlight) }) { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            // A slot may have been released since the first look.
            let admitted = state.withLock { state in
                if state.admit(maxInFlight: maxInFlight) { return true }
                state.waiters.append(continuation)
                return false
            }
            if admitted { continuation.resume() }
        }
    }

    /// Gives the slot back, or passes it directly to the longest waiter.
    func release() async {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            if state.waiters.isEmpty {
                state.inFlight -= 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
