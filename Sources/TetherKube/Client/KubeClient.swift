import Foundation
package import Logging
import TetherModel

/// A Kubernetes API client over libcurl: typed operations on `Resource`s, discovery,
/// retries with backoff, client-side rate limiting and credential refresh.
///
/// Safe to share between tasks. Every operation honours task cancellation; a cancelled
/// request throws `KubeError` with code `cancelled`.
package final class KubeClient: Sendable {
    /// Tuning for one client.
    package struct Options: Sendable {
        /// Sustained requests per second; 0 disables the rate limit.
        package var qps: Double = 50
        /// Requests allowed at once above `qps`.
        package var burst: Int = 100
        /// Bound on concurrent requests (watches are not counted).
        package var maxConcurrentRequests: Int = 32
        /// Limit for one request, including reading the body.
        package var requestTimeout: Duration = .seconds(30)
        package var connectTimeout: Duration = .seconds(10)
        package var retry = RetryPolicy()
        package var userAgent = "tether/0.1.0"
        /// Told about every response and watch restart (for metrics); called on the
        /// requesting task, so it must return quickly and never block.
        package var observer: (@Sendable (RequestEvent) -> Void)?
        package init() {}
    }

    /// The configuration this client was made with.
    package let config: KubeConfig
    package let options: Options
    let logger: Logger
    let transport: CurlTransport
    let credentials: CredentialSource
    let throttle: RequestThrottle
    let discovery: DiscoveryCache
    /// Checked before every write is sent; nil lets every write through.
    let writeGate: WriteGate?

    /// A condition every write (any method but GET, HEAD and OPTIONS) must meet at the
    /// moment it is sent, such as "this replica still holds its leader Lease". It is
    /// checked after rate limiting and before each attempt, so a write that waited in the
    /// queue past the condition's end is never sent.
    package struct WriteGate: Sendable {
        /// Whether writes may be sent now; called on the requesting task, so it must be cheap.
        package var isOpen: @Sendable () -> Bool
        /// Why a write was not sent, for its `KubeError` (code `cancelled`).
        package var reason: String

        package init(reason: String, isOpen: @escaping @Sendable () -> Bool) {
            self.reason = reason
            self.isOpen = isOpen
        }
    }

    /// Creates a client. No request is sent until the first operation.
    /// - Parameters:
    ///   - config: server, TLS and credentials, e.g. from `KubeConfig.load()`.
    ///   - options: rate limits, timeouts, retries.
    ///   - logger: receives `debug` lines per request, never credentials or bodies.
    package init(config: KubeConfig, options: Options = Options(), logger: Logger) {
        self.config = config
        self.options = options
        var logger = logger
        logger[metadataKey: "kube.server"] = "\(ConfigFiles.redactedURL(config.server))"
        self.logger = logger
        transport = CurlTransport(maxIdleHandles: options.maxConcurrentRequests)
        credentials = CredentialSource(config: config, logger: logger)
        throttle = RequestThrottle(qps: options.qps, burst: options.burst, maxInFlight: options.maxConcurrentRequests)
        discovery = DiscoveryCache()
        writeGate = nil
    }

    private init(sharing client: KubeClient, writeGate: WriteGate) {
        config = client.config
        options = client.options
        logger = client.logger
        transport = client.transport
        credentials = client.credentials
        throttle = client.throttle
        discovery = client.discovery
        self.writeGate = writeGate
    }

    /// The same client (connections, rate limit, credentials and discovery shared) whose
    /// writes are sent only while `gate` is open; reads and watches are not affected.
    package func gatingWrites(_ gate: WriteGate) -> KubeClient {
        KubeClient(sharing: self, writeGate: gate)
    }

    /// Responses, HTTP/2 use and connections opened so far, to check connection reuse.
    package var transportStatistics: TransportStatistics { transport.statistics }

    /// One API call, before credentials.
    struct Call: Sendable {
        var method: String
        var path: String
        var query: [(String, String)] = []
        var body: [UInt8]?
        var contentType: String?
        var accept = "application/json"
        /// The verb and target for messages, e.g. `get ConfigMap/default/web`.
        var operation: String
        var resource: ResourceID?
    }

    func url(for call: Call) -> String {
        var text = config.server + call.path
        if !call.query.isEmpty {
            text += "?" + call.query.map { Self.queryEscape($0.0) + "=" + Self.queryEscape($0.1) }.joined(separator: "&")
        }
        return text
    }

    func httpRequest(for call: Call, credential: Credential, timeout: Duration?) -> HTTPRequest {
        var headers = [(name: "Accept", value: call.accept)]
        if let contentType = call.contentType { headers.append(("Content-Type", contentType)) }
        var tls = config.tls
        if let cert = credential.clientCertificate, let key = credential.clientKey {
            tls.clientCertificate = cert
            tls.clientKey = key
        }
        return HTTPRequest(method: call.method, url: url(for: call), headers: headers,
                           authorization: credential.authorization, body: call.body, timeout: timeout,
                           connectTimeout: options.connectTimeout, tls: tls, proxyURL: config.proxyURL,
                           userAgent: options.userAgent)
    }

    /// Sends a call with rate limiting, credential refresh on 401 and retries, and turns a
    /// non-2xx answer into a `KubeError`.
    /// - Returns: the 2xx response.
    /// - Throws: `KubeError` from the `Status` the server returned or from the transport.
    func send(_ call: Call) async throws(KubeError) -> HTTPResponse {
        var attempt = 0
        var refreshedCredential = false
        while true {
            attempt += 1
            try await throttle.acquireRate()
            await throttle.acquireSlot()
            let started = ContinuousClock.now
            if let writeGate, !["GET", "HEAD", "OPTIONS"].contains(call.method), !writeGate.isOpen() {
                await throttle.release()
                throw KubeError(.cancelled, "not sent: \(writeGate.reason)", operation: call.operation, resource: call.resource)
            }
            let result: Result<HTTPResponse, KubeError>
            do throws(KubeError) {
                let credential = try await credentials.current()
                let request = httpRequest(for: call, credential: credential, timeout: options.requestTimeout)
                result = .success(try await transport.send(request))
            } catch {
                result = .failure(error)
            }
            await throttle.release()
            let idempotent = HTTPRequest.isIdempotent(method: call.method, contentType: call.contentType)
            let outcome: RetryPolicy.Outcome
            switch result {
            case .success(let response):
                log(call, status: response.status, started: started, attempt: attempt)
                options.observer?(.response(method: call.method, status: response.status))
                if (200...299).contains(response.status) { return response }
                if response.status == 401, !refreshedCredential, await credentials.isRefreshable {
                    // Expired exec credential or rotated token: fetch it again once.
                    refreshedCredential = true
                    await credentials.invalidate()
                    attempt -= 1
                    continue
                }
                outcome = .status(response.status, retryAfterSeconds: response.retryAfterSeconds)
                let decision = options.retry.decision(for: outcome, attempt: attempt, idempotent: idempotent,
                                                      random: Double.random(in: 0..<1))
                guard case .retry(let delay) = decision else {
                    throw KubeError.fromResponse(status: response.status, body: response.body,
                                                 retryAfter: response.retryAfterSeconds)
                        .adding(operation: call.operation, resource: call.resource)
                }
                try await pause(delay, call: call, status: response.status)
            case .failure(let error):
                if error.code == .transport || error.code == .timeout { options.observer?(.response(method: call.method, status: 0)) }
                guard error.code == .transport || error.code == .timeout else {
                    throw error.adding(operation: call.operation, resource: call.resource)
                }
                let decision = options.retry.decision(for: .connectionFailed, attempt: attempt, idempotent: idempotent,
                                                      random: Double.random(in: 0..<1))
                guard case .retry(let delay) = decision else {
                    throw error.adding(operation: call.operation, resource: call.resource)
                }
                try await pause(delay, call: call, status: 0)
            }
        }
    }

    private func pause(_ delay: Duration, call: Call, status: Int) async throws(KubeError) {
        logger.debug("retrying request after backoff", metadata: [
            "kube.verb": "\(call.method)", "kube.path": "\(call.path)", "kube.status": "\(status)",
            "retry.delay.ms": "\(delay.milliseconds)",
        ])
        do {
            try await Task.sleep(for: delay)
        } catch {
            throw KubeError(.cancelled, "request cancelled while backing off", operation: call.operation, resource: call.resource)
        }
    }

    private func log(_ call: Call, status: Int, started: ContinuousClock.Instant, attempt: Int) {
        logger.debug("api request", metadata: [
            "kube.verb": "\(call.method)", "kube.path": "\(call.path)", "kube.status": "\(status)",
            "kube.attempt": "\(attempt)", "duration.ms": "\((ContinuousClock.now - started).milliseconds)",
        ])
    }

    static func queryEscape(_ text: String) -> String {
        escape(text, allowed: queryAllowed, extra: "-._~")
    }

    static func pathEscape(_ text: String) -> String {
        escape(text, allowed: pathAllowed, extra: "-._~:@")
    }

    /// RFC 3986 unreserved characters (ASCII only: `CharacterSet.alphanumerics` would let
    /// non-ASCII letters through unescaped).
    private static let asciiAlphanumerics = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    private static let queryAllowed = asciiAlphanumerics.union(CharacterSet(charactersIn: "-._~"))
    private static let pathAllowed = asciiAlphanumerics.union(CharacterSet(charactersIn: "-._~:@"))

    /// Percent-encodes what is not allowed. Names, namespaces and most query values are
    /// plain ASCII that needs no escaping; they skip Foundation's slower general path,
    /// which every request would otherwise take several times.
    private static func escape(_ text: String, allowed: CharacterSet, extra: StaticString) -> String {
        let plain = text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || UnsafeBufferPointer(start: extra.utf8Start, count: extra.utf8CodeUnitCount).contains(byte)
        }
        if plain { return text }
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Decodes a JSON response body.
    func decode(_ response: HTTPResponse, call: Call) throws(KubeError) -> Value {
        do {
            return try JSONParsing().value(from: response.body)
        } catch {
            throw KubeError(.decoding, "the API server's response is not valid JSON", operation: call.operation,
                            resource: call.resource, cause: error)
        }
    }
}
