/// A Kubernetes group, version and kind, parsed from `apiVersion` and `kind`.
package struct GroupVersionKind: Sendable, Hashable, CustomStringConvertible {
    package var group: String
    package var version: String
    package var kind: String

    package init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// Splits `apiVersion` (`apps/v1`, or `v1` for the core group).
    package init(apiVersion: String, kind: String) {
        if let slash = apiVersion.lastIndex(of: "/") {
            group = String(apiVersion[..<slash])
            version = String(apiVersion[apiVersion.index(after: slash)...])
        } else {
            group = ""
            version = apiVersion
        }
        self.kind = kind
    }

    /// `group/version`, or `version` for the core group.
    package var apiVersion: String { group.isEmpty ? version : group + "/" + version }

    /// The group and kind, which identify a type across versions.
    package var groupKind: GroupKind { GroupKind(group: group, kind: kind) }

    package var description: String { apiVersion + ", Kind=" + kind }

    /// kustomize's priority of kinds in its default ("legacy") output order:
    /// namespaces and CRDs first, webhooks last, everything else between.
    package var legacyPriority: Int {
        switch kind {
        case "Namespace": return -22
        case "ResourceQuota": return -21
        case "StorageClass": return -20
        case "CustomResourceDefinition": return -19
        case "ServiceAccount": return -18
        case "PodSecurityPolicy": return -17
        case "Role": return -16
        case "ClusterRole": return -15
        case "RoleBinding": return -14
        case "ClusterRoleBinding": return -13
        case "ConfigMap": return -12
        case "Secret": return -11
        case "Endpoints": return -10
        case "Service": return -9
        case "LimitRange": return -8
        case "PriorityClass": return -7
        case "PersistentVolume": return -6
        case "PersistentVolumeClaim": return -5
        case "Deployment": return -4
        case "StatefulSet": return -3
        case "CronJob": return -2
        case "PodDisruptionBudget": return -1
        case "MutatingWebhookConfiguration": return 1
        case "ValidatingWebhookConfiguration": return 2
        default: return 0
        }
    }

    /// `group_version_kind` with `~G`, `~V`, `~K` for empty parts: kustomize's
    /// tie-breaker between kinds of equal priority.
    package var legacySortKey: String {
        (group.isEmpty ? "~G" : group) + "_" + (version.isEmpty ? "~V" : version) + "_" + (kind.isEmpty ? "~K" : kind)
    }
}

/// A group and kind: the type of an object regardless of API version.
package struct GroupKind: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var group: String
    package var kind: String

    package init(group: String, kind: String) {
        self.group = group
        self.kind = kind
    }

    /// `Kind.group`, or `Kind` for the core group (the ApplySet spelling).
    package var description: String { group.isEmpty ? kind : kind + "." + group }

    package static func < (a: GroupKind, b: GroupKind) -> Bool {
        (a.group, a.kind) < (b.group, b.kind)
    }
}
