import TetherModel

/// `replicas:`: sets `spec.replicas` of workloads with a given (current or
/// earlier) name.
struct ReplicaTransformer {
    let rule: Kustomization.ReplicaRule

    static let specs = ["Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"].map {
        FieldSpec("spec/replicas", kind: $0, create: true)
    }

    func apply(_ objects: inout [RenderedObject]) {
        for i in objects.indices where objects[i].hasHadName(rule.name) {
            let gvk = objects[i].resource.gvk
            for spec in Self.specs where spec.applies(to: gvk) {
                objects[i].resource.value.update(at: spec.path[...], create: true) { $0 = .int(rule.count) }
            }
        }
    }
}
