/// The identity of a Kubernetes object: group, kind, namespace and name.
///
/// Printed everywhere as `Kind/namespace/name` (or `Kind/name` for objects
/// without a namespace), with the group appended to the kind when it is not
/// the core group: `Deployment.apps/web/api`.
package struct ResourceID: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var group: String
    package var kind: String
    package var namespace: String
    package var name: String

    package init(group: String, kind: String, namespace: String = "", name: String) {
        self.group = group
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    package var groupKind: GroupKind { GroupKind(group: group, kind: kind) }

    package var description: String {
        let k = group.isEmpty ? kind : kind + "." + group
        return namespace.isEmpty ? "\(k)/\(name)" : "\(k)/\(namespace)/\(name)"
    }

    /// kustomize's default output order: kind priority (namespaces and CRDs
    /// first, webhooks last), then group/kind, then namespace (objects
    /// without one last), then name.
    package static func < (a: ResourceID, b: ResourceID) -> Bool {
        legacyOrder(a, version: "", b, version: "")
    }

    /// kustomize's legacy order with the versions taken into account, as
    /// kustomize compares full GVKs.
    package static func legacyOrder(_ a: ResourceID, version av: String, _ b: ResourceID, version bv: String) -> Bool {
        let ag = GroupVersionKind(group: a.group, version: av, kind: a.kind)
        let bg = GroupVersionKind(group: b.group, version: bv, kind: b.kind)
        if ag.legacyPriority != bg.legacyPriority { return ag.legacyPriority < bg.legacyPriority }
        let ak = ag.legacySortKey, bk = bg.legacySortKey
        if ak != bk { return ak.utf8.lexicographicallyPrecedes(bk.utf8) }
        let an = a.namespace.isEmpty ? "~X" : a.namespace
        let bn = b.namespace.isEmpty ? "~X" : b.namespace
        if an != bn { return an.utf8.lexicographicallyPrecedes(bn.utf8) }
        return a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
    }
}
