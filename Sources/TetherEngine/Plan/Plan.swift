package import TetherModel

/// What a sync would do to one object, decided before anything is written.
package enum PlannedAction: String, Sendable, Hashable, Codable {
    /// Rendered, not in the cluster.
    case create
    /// Rendered and in the cluster; applying it would change the live object.
    case update
    /// Rendered and in the cluster; applying it would change nothing.
    case unchanged
    /// In the inventory and the cluster, no longer rendered.
    case prune
    /// Left alone: `tether.dev/sync: disabled`, or a prune candidate that is protected.
    case skip
}

/// One object's entry in a plan.
package struct PlanEntry: Sendable, Hashable {
    package var id: ResourceID
    /// apiVersion as rendered (or as live, for prunes).
    package var apiVersion: String
    package var action: PlannedAction
    /// The rendered object, labelled with the ApplySet part-of label. Nil for prunes.
    package var desired: Resource?
    /// The live object as read before planning. Nil for creates.
    package var live: Resource?
    /// The object as it would be after applying (a dry-run's answer, or `desired` for
    /// creates whose namespace or kind does not exist yet). Nil for unchanged and prunes.
    package var merged: Resource?
    /// Why the object is skipped or protected, for skips and refused prunes.
    package var reason: String?
    /// Whether planning predicts the apply fails or conflicts (a field another manager
    /// owns, a kind the cluster does not serve, an invalid object, another set's object):
    /// `reason` says why, and `tether diff` shows it in every format.
    package var willFail = false
    /// The live object's uid and resourceVersion when the plan was made, for saved plans.
    package var liveUID: String?
    package var liveResourceVersion: String?

    package init(id: ResourceID, apiVersion: String, action: PlannedAction, desired: Resource? = nil,
                 live: Resource? = nil, merged: Resource? = nil, reason: String? = nil) {
        self.id = id
        self.apiVersion = apiVersion
        self.action = action
        self.desired = desired
        self.live = live
        self.merged = merged
        self.reason = reason
        liveUID = live?.value[path: ["metadata", "uid"]]?.stringValue
        liveResourceVersion = live?.value[path: ["metadata", "resourceVersion"]]?.stringValue
    }

    package var gvk: GroupVersionKind { GroupVersionKind(apiVersion: apiVersion, kind: id.kind) }
}

/// Counts by action, printed as `N to create, N to update, N to prune, N unchanged`.
package struct PlanSummary: Sendable, Hashable, Codable, CustomStringConvertible {
    package var create = 0
    package var update = 0
    package var prune = 0
    package var unchanged = 0
    package var skip = 0

    package init(_ entries: [PlanEntry] = []) {
        for entry in entries {
            switch entry.action {
            case .create: create += 1
            case .update: update += 1
            case .prune: prune += 1
            case .unchanged: unchanged += 1
            case .skip: skip += 1
            }
        }
    }

    package var hasChanges: Bool { create + update + prune > 0 }

    package var description: String {
        var text = "\(create) to create, \(update) to update, \(prune) to prune, \(unchanged) unchanged"
        if skip > 0 { text += ", \(skip) skipped" }
        return text
    }
}

/// The outcome of planning one target: what to apply and what to prune.
package struct Plan: Sendable {
    /// The Git revision (commit SHA) the objects were rendered from, when known.
    package var revision: String?
    /// The ApplySet this plan belongs to.
    package var applySet: ApplySetParent
    /// Rendered objects in apply order, then prunes in delete order.
    package var entries: [PlanEntry]

    package init(revision: String?, applySet: ApplySetParent, entries: [PlanEntry]) {
        self.revision = revision
        self.applySet = applySet
        self.entries = entries
    }

    package var summary: PlanSummary { PlanSummary(entries) }
}
