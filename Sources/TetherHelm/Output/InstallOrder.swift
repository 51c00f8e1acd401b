/// Helm's `InstallOrder` (pkg/release/v1/util/kind_sorter.go): the position of each kind in the
/// order Helm installs, and therefore prints, manifests.
package enum InstallOrder {
    /// Kinds in install order; every other kind comes after them, by kind name.
    package static let kinds: [String] = [
        "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
        "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList",
        "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
        "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
        "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service",
        "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
        "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
        "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    ]

    private static let rank: [String: Int] = Dictionary(uniqueKeysWithValues: kinds.enumerated().map { ($1, $0) })

    /// Whether kind `a` is installed strictly before kind `b` (Helm's `lessByKind`): known kinds
    /// by position, unknown kinds last and among themselves by byte order of the kind string.
    /// Equal kinds are not less, so a stable sort keeps their original order.
    package static func isOrdered(_ a: String, before b: String) -> Bool {
        switch (rank[a], rank[b]) {
        case (nil, nil): return a.utf8.lexicographicallyPrecedes(b.utf8)
        case (nil, _): return false
        case (_, nil): return true
        case (let x?, let y?): return x < y
        }
    }
}
