/// When and how long to wait before sending a request again.
///
/// Only idempotent requests are retried, and only after 429, 5xx or a connection error;
/// other 4xx answers are final. The delay doubles from `baseDelay` up to `maxDelay`, with
/// "equal jitter" (half fixed, half random) so that many clients do not retry in step; a
/// `Retry-After` header replaces the computed delay (capped at `maxRetryAfter`).
package struct RetryPolicy: Sendable, Equatable {
    /// Total attempts including the first; 1 disables retries.
    package var maxAttempts: Int
    package var baseDelay: Duration
    package var maxDelay: Duration
    /// The longest `Retry-After` honoured.
    package var maxRetryAfter: Duration

    package init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(100),
                 maxDelay: Duration = .seconds(5), maxRetryAfter: Duration = .seconds(30)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// No retries at all.
    package static let none = RetryPolicy(maxAttempts: 1)

    /// What happened on one attempt.
    package enum Outcome: Sendable, Equatable {
        case status(Int, retryAfterSeconds: Int?)
        case connectionFailed
    }

    /// The decision for one failed attempt.
    package enum Decision: Sendable, Equatable {
        case retry(after: Duration)
        case giveUp
    }

    /// Decides whether to retry.
    /// - Parameters:
    ///   - outcome: what the attempt produced.
    ///   - attempt: the attempt that just finished, starting at 1.
    ///   - idempotent: whether sending the request again is safe.
    ///   - random: a value in `0..<1` for the jitter (injected so tests are exact).
    /// - Returns: `.retry(after:)` or `.giveUp`.
    package func decision(for outcome: Outcome, attempt: Int, idempotent: Bool, random: Double) -> Decision {
        guard idempotent, attempt < maxAttempts else { return .giveUp }
        switch outcome {
        case .status(let code, let retryAfter):
            guard code == 429 || (500...599).contains(code) && code != 501 else { return .giveUp }
            if let retryAfter {
                return .retry(after: min(.seconds(retryAfter), maxRetryAfter))
            }
        case .connectionFailed:
            break
        }
        return .retry(after: backoff(attempt: attempt, random: random))
    }

    /// `min(maxDelay, baseDelay * 2^(attempt-1))`, half of it jittered.
    package func backoff(attempt: Int, random: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        var delay = baseDelay * (1 << exponent)
        if delay > maxDelay { delay = maxDelay }
        return delay / 2 + (delay / 2) * min(max(random, 0), 1)
    }
}
