/// Where a webhook comes from, which decides how it is authenticated and parsed.
package enum WebhookProvider: String, Sendable, CaseIterable, Hashable {
    /// GitHub: `X-Hub-Signature-256: sha256=HEX`, the HMAC-SHA256 of the raw body;
    /// delivery id `X-GitHub-Delivery`; event `X-GitHub-Event` (`push`, `ping`).
    case github
    /// GitLab: `X-Gitlab-Token` carries the secret itself; delivery id
    /// `X-Gitlab-Event-UUID` (or `Idempotency-Key`); event `X-Gitlab-Event`
    /// (`Push Hook`, `Tag Push Hook`).
    case gitlab
    /// Any other sender: `X-Tether-Signature-256: sha256=HEX`, the HMAC-SHA256 of
    /// `TIMESTAMP.DELIVERY.BODY`, with `X-Tether-Timestamp` (Unix seconds) and
    /// `X-Tether-Delivery` (a unique id). Signing the timestamp and id bounds replays to
    /// the tolerance window even when a captured request is sent again with a new id.
    case generic

    /// The header holding the delivery id, in lower case.
    package var deliveryHeaders: [String] {
        switch self {
        case .github: return ["x-github-delivery"]
        case .gitlab: return ["x-gitlab-event-uuid", "idempotency-key"]
        case .generic: return [WebhookProvider.genericDeliveryHeader]
        }
    }

    /// The header holding the signature or token, in lower case.
    package var signatureHeader: String {
        switch self {
        case .github: return "x-hub-signature-256"
        case .gitlab: return "x-gitlab-token"
        case .generic: return WebhookProvider.genericSignatureHeader
        }
    }

    /// `X-Tether-Signature-256`, lower case.
    package static let genericSignatureHeader = "x-tether-signature-256"
    /// `X-Tether-Timestamp`, lower case.
    package static let genericTimestampHeader = "x-tether-timestamp"
    /// `X-Tether-Delivery`, lower case.
    package static let genericDeliveryHeader = "x-tether-delivery"
}
