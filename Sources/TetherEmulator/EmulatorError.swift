package import TetherModel

/// A failure the emulator reports to its client as a `metav1.Status`, or to
/// its embedder when the server cannot start.
///
/// Every code maps to the HTTP status and `reason` the real API server uses,
/// so clients under test see the same error shapes they would in a cluster.
package struct EmulatorError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; extensible like `ModelError.Code`.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Raw: String, Hashable, Sendable {
            case notFound, alreadyExists, conflict, badRequest, invalid, gone, expired
            case methodNotAllowed, unsupportedMediaType, internalError, listenFailed
            case unauthorized, forbidden, tooManyRequests, serviceUnavailable, timeout, configuration
        }
        private let raw: Raw
        private init(_ raw: Raw) { self.raw = raw }
        /// 404 NotFound.
        package static let notFound = Code(.notFound)
        /// 409 AlreadyExists.
        package static let alreadyExists = Code(.alreadyExists)
        /// 409 Conflict (stale resourceVersion, field manager conflict).
        package static let conflict = Code(.conflict)
        /// 400 BadRequest.
        package static let badRequest = Code(.badRequest)
        /// 422 Invalid.
        package static let invalid = Code(.invalid)
        /// 410 Gone (watch resourceVersion too old).
        package static let gone = Code(.gone)
        /// 410 Expired (list continue token too old).
        package static let expired = Code(.expired)
        /// 405 MethodNotAllowed.
        package static let methodNotAllowed = Code(.methodNotAllowed)
        /// 415 UnsupportedMediaType.
        package static let unsupportedMediaType = Code(.unsupportedMediaType)
        /// 500 InternalError.
        package static let internalError = Code(.internalError)
        /// The server could not bind its listen address (never sent to clients).
        package static let listenFailed = Code(.listenFailed)
        /// The emulator's own configuration (TLS directory, token file, state
        /// directory) cannot be used (never sent to clients).
        package static let configuration = Code(.configuration)
        /// 401 Unauthorized: no valid client certificate or bearer token.
        package static let unauthorized = Code(.unauthorized)
        /// 403 Forbidden.
        package static let forbidden = Code(.forbidden)
        /// 429 TooManyRequests (with `Retry-After`).
        package static let tooManyRequests = Code(.tooManyRequests)
        /// 503 ServiceUnavailable.
        package static let serviceUnavailable = Code(.serviceUnavailable)
        /// 504 Timeout.
        package static let timeout = Code(.timeout)

        /// The code the API server uses for an HTTP status; `internalError` for
        /// statuses it has no reason for.
        package init(httpStatus: Int) {
            let known: [Raw] = [.badRequest, .unauthorized, .forbidden, .notFound, .methodNotAllowed, .conflict,
                                .gone, .unsupportedMediaType, .invalid, .tooManyRequests, .internalError,
                                .serviceUnavailable, .timeout]
            self.init(known.first { Code($0).httpStatus == httpStatus } ?? .internalError)
        }
        package var description: String { raw.rawValue }

        /// The HTTP status code the real API server answers with.
        package var httpStatus: Int {
            switch raw {
            case .notFound: 404
            case .alreadyExists, .conflict: 409
            case .badRequest: 400
            case .invalid: 422
            case .gone, .expired: 410
            case .methodNotAllowed: 405
            case .unsupportedMediaType: 415
            case .internalError, .listenFailed, .configuration: 500
            case .unauthorized: 401
            case .forbidden: 403
            case .tooManyRequests: 429
            case .serviceUnavailable: 503
            case .timeout: 504
            }
        }

        /// The `reason` field of the `metav1.Status`.
        package var reason: String {
            switch raw {
            case .notFound: "NotFound"
            case .alreadyExists: "AlreadyExists"
            case .conflict: "Conflict"
            case .badRequest: "BadRequest"
            case .invalid: "Invalid"
            case .gone, .expired: "Expired"
            case .methodNotAllowed: "MethodNotAllowed"
            case .unsupportedMediaType: "UnsupportedMediaType"
            case .internalError, .listenFailed, .configuration: "InternalError"
            case .unauthorized: "Unauthorized"
            case .forbidden: "Forbidden"
            case .tooManyRequests: "TooManyRequests"
            case .serviceUnavailable: "ServiceUnavailable"
            case .timeout: "Timeout"
            }
        }
    }

    /// The kind of failure.
    package var code: Code
    /// The message, in the API server's words where there is one.
    package var message: String
    /// The object concerned: its name, and group and resource (the API server
    /// puts the plural resource into `details.kind`).
    package var details: Details?
    /// The underlying error, if any.
    package var cause: (any Error)?
    /// The `details.causes` of the Status: one per invalid or conflicting field.
    package var causes: [Cause] = []
    /// Sent as the `Retry-After` header and `details.retryAfterSeconds`.
    package var retryAfterSeconds: Int?
    /// An HTTP status other than the code's, for injected faults such as 502.
    package var httpStatusOverride: Int?

    /// The HTTP status sent.
    package var httpStatus: Int { httpStatusOverride ?? code.httpStatus }

    /// One entry of `details.causes`.
    package struct Cause: Sendable, Hashable {
        /// `FieldManagerConflict`, `FieldValueRequired`, `FieldValueInvalid`...
        package var reason: String
        package var message: String
        /// The field, as `.spec.replicas` (conflicts) or `spec.replicas` (validation).
        package var field: String
        package init(reason: String, message: String, field: String) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    /// The `details` of a `metav1.Status`.
    package struct Details: Sendable, Hashable {
        package var name: String
        package var group: String
        package var kind: String
        package init(name: String, group: String, kind: String) {
            self.name = name
            self.group = group
            self.kind = kind
        }
    }

    package init(_ code: Code, _ message: String, details: Details? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.cause = cause
    }

    package var description: String {
        // A bind failure is the embedder's, not an HTTP answer: no reason or code.
        if code == .listenFailed || code == .configuration { return message }
        var text = "\(code.reason) (\(code.httpStatus)): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }

    /// The error as a `metav1.Status` object.
    package var status: Value {
        var map = OrderedMap()
        map["kind"] = "Status"
        map["apiVersion"] = "v1"
        map["metadata"] = .map(OrderedMap())
        map["status"] = "Failure"
        map["message"] = .string(message)
        map["reason"] = .string(code.reason)
        if details != nil || !causes.isEmpty || retryAfterSeconds != nil {
            var d = OrderedMap()
            if let details {
                if !details.name.isEmpty { d["name"] = .string(details.name) }
                if !details.group.isEmpty { d["group"] = .string(details.group) }
                d["kind"] = .string(details.kind)
            }
            if !causes.isEmpty {
                d["causes"] = .list(causes.map { cause in
                    var c = OrderedMap()
                    c["reason"] = .string(cause.reason)
                    c["message"] = .string(cause.message)
                    c["field"] = .string(cause.field)
                    return .map(c)
                })
            }
            if let retryAfterSeconds { d["retryAfterSeconds"] = .int(retryAfterSeconds) }
            map["details"] = .map(d)
        }
        map["code"] = .int(httpStatus)
        return .map(map)
    }
}

extension EmulatorError {
    /// `<resource> "<name>" not found`, as the API server words it.
    static func notFound(_ resource: GroupResource, _ name: String) -> EmulatorError {
        EmulatorError(.notFound, "\(resource.qualified) \"\(name)\" not found",
                      details: Details(name: name, group: resource.group, kind: resource.resource))
    }

    /// `<resource> "<name>" already exists`.
    static func alreadyExists(_ resource: GroupResource, _ name: String) -> EmulatorError {
        EmulatorError(.alreadyExists, "\(resource.qualified) \"\(name)\" already exists",
                      details: Details(name: name, group: resource.group, kind: resource.resource))
    }

    /// The optimistic-concurrency conflict message.
    static func conflict(_ resource: GroupResource, _ name: String) -> EmulatorError {
        EmulatorError(.conflict,
            "Operation cannot be fulfilled on \(resource.qualified) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
            details: Details(name: name, group: resource.group, kind: resource.resource))
    }

    static func badRequest(_ message: String, cause: (any Error)? = nil) -> EmulatorError {
        EmulatorError(.badRequest, message, cause: cause)
    }

    static func invalid(_ resource: GroupResource, kind: String, _ name: String, _ what: String) -> EmulatorError {
        let qualifiedKind = resource.group.isEmpty ? kind : kind + "." + resource.group
        return EmulatorError(.invalid, "\(qualifiedKind) \"\(name)\" is invalid: \(what)",
                             details: Details(name: name, group: resource.group, kind: kind))
    }
}
