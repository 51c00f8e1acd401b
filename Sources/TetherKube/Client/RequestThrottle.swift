/// Client-side flow control: a token bucket (`qps` sustained, `burst` at once) and a
/// bound on requests in flight, like client-go's `QPS`/`Burst`.
///
/// Tokens are reserved, not polled: `acquire` takes a token (possibly going into debt) and
/// sleeps for the debt, so the actor never needs to re-check state after its `await`.
actor RequestThrottle {
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
        let now = ContinuousClock.now
        let elapsed = now - last
        last = now
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(burst, tokens + seconds * qps) - 1
        if tokens < 0 {
            do {
                try await Task.sleep(for: .milliseconds(Int64((-tokens / qps) * 1000)))
            } catch {
                throw KubeError(.cancelled, "cancelled while waiting for the client rate limit")
            }
        }
    }

    /// Waits for a slot among the in-flight requests; pair with `release()`.
    func acquireSlot() async {
        if inFlight < maxInFlight {
            inFlight += 1
            return
        }
        // The slot passes directly from the releasing request to this waiter.
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            inFlight -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
