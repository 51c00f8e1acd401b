package import TetherModel

/// A request's `DeleteOptions`, from its body and query.
package struct DeleteOptions: Sendable, Equatable {
    /// How dependents (objects whose `ownerReferences` name the deleted one) go.
    package enum Propagation: String, Sendable {
        /// The owner goes now; the garbage collector deletes dependents after it.
        case background = "Background"
        /// Dependents go first; the owner waits with the `foregroundDeletion` finalizer.
        case foreground = "Foreground"
        /// Dependents stay, with the owner's reference removed.
        case orphan = "Orphan"
    }

    package var propagation: Propagation = .background
    /// Pods only: how long a scheduled pod terminates; 0 deletes at once.
    package var gracePeriodSeconds: Int?
    package var dryRun = false
    package var preconditionUID: String?
    package var preconditionResourceVersion: String?

    package init(propagation: Propagation = .background, gracePeriodSeconds: Int? = nil, dryRun: Bool = false) {
        self.propagation = propagation
        self.gracePeriodSeconds = gracePeriodSeconds
        self.dryRun = dryRun
    }

    /// Reads a `DeleteOptions` body (may be empty) and the query parameters
    /// `propagationPolicy`, `gracePeriodSeconds`, `orphanDependents` and
    /// `dryRun`, which win over the body as in the API server.
    ///
    /// - Throws: `EmulatorError` `.invalid` for an unknown policy or a
    ///   negative grace period.
    init(body: Value?, propagationPolicy: String?, gracePeriodSeconds: String?, orphanDependents: String?,
         dryRun: Bool) throws(EmulatorError) {
        let body = body ?? .map(OrderedMap())
        var policy = propagationPolicy ?? body["propagationPolicy"]?.stringValue
        let orphan = orphanDependents.map { $0 == "true" } ?? body["orphanDependents"]?.boolValue
        if policy == nil, let orphan { policy = orphan ? "Orphan" : "Background" }
        if let policy {
            guard let value = Propagation(rawValue: policy) else {
                throw Self.invalid("propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")
            }
            propagation = value
        }
        if let text = gracePeriodSeconds {
            guard let seconds = Int(text) else { throw EmulatorError.badRequest("gracePeriodSeconds: invalid value \"\(text)\"") }
            self.gracePeriodSeconds = seconds
        } else {
            self.gracePeriodSeconds = body["gracePeriodSeconds"]?.intValue
        }
        if let seconds = self.gracePeriodSeconds, seconds < 0 {
            throw Self.invalid("gracePeriodSeconds: Invalid value: \(seconds): must be greater than or equal to 0")
        }
        self.dryRun = dryRun || (body["dryRun"]?.listValue ?? []).contains("All")
        preconditionUID = body[path: ["preconditions", "uid"]]?.stringValue
        preconditionResourceVersion = body[path: ["preconditions", "resourceVersion"]]?.stringValue
    }

    private static func invalid(_ what: String) -> EmulatorError {
        EmulatorError(.invalid, "DeleteOptions.meta.k8s.io \"\" is invalid: \(what)",
                      details: EmulatorError.Details(name: "", group: "meta.k8s.io", kind: "DeleteOptions"))
    }
}

/// What a delete did.
package struct DeleteResult: Sendable {
    /// The object: its last state when removed, its current one when it waits.
    package var object: Value
    /// Whether it is gone now (false while finalizers, foreground dependents
    /// or a pod's grace period hold it).
    package var removed: Bool
}
