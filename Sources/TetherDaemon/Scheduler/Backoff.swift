/// Exponential backoff with jitter after failed syncs: `base`, `2·base`, `4·base`, … up to
/// `maximum`, each multiplied by a random factor in `1 ± jitter` so that replicas (or
/// daemons next to many clusters) that failed together do not retry in lockstep.
package struct Backoff: Sendable, Equatable {
    package var base: Duration
    package var maximum: Duration
    /// Fraction of the delay that is randomised, in `0...1`.
    package var jitter: Double

    /// - Parameters:
    ///   - base: the delay after the first failure.
    ///   - maximum: the cap (before jitter).
    ///   - jitter: fraction in `0...1`.
    package init(base: Duration = .seconds(2), maximum: Duration = .seconds(300), jitter: Double = 0.2) {
        self.base = base
        self.maximum = maximum
        self.jitter = min(1, max(0, jitter))
    }

    /// The delay after `failures` consecutive failures (1 or more).
    /// - Parameters:
    ///   - failures: consecutive failures so far.
    ///   - random: a number in `0..<1` (injected so tests are deterministic).
    package func delay(failures: Int, random: Double) -> Duration {
        let exponent = min(max(failures, 1) - 1, 30)
        var delay = base * (1 << exponent)
        if delay > maximum || delay < .zero { delay = maximum }
        let factor = 1 + jitter * (2 * random - 1)
        return delay * factor
    }
}
