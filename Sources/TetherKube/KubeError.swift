package import TetherModel

/// An error from the Kubernetes client: a `metav1.Status` the API server returned, a
/// transport failure, or a configuration problem.
///
/// The description follows the project pattern *where: what happened. How to fix it.*,
/// e.g. `apply ConfigMap/prod/web: API server rejected the request (422 Invalid):
/// data.x: Invalid value. Fix the listed fields.` It never contains tokens, passwords,
/// keys or URL userinfo.
package struct KubeError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; callers switch on it (for example to treat `notFound`
    /// on delete as success).
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Raw: String, Sendable {
            case notFound, conflict, alreadyExists, invalid, forbidden, unauthorized
            case tooManyRequests, gone, serverError, badRequest, methodNotAllowed
            case unsupportedMediaType, timeout, transport, tls, cancelled, config
            case decoding, noResourceMatch, unexpectedStatus
        }
        private let raw: Raw
        private init(_ raw: Raw) { self.raw = raw }
        /// 404: the object (or the resource type) does not exist.
        package static let notFound = Code(.notFound)
        /// 409 with reason `Conflict`: a stale `resourceVersion` or a field-manager conflict.
        package static let conflict = Code(.conflict)
        /// 409 with reason `AlreadyExists`.
        package static let alreadyExists = Code(.alreadyExists)
        /// 422: validation failed; `causes` lists the fields.
        package static let invalid = Code(.invalid)
        /// 403.
        package static let forbidden = Code(.forbidden)
        /// 401: credentials missing, wrong or expired.
        package static let unauthorized = Code(.unauthorized)
        /// 429: throttled by the API server (after the client's own retries).
        package static let tooManyRequests = Code(.tooManyRequests)
        /// 410: the requested `resourceVersion` is too old (watch or continue token expired).
        package static let gone = Code(.gone)
        /// 5xx.
        package static let serverError = Code(.serverError)
        /// 400.
        package static let badRequest = Code(.badRequest)
        /// 405.
        package static let methodNotAllowed = Code(.methodNotAllowed)
        /// 415: for example a patch type the resource does not support.
        package static let unsupportedMediaType = Code(.unsupportedMediaType)
        /// The request, or the server's handling of it (504, `Timeout`), timed out.
        package static let timeout = Code(.timeout)
        /// Connection refused, reset, DNS failure and other network errors.
        package static let transport = Code(.transport)
        /// TLS handshake or certificate verification failed.
        package static let tls = Code(.tls)
        /// The calling task was cancelled.
        package static let cancelled = Code(.cancelled)
        /// The kubeconfig, in-cluster files or credential plugin are unusable.
        package static let config = Code(.config)
        /// The response body is not the JSON the client expected.
        package static let decoding = Code(.decoding)
        /// Discovery knows no resource for the requested kind.
        package static let noResourceMatch = Code(.noResourceMatch)
        /// Any other HTTP status.
        package static let unexpectedStatus = Code(.unexpectedStatus)
        package var description: String { raw.rawValue }
    }

    /// One field-level reason from `status.details.causes`.
    package struct Cause: Sendable, Hashable, CustomStringConvertible {
        package var field: String
        package var reason: String
        package var message: String
        package init(field: String, reason: String, message: String) {
            self.field = field
            self.reason = reason
            self.message = message
        }
        package var description: String { field.isEmpty ? message : field + ": " + message }
    }

    package var code: Code
    package var message: String
    /// The HTTP status, when there was a response.
    package var httpStatus: Int?
    /// `status.reason` (`NotFound`, `Invalid`, …), when the server sent a Status.
    package var reason: String?
    /// The verb and target, e.g. `get ConfigMap/default/web` or `GET https://host/api`.
    package var operation: String?
    /// The object the request was about, when known.
    package var resource: ResourceID?
    /// Field-level reasons for `invalid` and some `conflict`s.
    package var causes: [Cause]
    /// Seconds the server asked the client to wait (`Retry-After`), when it did.
    package var retryAfterSeconds: Int?
    package var cause: (any Error)?

    package init(_ code: Code, _ message: String, httpStatus: Int? = nil, reason: String? = nil,
                 operation: String? = nil, resource: ResourceID? = nil, causes: [Cause] = [],
                 retryAfterSeconds: Int? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.reason = reason
        self.operation = operation
        self.resource = resource
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
        self.cause = cause
    }

    package var description: String {
        var text = ""
        if let operation { text += operation + ": " }
        text += message
        if let httpStatus {
            text += " (\(httpStatus)" + (reason.map { " " + $0 } ?? "") + ")"
        }
        if !causes.isEmpty, !causes.allSatisfy({ message.contains($0.message) }) {
            text += ": " + causes.map(\.description).joined(separator: "; ")
        }
        if !text.hasSuffix(".") { text += "." }
        if let hint { text += " " + hint }
        if let cause, !(cause is KubeError) || operation == nil {
            text += " Caused by: \(cause)"
        } else if let cause = cause as? KubeError, cause.message != message {
            text += " Caused by: \(cause)"
        }
        return text
    }

    /// How to fix it, by code.
    private var hint: String? {
        switch code {
        case .unauthorized: return "Check the credentials of the current kubeconfig user (token, client certificate or exec plugin)."
        case .forbidden: return "Grant the user RBAC permission for this verb and resource."
        case .invalid: return "Fix the listed fields."
        case .conflict: return "Re-read the object and retry, or use server-side apply with force."
        case .tls: return "Check certificate-authority and tls-server-name in the kubeconfig cluster."
        case .noResourceMatch: return "Install the CRD or check apiVersion and kind."
        case .tooManyRequests: return "Lower the client QPS or retry later."
        default: return nil
        }
    }
}

