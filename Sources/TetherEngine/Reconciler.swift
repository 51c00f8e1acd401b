package import Logging
package import TetherKube
import TetherModel

/// Plans, applies and prunes one set of rendered objects on one cluster.
///
/// `plan` only reads (lists per kind, plus server-side-apply dry runs for objects the
/// fast path cannot settle); `apply(_:)` writes, in phases, and prunes with the ApplySet
/// inventory. Safe to use from several tasks; each call is independent.
package struct Reconciler: Sendable {
    package let client: KubeClient
    /// Settable inside the engine only (self-heal forces conflicts on a copy), so the set's
    /// name, and with it `applySetID`, cannot change after `init`.
    package internal(set) var options: EngineOptions
    /// The set's `applyset.kubernetes.io/id`, worked out once.
    let applySetID: String
    let logger: Logger

    package init(client: KubeClient, options: EngineOptions, logger: Logger) {
        self.client = client
        self.options = options
        self.logger = logger
        applySetID = ApplySetID.id(forParent: ApplySetParent(name: options.parentName, namespace: options.parentNamespace).id)
    }

    /// How much work planning does for objects the fast path cannot settle.
    package enum PlanDetail: Sendable {
        /// Dry-run existing objects only (enough to tell update from unchanged).
        case sync
        /// Dry-run creates too, so every entry has its merged object (for diffs).
        case diff
    }

    var partOfSelector: String { ApplySetID.partOfLabel + "=" + applySetID }

    /// Wraps a client error with what the engine was doing; a request cut short by
    /// cancellation is the `cancelled` outcome, not a cluster failure.
    static func clusterError(_ error: KubeError, _ what: String) -> EngineError {
        if error.code == .cancelled { return .cancelled(during: what) }
        return EngineError(.cluster, what, resource: error.resource, cause: error)
    }
}
