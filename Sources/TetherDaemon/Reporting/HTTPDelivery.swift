package import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
package import Logging

/// Sends HTTP POSTs for the reporters (notifications, OTLP traces) from one background
/// task, with retries and exponential backoff: a receiver that is down or slow delays
/// only its own deliveries, never a sync. The queue is bounded; when it is full the
/// oldest waiting request is dropped (and logged).
///
/// Retried: connection errors, timeouts, 408, 429 and 5xx. Given up after
/// `maxAttempts`. Request bodies and header values are never logged (they may hold
/// tokens); only the URL without its query and the status are.
package final class HTTPDelivery: Sendable {
    package struct Options: Sendable {
        package var maxAttempts = 5
        package var firstBackoff: Duration = .milliseconds(500)
        package var maxBackoff: Duration = .seconds(30)
        package var timeout: Duration = .seconds(10)
        package var queueLimit = 256
        package init() {}
    }

    package struct Request: Sendable {
        package var url: URL
        package var method = "POST"
        package var headers: [String: String]
        package var body: Data
        /// For logs: what this is (`slack notification`, `OTLP traces`).
        package var what: String
        package init(url: URL, headers: [String: String], body: Data, what: String) {
            self.url = url
            self.headers = headers
            self.body = body
            self.what = what
        }
    }

    /// What became of one request, for tests and metrics.
    package enum Result: Sendable, Equatable {
        case delivered(status: Int, attempts: Int)
        case failed(String, attempts: Int)
    }

    package let options: Options
    let logger: Logger
    private let queue: AsyncStream<Request>.Continuation
    private let worker: Task<Void, Never>

    /// - Parameter onResult: told of every request's fate (tests).
    package init(options: Options = Options(), logger: Logger, onResult: (@Sendable (Request, Result) -> Void)? = nil) {
        self.options = options
        self.logger = logger
        let (stream, continuation) = AsyncStream<Request>.makeStream(bufferingPolicy: .bufferingNewest(options.queueLimit))
        queue = continuation
        let session = URLSession(configuration: .ephemeral)
        // Unstructured: deliveries outlive the sync that queued them; `finish()` awaits it.
        worker = Task {
            for await request in stream {
                let result = await Self.deliver(request, session: session, options: options, logger: logger)
                onResult?(request, result)
            }
        }
    }

    /// Queues `request`; returns at once.
    package func enqueue(_ request: Request) {
        if case .dropped = queue.yield(request) {
            logger.warning("delivery queue full; the oldest waiting request was dropped", metadata: ["what": "\(request.what)"])
        }
    }

    /// Delivers what is queued (each with its retries), then stops.
    package func finish() async {
        queue.finish()
        await worker.value
    }

    /// Stops at once: the request being sent is cancelled, the waiting ones are dropped.
    package func cancel() {
        queue.finish()
        worker.cancel()
    }

    static func deliver(_ request: Request, session: URLSession, options: Options, logger: Logger) async -> Result {
        var backoff = options.firstBackoff
        var last = ""
        for attempt in 1...options.maxAttempts {
            if Task.isCancelled { return .failed("cancelled", attempts: attempt - 1) }
            var urlRequest = URLRequest(url: request.url)
            urlRequest.httpMethod = request.method
            urlRequest.httpBody = request.body
            urlRequest.timeoutInterval = Double(options.timeout.components.seconds) + Double(options.timeout.components.attoseconds) / 1e18
            for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
            do {
                let (_, response) = try await session.data(for: urlRequest)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if (200..<300).contains(status) { return .delivered(status: status, attempts: attempt) }
                last = "HTTP \(status)"
                if !(status == 408 || status == 429 || status >= 500) {
                    logger.warning("delivery refused", metadata: ["what": "\(request.what)", "url": "\(redacted(request.url))", "status": "\(status)"])
                    return .failed(last, attempts: attempt)
                }
            } catch {
                last = "\(error.localizedDescription)"
            }
            if attempt < options.maxAttempts {
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, options.maxBackoff)
            }
        }
        logger.warning("delivery failed; giving up", metadata: ["what": "\(request.what)", "url": "\(redacted(request.url))",
                                                             "attempts": "\(options.maxAttempts)", "error": "\(last)"])
        return .failed(last, attempts: options.maxAttempts)
    }

    /// The URL without userinfo, path beyond the host or query: a Slack or Teams webhook
    /// URL's path is its secret.
    package static func redacted(_ url: URL) -> String {
        "\(url.scheme ?? "http")://\(url.host ?? "?")\(url.port.map { ":\($0)" } ?? "")/…"
    }
}
