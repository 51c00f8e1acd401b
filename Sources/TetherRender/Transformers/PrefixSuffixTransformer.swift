import TetherModel

/// `namePrefix:` and `nameSuffix:`: kustomize's prefix transformer, then its
/// suffix transformer. Each records the identity before renaming and notes
/// the prefix or suffix on the object (name references prefer referrals with
/// the same ones). CRDs, APIServices and Namespaces keep their names.
struct PrefixSuffixTransformer {
    let prefix: String
    let suffix: String
    /// Fields `crds` marks `x-kubernetes-identity`, which take the prefix
    /// and suffix too.
    var identities: [FieldSpec] = []

    static let skippedKinds: Set<String> = ["CustomResourceDefinition", "APIService", "Namespace"]

    func apply(_ objects: inout [RenderedObject]) {
        if !prefix.isEmpty {
            for i in objects.indices where !Self.skips(objects[i]) {
                objects[i].prefixes.append(prefix)
                objects[i].rename(name: prefix + objects[i].resource.name)
                rewriteIdentities(&objects[i]) { prefix + $0 }
            }
        }
        if !suffix.isEmpty {
            for i in objects.indices where !Self.skips(objects[i]) {
                objects[i].suffixes.append(suffix)
                objects[i].rename(name: objects[i].resource.name + suffix)
                rewriteIdentities(&objects[i]) { $0 + suffix }
            }
        }
    }

    private func rewriteIdentities(_ object: inout RenderedObject, _ change: (String) -> String) {
        let original = object.originalID
        let gvk = GroupVersionKind(group: original.group, version: object.resource.gvk.version, kind: original.kind)
        for spec in identities where spec.applies(to: gvk) {
            object.resource.value.updateStrings(at: spec.path, change)
        }
    }

    /// kustomize decides by the original kind; APIService only in its own group.
    static func skips(_ object: RenderedObject) -> Bool {
        let kind = object.originalID.kind
        guard skippedKinds.contains(kind) else { return false }
        return kind != "APIService" || object.resource.gvk.group == "apiregistration.k8s.io"
    }
}
