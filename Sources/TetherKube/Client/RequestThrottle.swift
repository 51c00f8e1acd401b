import Foundation

/// Client-side flow control: a token bucket (`qps` sustained, `burst` at once) and a
/// bound on requests in flight, like client-go's `QPS`/`Burst`.
///
/// Tokens are reserved, not polled: `acquire` takes a token (possibly going into debt) and
/// sleeps for the debt, so nothing needs re-checking after the sleep.
///
/// A lock rather than an actor: every request passes through here three times, and an
/// actor made each of those an executor hop (and, under contention, a queued job on
/// another thread) for a few arithmetic operations.
final class RequestThrottle: @unchecked Sendable {
    // @unchecked: every mutable field is only read and written under `lock`; the
    // continuations are resumed after the lock is released.
    private let lock = NSLock()
    private let qps: Double
    private let burst: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant
    private let maxInFlight: Int
    private var inFlight = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(qps: Double, burst: Int, maxInFlight: Int) {
        self.qps = qps
        self.burst = Double(max(1, burst))
        self.tokens = Double(max(1, burst))
        self.last = .now
        self.maxInFlight = max(1, maxInFlight)
    }

    /// Waits for a rate token.
    /// - Throws: `KubeError` with code `cancelled` when the task is cancelled while waiting.
    func acquireRate() async throws(KubeError) {
        guard qps > 0 else { return }
        let debt: Double = lock.withLock {
            let now = ContinuousClock.now
            let elapsed = now - last
            last = now
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            tokens = min(burst, tokens + seconds * qps) - 1
            return -tokens
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
        if lock.withLock({ admit() }) { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            // A slot may have been released since the first look.
            let admitted = lock.withLock {
                if admit() { return true }
                waiters.append(continuation)
                return false
            }
            if admitted { continuation.resume() }
        }
    }

    /// Takes a free slot; call under `lock`.
    private func admit() -> Bool {
        guard inFlight < maxInFlight else { return false }
        inFlight += 1
        return true
    }

    /// Gives the slot back, or passes it directly to the longest waiter.
    func release() async {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            if waiters.isEmpty {
                inFlight -= 1
                return nil
            }
            return waiters.removeFirst()
        }
        next?.resume()
    }
}
