import TetherModel

/// `namePrefix:`, `nameSuffix:` and the `PrefixSuffixTransformer`,
/// `PrefixTransformer` and `SuffixTransformer` plugins. For each object
/// (by its original kind; CRDs, APIServices and Namespaces are skipped) and
/// each field spec that selects it, the prefix and suffix are added to the
/// field; a `metadata/name` spec renames the object, recording the identity
/// and the prefix and suffix (name references prefer referrals with the
/// same ones). kustomize runs `namePrefix` and `nameSuffix` as two
/// transformers, one after the other.
struct PrefixSuffixTransformer {
    /// nil for a `SuffixTransformer` (no prefix is recorded at all).
    let prefix: String?
    /// nil for a `PrefixTransformer`.
    let suffix: String?
    /// kustomize's default `namePrefix`/`nameSuffix` field specs, plus what
    /// `crds` (`x-kubernetes-identity`) and `configurations` add.
    var specs: [FieldSpec] = Self.defaultSpecs

    static let defaultSpecs = [FieldSpec("metadata/name", create: false)]

    static let skippedKinds: Set<String> = ["CustomResourceDefinition", "APIService", "Namespace"]

    func apply(_ objects: inout [RenderedObject]) {
        for i in objects.indices where !Self.skips(objects[i]) {
            let original = objects[i].originalID
            let gvk = GroupVersionKind(group: original.group, version: objects[i].resource.gvk.version, kind: original.kind)
            var renamed = false
            for spec in specs where spec.applies(to: gvk) {
                let (p, s) = (prefix ?? "", suffix ?? "")
                if spec.path == ["metadata", "name"] {
                    // Several name specs may select one object (the default
                    // one and a kind's own); kustomize renames it once.
                    if renamed { continue }
                    renamed = true
                    if let prefix { objects[i].prefixes.append(prefix) }
                    if let suffix { objects[i].suffixes.append(suffix) }
                    if p.isEmpty && s.isEmpty { continue }
                    objects[i].rename(name: p + objects[i].resource.name + s)
                } else {
                    objects[i].resource.value.updateStrings(at: spec.path) { p + $0 + s }
                }
            }
        }
    }

    /// kustomize decides by the original kind; APIService only in its own group.
    static func skips(_ object: RenderedObject) -> Bool {
        let kind = object.originalID.kind
        guard skippedKinds.contains(kind) else { return false }
        return kind != "APIService" || object.resource.gvk.group == "apiregistration.k8s.io"
    }
}
