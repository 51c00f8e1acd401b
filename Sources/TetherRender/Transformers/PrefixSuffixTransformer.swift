import TetherModel

/// `namePrefix:` and `nameSuffix:`: renames every object except those
/// kustomize leaves alone (CRDs, APIServices, Namespaces).
struct PrefixSuffixTransformer {
    let prefix: String
    let suffix: String

    static let skippedKinds: Set<String> = ["CustomResourceDefinition", "APIService", "Namespace"]

    func apply(_ objects: inout [RenderedObject]) {
        for i in objects.indices where !Self.skippedKinds.contains(objects[i].resource.kind) {
            guard !objects[i].resource.name.isEmpty else { continue }
            objects[i].rename(name: prefix + objects[i].resource.name + suffix)
        }
    }
}
