package import TetherModel

/// The ApplySet identity defined by KEP-3659: a label value derived from the
/// parent object's name, namespace, kind and group, so that a parent cannot
/// claim another set's members.
///
/// `applyset-` + base64url (no padding) of SHA-256 over `NAME.NAMESPACE.KIND.GROUP`
/// + `-v1`, exactly as `kubectl apply --applyset` computes it.
package enum ApplySetID {
    /// The label (on the parent) and annotation key whose value is the id.
    package static let idLabel = "applyset.kubernetes.io/id"
    /// The label every member carries, valued with the parent's id.
    package static let partOfLabel = "applyset.kubernetes.io/part-of"
    /// The annotation naming the tool that manages the set, `NAME/VERSION`.
    package static let toolingAnnotation = "applyset.kubernetes.io/tooling"
    /// The annotation listing member group-kinds, `Kind.group` comma separated and sorted.
    package static let containsGroupKindsAnnotation = "applyset.kubernetes.io/contains-group-kinds"
    /// The annotation listing namespaces beyond the parent's own, comma separated and sorted.
    package static let additionalNamespacesAnnotation = "applyset.kubernetes.io/additional-namespaces"

    /// The id for a parent object.
    package static func id(forParent parent: ResourceID) -> String {
        let digest = SHA256Digest.of(Array("\(parent.name).\(parent.namespace).\(parent.kind).\(parent.group)".utf8))
        return "applyset-" + Base64.encode(digest, variant: .urlUnpadded) + "-v1"
    }
}
