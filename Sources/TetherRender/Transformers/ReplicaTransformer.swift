import TetherModel

/// `replicas:` and the `ReplicaCountTransformer` plugin: sets the count at
/// each field spec of objects with a given (current or earlier) name; a
/// name that matches no field spec's kind is an error, as in kustomize.
struct ReplicaTransformer {
    let rule: Kustomization.ReplicaRule
    var specs: [FieldSpec] = Self.defaultSpecs

    static let defaultSpecs = ["Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"].map {
        FieldSpec("spec/replicas", kind: $0, create: true)
    }

    func apply(_ objects: inout [RenderedObject], file: String) throws {
        var found = false
        for i in objects.indices where objects[i].hasHadName(rule.name) {
            let gvk = objects[i].resource.gvk
            for spec in specs where spec.applies(to: gvk) {
                found = true
                objects[i].resource.value.update(at: spec.path[...], create: spec.create) { $0 = .int(rule.count) }
            }
        }
        guard found else {
            throw RenderError(
                .noMatch, "replicas: no object of the configured kinds (Deployment, StatefulSet, ReplicaSet, ReplicationController by default) is named '\(rule.name)' (resource with name \(rule.name) does not match a config). Fix the name.",
                file: file)
        }
    }
}
