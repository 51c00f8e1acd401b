import TetherModel

/// `replicas:`: sets `spec.replicas` of workloads with a given (current or
/// earlier) name; a name that matches no workload is an error, as in
/// kustomize.
struct ReplicaTransformer {
    let rule: Kustomization.ReplicaRule

    static let specs = ["Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"].map {
        FieldSpec("spec/replicas", kind: $0, create: true)
    }

    func apply(_ objects: inout [RenderedObject], file: String) throws {
        var found = false
        for i in objects.indices where objects[i].hasHadName(rule.name) {
            let gvk = objects[i].resource.gvk
            for spec in Self.specs where spec.applies(to: gvk) {
                found = true
                objects[i].resource.value.update(at: spec.path[...], create: true) { $0 = .int(rule.count) }
            }
        }
        guard found else {
            throw RenderError(
                .noMatch, "replicas: no Deployment, StatefulSet, ReplicaSet or ReplicationController is named '\(rule.name)' (resource with name \(rule.name) does not match a config). Fix the name.",
                file: file)
        }
    }
}
