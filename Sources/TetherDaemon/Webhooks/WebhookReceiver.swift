import Foundation
package import Logging

/// Authenticates webhooks, refuses replays, floods and pushes to other refs, and turns the
/// rest into sync triggers.
///
/// The order of checks is chosen so that an unauthenticated request costs as little as
/// possible and changes nothing: rate (429), size (413, enforced by the HTTP layer while
/// reading the body), signature (401), delivery id and replay (400, 409), payload (400),
/// ref (200, ignored), and only then a trigger (202).
package actor WebhookReceiver {
    /// Limits and the tracked ref.
    package struct Configuration: Sendable {
        /// Largest body read; larger requests get 413. GitHub caps payloads at 25 MB, but
        /// push payloads over 1 MiB are rare and the daemon only needs the ref.
        package var maxBodyBytes = 1 << 20
        /// Sustained webhooks per second across all endpoints.
        package var rate = 5.0
        /// Webhooks allowed at once above `rate`.
        package var burst = 20
        /// How long a delivery id is remembered.
        package var replayWindow: Duration = .seconds(600)
        /// How many delivery ids are remembered at most.
        package var replayCapacity = 10_000
        /// How far the generic endpoint's timestamp may be from this clock; the replay
        /// window must be at least twice this.
        package var timestampTolerance: Duration = .seconds(300)
        /// Which pushes trigger a sync.
        package var refFilter = RefFilter(trackedRef: nil)
        package init() {}
    }

    /// The answer to one webhook, with the status the HTTP layer sends.
    package struct Response: Sendable, Equatable {
        package enum Result: String, Sendable, CaseIterable {
            /// A sync was triggered (202).
            case accepted
            /// Authentic, but for another ref, a ping or another event (200).
            case ignored
            /// Bad or missing signature or token (401).
            case unauthorized
            /// The delivery id was already accepted (409).
            case replayed
            /// Malformed payload or missing delivery id (400).
            case badRequest = "bad_request"
            /// Body over `maxBodyBytes` (413).
            case tooLarge = "too_large"
            /// Over the rate bound (429).
            case rateLimited = "rate_limited"
        }
        package var result: Result
        /// A short explanation for the sender; never a secret.
        package var message: String
        /// For 429: seconds until a request would be admitted.
        package var retryAfterSeconds: Int?

        /// The HTTP status code.
        package var status: Int {
            switch result {
            case .accepted: return 202
            case .ignored: return 200
            case .unauthorized: return 401
            case .replayed: return 409
            case .badRequest: return 400
            case .tooLarge: return 413
            case .rateLimited: return 429
            }
        }
    }

    package nonisolated let configuration: Configuration
    private let verifier: WebhookVerifier
    private var replays: ReplayGuard<ContinuousClock.Instant>
    private var limiter: RateLimiter<ContinuousClock.Instant>
    private let trigger: @Sendable (SyncTrigger) -> Void
    private let metrics: DaemonMetrics?
    private let logger: Logger
    private let unixTime: @Sendable () -> Int64

    /// - Parameters:
    ///   - secret: the shared secret.
    ///   - configuration: limits and the tracked ref.
    ///   - metrics: where request counts go, if anywhere.
    ///   - logger: one `info` line per accepted webhook, `debug` for the rest.
    ///   - unixTime: the current Unix time in seconds (injected for tests).
    ///   - trigger: called once per accepted push; must return quickly (the scheduler's
    ///     `trigger(_:)` only enqueues).
    /// - Throws: `DaemonError` `.invalidConfiguration` for non-positive limits or a replay
    ///   window shorter than twice the timestamp tolerance.
    package init(secret: WebhookSecret, configuration: Configuration = Configuration(), metrics: DaemonMetrics? = nil,
                 logger: Logger, unixTime: @escaping @Sendable () -> Int64 = WebhookReceiver.systemUnixTime,
                 trigger: @escaping @Sendable (SyncTrigger) -> Void) throws(DaemonError) {
        guard configuration.maxBodyBytes > 0, configuration.rate > 0, configuration.burst >= 1,
              configuration.replayCapacity > 0
        else {
            throw DaemonError(.invalidConfiguration, "webhook limits must be positive (body size, rate, burst, replay capacity).")
        }
        guard configuration.replayWindow >= configuration.timestampTolerance * 2 else {
            throw DaemonError(.invalidConfiguration, "the webhook replay window (\(configuration.replayWindow)) must be at least twice the timestamp tolerance (\(configuration.timestampTolerance)), or a replayed generic webhook could be forgotten while its timestamp is still valid.")
        }
        self.configuration = configuration
        self.verifier = WebhookVerifier(secret: secret, timestampTolerance: configuration.timestampTolerance)
        self.replays = ReplayGuard(window: configuration.replayWindow, capacity: configuration.replayCapacity)
        self.limiter = RateLimiter(rate: configuration.rate, burst: configuration.burst)
        self.metrics = metrics
        self.logger = logger
        self.unixTime = unixTime
        self.trigger = trigger
    }

    /// The wall clock in Unix seconds.
    package static let systemUnixTime: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

    /// Takes a rate token before the body is read.
    /// - Returns: `nil` to go on, or the 429 response.
    package func admitRate(provider: WebhookProvider) -> Response? {
        guard let wait = limiter.acquire(now: .now) else { return nil }
        let seconds = max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
        return finish(Response(result: .rateLimited, message: "too many webhooks; retry later", retryAfterSeconds: seconds),
                      provider: provider, delivery: nil)
    }

    /// The 413 response for a body over the limit (counted like the others).
    package func tooLarge(provider: WebhookProvider) -> Response {
        finish(Response(result: .tooLarge, message: "payload larger than \(configuration.maxBodyBytes) bytes"),
               provider: provider, delivery: nil)
    }

    /// Checks an admitted request and triggers a sync for a matching push.
    /// - Parameters:
    ///   - request: headers and the raw body (at most `maxBodyBytes`).
    ///   - provider: from the path (`/hooks/github` …).
    /// - Returns: the response to send.
    package func receive(_ request: WebhookRequest, provider: WebhookProvider) -> Response {
        let delivery: String
        do {
            delivery = try verifier.verify(request, provider: provider, now: unixTime())
        } catch .missingDeliveryID(let header) {
            return finish(Response(result: .badRequest, message: "missing \(header) header"), provider: provider, delivery: nil)
        } catch {
            return finish(Response(result: .unauthorized, message: error.description), provider: provider, delivery: nil)
        }
        guard replays.admit(delivery, now: .now) else {
            return finish(Response(result: .replayed, message: "delivery \(delivery) was already received"),
                          provider: provider, delivery: delivery)
        }
        let event: WebhookEvent
        do {
            event = try WebhookEvent.parse(request, provider: provider)
        } catch {
            return finish(Response(result: .badRequest, message: error.description), provider: provider, delivery: delivery)
        }
        switch event.kind {
        case .ping:
            return finish(Response(result: .ignored, message: "pong"), provider: provider, delivery: delivery)
        case .other(let name):
            return finish(Response(result: .ignored, message: "event \(name) does not trigger a sync"),
                          provider: provider, delivery: delivery)
        case .push(let ref, let revision, let defaultBranch):
            guard configuration.refFilter.matches(ref: ref, defaultBranch: defaultBranch) else {
                return finish(Response(result: .ignored, message: "push to \(ref ?? "?") is not the tracked ref"),
                              provider: provider, delivery: delivery)
            }
            trigger(SyncTrigger(.webhook))
            var response = Response(result: .accepted, message: "sync triggered")
            if let revision { response.message += " for \(revision)" }
            return finish(response, provider: provider, delivery: delivery)
        }
    }

    private func finish(_ response: Response, provider: WebhookProvider, delivery: String?) -> Response {
        metrics?.recordWebhook(provider: provider, result: response.result)
        var metadata: Logger.Metadata = [
            "webhook.provider": "\(provider.rawValue)", "webhook.result": "\(response.result.rawValue)",
            "http.status": "\(response.status)",
        ]
        if let delivery { metadata["webhook.delivery"] = "\(delivery)" }
        if response.result == .accepted {
            logger.info("webhook accepted", metadata: metadata)
        } else {
            metadata["webhook.reason"] = "\(response.message)"
            logger.debug("webhook not accepted", metadata: metadata)
        }
        return response
    }
}