extension KubeError {
    /// Adds the operation (and object) to an error from deeper down, without repeating it.
    func adding(operation: String, resource: ResourceID?) -> KubeError {
        var copy = self
        if copy.operation == nil { copy.operation = operation }
        if copy.resource == nil { copy.resource = resource }
        return copy
    }

    /// The code for an HTTP status and `metav1.Status.reason`.
    static func code(httpStatus: Int, reason: String?) -> Code {
        switch (httpStatus, reason) {
        case (_, "AlreadyExists"): return .alreadyExists
        case (409, _), (_, "Conflict"): return .conflict
        case (404, _), (_, "NotFound"): return .notFound
        case (422, _), (_, "Invalid"): return .invalid
        case (403, _), (_, "Forbidden"): return .forbidden
        case (401, _), (_, "Unauthorized"): return .unauthorized
        case (429, _), (_, "TooManyRequests"): return .tooManyRequests
        case (410, _), (_, "Gone"), (_, "Expired"): return .gone
        case (504, _), (_, "Timeout"), (_, "ServerTimeout"): return .timeout
        case (400, _), (_, "BadRequest"): return .badRequest
        case (405, _), (_, "MethodNotAllowed"): return .methodNotAllowed
        case (415, _), (_, "UnsupportedMediaType"): return .unsupportedMediaType
        case (500...599, _), (_, "InternalError"), (_, "ServiceUnavailable"): return .serverError
        default: return .unexpectedStatus
        }
    }

    /// Builds an error from an HTTP response whose status is not 2xx, decoding the body as
    /// a `metav1.Status` when it is one. The body is only quoted when it is a Status: any
    /// other body could echo data the client sent.
    static func fromResponse(status: Int, body: [UInt8], retryAfter: Int?) -> KubeError {
        var message = "the API server returned HTTP \(status)"
        var reason: String?
        var causes: [Cause] = []
        var code = code(httpStatus: status, reason: nil)
        if let value = try? JSONParsing().value(from: body), value["kind"]?.stringValue == "Status" {
            if let text = value["message"]?.stringValue, !text.isEmpty { message = text }
            reason = value["reason"]?.stringValue
            let effective = value["code"]?.intValue ?? status
            code = Self.code(httpStatus: effective, reason: reason)
            for item in value[path: ["details", "causes"]]?.listValue ?? [] {
                causes.append(Cause(field: item["field"]?.stringValue ?? "",
                                    reason: item["reason"]?.stringValue ?? "",
                                    message: item["message"]?.stringValue ?? ""))
            }
        }
        return KubeError(code, message, httpStatus: status, reason: reason, causes: causes,
                         retryAfterSeconds: retryAfter)
    }
}
