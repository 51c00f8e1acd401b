package import TetherModel

/// Options for `list`.
package struct ListOptions: Sendable {
    package var labelSelector: String?
    package var fieldSelector: String?
    /// Page size; `nil` asks for everything at once.
    package var limit: Int?
    /// The `continue` token of the previous page.
    package var continueToken: String?
    package var resourceVersion: String?
    package init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil,
                 continueToken: String? = nil, resourceVersion: String? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
    }
}

/// One page (or, from `listAll`, every page) of a list.
package struct ResourceList: Sendable {
    package var items: [Resource]
    /// The list's `metadata.resourceVersion`: where a watch should start.
    package var resourceVersion: String
    /// Set when more pages follow.
    package var continueToken: String?
}

/// Whether a write is persisted.
package enum DryRun: Sendable, Equatable {
    case none
    /// `dryRun=All`: the server validates, defaults and admits the object but stores nothing.
    case all
}

/// Options for `create`, `update` and `patch`.
package struct WriteOptions: Sendable {
    package var dryRun: DryRun
    package var fieldManager: String?
    /// e.g. `status` or `scale`.
    package var subresource: String?
    package init(dryRun: DryRun = .none, fieldManager: String? = nil, subresource: String? = nil) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
        self.subresource = subresource
    }
}

/// Options for server-side apply.
package struct ApplyOptions: Sendable {
    /// Required: who owns the applied fields.
    package var fieldManager: String
    /// Take ownership of fields another manager owns instead of failing with `conflict`.
    package var force: Bool
    package var dryRun: DryRun
    package var subresource: String?
    package init(fieldManager: String, force: Bool = false, dryRun: DryRun = .none, subresource: String? = nil) {
        self.fieldManager = fieldManager
        self.force = force
        self.dryRun = dryRun
        self.subresource = subresource
    }
}

/// A patch body and its content type.
package struct Patch: Sendable {
    package enum Kind: Sendable, Equatable {
        /// RFC 6902.
        case json
        /// RFC 7386.
        case merge
        /// Kubernetes strategic merge patch (built-in types only).
        case strategic
        /// Server-side apply; prefer `apply(_:options:)`, which sets `fieldManager`.
        case apply

        var contentType: String {
            switch self {
            case .json: return "application/json-patch+json"
            case .merge: return "application/merge-patch+json"
            case .strategic: return "application/strategic-merge-patch+json"
            case .apply: return "application/apply-patch+yaml"
            }
        }
    }
    package var kind: Kind
    package var body: Value
    package init(_ kind: Kind, _ body: Value) {
        self.kind = kind
        self.body = body
    }
}

/// How dependents are deleted.
package enum PropagationPolicy: String, Sendable {
    case foreground = "Foreground", background = "Background", orphan = "Orphan"
}

/// Options for `delete`.
package struct DeleteOptions: Sendable {
    package var propagationPolicy: PropagationPolicy?
    package var gracePeriodSeconds: Int?
    package var dryRun: DryRun
    /// Delete only if the object still has this UID / resourceVersion.
    package var preconditionUID: String?
    package var preconditionResourceVersion: String?
    package init(propagationPolicy: PropagationPolicy? = nil, gracePeriodSeconds: Int? = nil, dryRun: DryRun = .none,
                 preconditionUID: String? = nil, preconditionResourceVersion: String? = nil) {
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.dryRun = dryRun
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
    }
}

/// What `delete` found.
package enum DeleteOutcome: Sendable, Equatable {
    /// The object is gone.
    case deleted
    /// Deletion started but finalizers (or foreground propagation) keep the object for now.
    case pending(Resource)
}
