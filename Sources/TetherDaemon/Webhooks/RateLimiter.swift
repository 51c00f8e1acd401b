/// A token bucket: `rate` requests per second on average, bursts up to `burst`.
package struct RateLimiter<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    package let rate: Double
    package let burst: Double
    private var tokens: Double
    private var updated: Instant?

    /// - Parameters:
    ///   - rate: tokens added per second; must be positive.
    ///   - burst: bucket size; must be at least 1.
    package init(rate: Double, burst: Int) {
        precondition(rate > 0 && burst >= 1, "a rate limiter needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = Double(burst)
        self.tokens = Double(burst)
    }

    /// Takes one token.
    /// - Returns: `nil` when the request may proceed, otherwise how long until a token
    ///   will be available (for `Retry-After`).
    package mutating func acquire(now: Instant) -> Duration? {
        if let updated {
            let elapsed = updated.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if seconds > 0 { tokens = min(burst, tokens + seconds * rate) }
        }
        updated = now
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return .milliseconds(Int64(((1 - tokens) / rate * 1000).rounded(.up)))
    }
}
