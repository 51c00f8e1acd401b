import Foundation
import Synchronization

/// One HTTP request as the transport sends it. Credentials travel separately in
/// `authorization` so that printing a request cannot leak them.
struct HTTPRequest: Sendable {
    var method: String
    var url: String
    var headers: [(name: String, value: String)] = []
    var authorization: Redacted<String>?
    var body: [UInt8]?
    /// The whole-request limit; `nil` for watches, which idle legitimately.
    var timeout: Duration?
    var connectTimeout: Duration = .seconds(10)
    var tls: KubeConfig.TLSSettings
    var proxyURL: String?
    var userAgent: String

    /// GET, HEAD, PUT, DELETE and server-side apply can be sent twice without changing the
    /// outcome; only those are retried after 5xx, 429 or a connection error.
    static func isIdempotent(method: String, contentType: String?) -> Bool {
        switch method {
        case "GET", "HEAD", "PUT", "DELETE", "OPTIONS": return true
        case "PATCH": return contentType == "application/apply-patch+yaml"
        default: return false
        }
    }
}

/// A complete response (for streaming requests, `body` holds only a non-2xx body).
struct HTTPResponse: Sendable {
    var status: Int
    /// Header names are lower-cased.
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// 1 for HTTP/1.x, 2 for HTTP/2.
    var httpVersion: Int
    /// Connections the transfer opened (`CURLINFO_NUM_CONNECTS`): 0 when it reused one.
    var newConnections = 0

    func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.last { $0.name == lowered }?.value
    }

    /// `Retry-After` in whole seconds (the HTTP-date form is not used by Kubernetes).
    var retryAfterSeconds: Int? {
        header("retry-after").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map { max(0, $0) }
    }
}

/// A flag a transfer thread polls from curl's progress callback; set from any task.
final class CancellationFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func cancel() { value.store(true, ordering: .releasing) }
    var isCancelled: Bool { value.load(ordering: .acquiring) }
}
