package import TetherKube

/// How a reconcile behaves: the ApplySet, the field manager, and the safety rails.
package struct EngineOptions: Sendable {
    /// The set's name; the parent is `ConfigMap/PARENT-NAMESPACE/tether-NAME`.
    package var name: String
    /// Where the ApplySet parent lives.
    package var parentNamespace = "tether-system"
    /// The server-side apply field manager.
    package var fieldManager = "tether"
    /// Written into `applyset.kubernetes.io/tooling` as `tether/VERSION`.
    package var toolVersion = "0.1.0"
    /// Namespace given to namespaced objects rendered without one.
    package var defaultNamespace = "default"
    /// Take ownership of fields another manager holds (`--force-conflicts`).
    package var forceConflicts = false
    /// Delete objects that left the render (`--prune`).
    package var prune = false
    /// Allow a render with no objects to prune everything (`--allow-empty`).
    package var allowEmpty = false
    /// Refuse to prune more than this many objects (`--max-prune`).
    package var maxPrune = 50
    /// Refuse to prune more than this share of the inventory, in percent (`--max-prune-percent`).
    package var maxPrunePercent = 30
    /// Prune past the budget (`--force-prune`).
    package var forcePrune = false
    /// Also prune Namespaces, CRDs and PersistentVolumeClaims (`--prune-protected`).
    package var pruneProtected = false
    /// Propagation policy for deletes (`--prune-propagation`).
    package var propagation: PropagationPolicy = .background
    /// Objects applied or deleted at once within one phase.
    package var concurrency = 16

    package init(name: String) {
        self.name = name
    }

    /// The parent object's name.
    package var parentName: String { "tether-" + name }

    /// A DNS-1123 set name derived from a path inside the repository, e.g.
    /// `overlays/aws` → `overlays-aws`.
    package static func name(forPath path: String) -> String {
        var out = ""
        for character in path.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber { out.append(character) }
            else if !out.isEmpty, out.last != "-" { out.append("-") }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if out.isEmpty { out = "root" }
        return String(out.prefix(50))
    }
}

/// The order objects are applied in (pruned in reverse): Namespaces and CRDs first,
/// then cluster-scoped RBAC and classes, ServiceAccounts and namespaced RBAC,
/// ConfigMaps and Secrets, then everything else, admission webhooks last.
package enum ApplyPhase: Int, Sendable, Comparable, CaseIterable {
    case namespacesAndDefinitions
    case clusterRBAC
    case serviceAccounts
    case configuration
    case workloads
    case webhooks

    package static func < (a: ApplyPhase, b: ApplyPhase) -> Bool { a.rawValue < b.rawValue }

    package init(kind: String, group: String) {
        switch (group, kind) {
        case ("", "Namespace"), ("apiextensions.k8s.io", "CustomResourceDefinition"): self = .namespacesAndDefinitions
        case ("rbac.authorization.k8s.io", "ClusterRole"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
             ("storage.k8s.io", "StorageClass"), ("scheduling.k8s.io", "PriorityClass"):
            self = .clusterRBAC
        case ("", "ServiceAccount"), ("rbac.authorization.k8s.io", "Role"), ("rbac.authorization.k8s.io", "RoleBinding"):
            self = .serviceAccounts
        case ("", "ConfigMap"), ("", "Secret"), ("", "LimitRange"), ("", "ResourceQuota"), ("", "PersistentVolumeClaim"):
            self = .configuration
        case ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
             ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"):
            self = .webhooks
        default: self = .workloads
        }
    }
}
