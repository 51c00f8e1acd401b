package import TetherModel

/// One request the emulator answered.
package struct AuditEntry: Sendable, Hashable {
    package var method: String
    /// The URL path, without the query.
    package var path: String
    /// The query string, or empty.
    package var query: String
    /// The Kubernetes verb: get, list, watch, create, update, patch, apply,
    /// delete, deletecollection, or `discovery` / `openapi` / `version` for
    /// non-resource URLs.
    package var verb: String
    /// The resource (empty for non-resource URLs), namespace and name.
    package var resource: GroupResource?
    package var namespace: String
    package var name: String
    /// The subresource, such as `status`, or empty.
    package var subresource: String
    /// The HTTP status code sent (200 for a watch that started).
    package var code: Int
    /// The request's `User-Agent`.
    package var userAgent: String
    /// The authenticated user (`system:anonymous` without authentication).
    package var user: String = "system:anonymous"
    /// The HTTP version the request came over: `HTTP/2.0` on an h2 stream, else `HTTP/1.1`.
    package var protocolVersion: String = "HTTP/1.1"

    /// The verbs that change stored state when they succeed.
    package static let writeVerbs: Set<String> = ["create", "update", "patch", "apply", "delete", "deletecollection"]

    /// Whether this request changed (or, on failure, tried to change) stored
    /// state: a mutating verb without `dryRun=All`.
    package var isWrite: Bool {
        Self.writeVerbs.contains(verb) && !query.split(separator: "&").contains("dryRun=All")
    }

    /// The entry as the admin endpoint serves it.
    package var json: Value {
        var map = OrderedMap()
        map["verb"] = .string(verb)
        map["method"] = .string(method)
        map["path"] = .string(path)
        map["query"] = .string(query)
        map["group"] = .string(resource?.group ?? "")
        map["resource"] = .string(resource?.resource ?? "")
        map["namespace"] = .string(namespace)
        map["name"] = .string(name)
        map["subresource"] = .string(subresource)
        map["user"] = .string(user)
        map["code"] = .int(code)
        map["userAgent"] = .string(userAgent)
        map["protocol"] = .string(protocolVersion)
        map["write"] = .bool(isWrite)
        return .map(map)
    }
}

/// Every request the emulator answered, in order, so tests can count the
/// calls a client made.
package actor AuditLog {
    private var log: [AuditEntry] = []

    package init() {}

    /// The requests so far.
    package var entries: [AuditEntry] { log }

    /// Forgets the requests so far.
    package func reset() { log.removeAll() }

    func record(_ entry: AuditEntry) { log.append(entry) }
}
