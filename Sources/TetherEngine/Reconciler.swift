package import Logging
package import TetherKube
package import TetherModel

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
    /// Called between the apply and prune steps; tests use it to simulate a crash there.
    package var beforePrune: (@Sendable () throws(EngineError) -> Void)?

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

    /// Wraps a client error with what the engine was doing.
    static func clusterError(_ error: KubeError, _ what: String) -> EngineError {
        EngineError(.cluster, what, resource: error.resource, cause: error)
    }
}
