import TetherModel

/// Checks that a webhook was sent by someone who knows the shared secret.
///
/// A request that fails here is answered 401 and nothing else is done with it: its body
/// is not parsed, its delivery id is not remembered and no sync is triggered.
package struct WebhookVerifier: Sendable {
    /// Why a request was not authenticated. The text is safe to return to the sender and
    /// to log: it never quotes the secret or the signature that was sent.
    package enum Rejection: Error, Sendable, Equatable, CustomStringConvertible {
        case missingSignature(header: String)
        case malformedSignature(header: String)
        case wrongSignature
        case missingTimestamp
        case staleTimestamp(skewSeconds: Int)
        case missingDeliveryID(header: String)

        package var description: String {
            switch self {
            case .missingSignature(let header): return "missing \(header) header"
            case .malformedSignature(let header): return "malformed \(header) header: expected sha256=<64 hex digits>"
            case .wrongSignature: return "signature does not match the shared secret"
            case .missingTimestamp: return "missing or malformed X-Tether-Timestamp header (Unix seconds)"
            case .staleTimestamp(let skew): return "X-Tether-Timestamp is \(skew) s away from this server's clock"
            case .missingDeliveryID(let header): return "missing \(header) header"
            }
        }
    }

    package let secret: WebhookSecret
    /// How far the generic sender's timestamp may be from this server's clock.
    package var timestampTolerance: Duration

    /// - Parameters:
    ///   - secret: the shared secret.
    ///   - timestampTolerance: for the generic endpoint; replays are remembered for at
    ///     least twice this long (see `ReplayGuard`).
    package init(secret: WebhookSecret, timestampTolerance: Duration = .seconds(300)) {
        self.secret = secret
        self.timestampTolerance = timestampTolerance
    }

    /// Authenticates a request.
    /// - Parameters:
    ///   - request: headers and raw body.
    ///   - provider: which scheme applies.
    ///   - now: the current Unix time in seconds (for the generic timestamp).
    /// - Returns: the request's delivery id.
    /// - Throws: `Rejection` when the request is not authentic. A missing delivery id is
    ///   checked after the signature, so an unauthenticated sender learns nothing else.
    package func verify(_ request: WebhookRequest, provider: WebhookProvider, now: Int64) throws(Rejection) -> String {
        switch provider {
        case .github:
            let signature = try signatureBytes(request, header: provider.signatureHeader)
            let expected = HMACSHA256.mac(key: secret.bytes, message: request.body)
            guard HMACSHA256.constantTimeEqual(signature, expected) else { throw .wrongSignature }
            return try deliveryID(request, provider: provider)
        case .gitlab:
            guard let token = request[header: provider.signatureHeader], !token.isEmpty else {
                throw .missingSignature(header: "X-Gitlab-Token")
            }
            // Compare digests, not the strings: equal lengths keep the comparison constant
            // time and the secret's length is not revealed.
            guard HMACSHA256.constantTimeEqual(SHA256Digest.of(Array(token.utf8)), SHA256Digest.of(secret.bytes)) else {
                throw .wrongSignature
            }
            return try deliveryID(request, provider: provider)
        case .generic:
            let signature = try signatureBytes(request, header: provider.signatureHeader)
            guard let text = request[header: WebhookProvider.genericTimestampHeader], let timestamp = Int64(text) else {
                throw .missingTimestamp
            }
            guard let delivery = request[header: WebhookProvider.genericDeliveryHeader], !delivery.isEmpty else {
                throw .missingDeliveryID(header: "X-Tether-Delivery")
            }
            let expected = HMACSHA256.mac(key: secret.bytes, message: Self.genericSignedBytes(
                timestamp: text, deliveryID: delivery, body: request.body))
            guard HMACSHA256.constantTimeEqual(signature, expected) else { throw .wrongSignature }
            let skew = abs(now - timestamp)
            guard skew <= timestampTolerance.components.seconds else { throw .staleTimestamp(skewSeconds: Int(skew)) }
            return delivery
        }
    }

    /// The bytes the generic endpoint's signature covers: `TIMESTAMP.DELIVERY.BODY`.
    package static func genericSignedBytes(timestamp: String, deliveryID: String, body: [UInt8]) -> [UInt8] {
        Array(timestamp.utf8) + [UInt8(ascii: ".")] + Array(deliveryID.utf8) + [UInt8(ascii: ".")] + body
    }

    /// The value for `X-Tether-Signature-256` (or GitHub's header) for `message`.
    package static func signatureHeaderValue(secret: WebhookSecret, message: [UInt8]) -> String {
        "sha256=" + Hex.encode(HMACSHA256.mac(key: secret.bytes, message: message))
    }

    private func signatureBytes(_ request: WebhookRequest, header: String) throws(Rejection) -> [UInt8] {
        let display = header == WebhookProvider.genericSignatureHeader ? "X-Tether-Signature-256" : "X-Hub-Signature-256"
        guard let value = request[header: header], !value.isEmpty else { throw .missingSignature(header: display) }
        guard value.hasPrefix("sha256="), let bytes = Hex.decode(value.dropFirst(7), letters: .eitherCase),
              bytes.count == HMACSHA256.digestLength
        else { throw .malformedSignature(header: display) }
        return bytes
    }

    private func deliveryID(_ request: WebhookRequest, provider: WebhookProvider) throws(Rejection) -> String {
        for header in provider.deliveryHeaders {
            if let value = request[header: header], !value.isEmpty { return value }
        }
        throw .missingDeliveryID(header: provider == .github ? "X-GitHub-Delivery" : "X-Gitlab-Event-UUID")
    }
}
