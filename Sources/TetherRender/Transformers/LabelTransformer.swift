import TetherModel

/// `commonLabels`, `labels` and `commonAnnotations`: writes key/value pairs
/// into the string maps the field specs name (kustomize's
/// `commonlabels.go`, `templatelabels.go` and `commonannotations.go`).
struct LabelTransformer {
    let pairs: [(String, String)]
    let specs: [FieldSpec]

    func apply(_ objects: inout [RenderedObject]) {
        for i in objects.indices {
            let gvk = objects[i].resource.gvk
            for spec in specs where spec.applies(to: gvk) {
                // A field that is not created need not be visited (and so
                // copied) when it is absent.
                if !spec.create && !objects[i].resource.value.hasField(at: spec.path[...]) { continue }
                objects[i].resource.value.update(at: spec.path[...], create: spec.create) { field in
                    var map: OrderedMap
                    switch field {
                    case nil:
                        guard spec.create else { return }
                        map = OrderedMap()
                    case .map(let existing)?:
                        map = existing
                        field = nil  // so `map` is the only reference and changes in place
                    default:
                        return
                    }
                    for (key, value) in pairs { map[key] = .string(value) }
                    field = .map(map)
                }
            }
        }
    }

    static let workloadTemplateKinds: [(kind: String, group: String?, version: String?)] = [
        ("ReplicationController", nil, "v1"), ("Deployment", nil, nil), ("ReplicaSet", nil, nil),
        ("DaemonSet", nil, nil), ("StatefulSet", "apps", nil), ("Job", "batch", nil),
    ]

    static let templateLabelSpecs: [FieldSpec] =
        workloadTemplateKinds.map { FieldSpec("spec/template/metadata/labels", kind: $0.kind, group: $0.group, version: $0.version, create: true) }
        + [
            FieldSpec("spec/jobTemplate/metadata/labels", kind: "CronJob", group: "batch", create: true),
            FieldSpec("spec/jobTemplate/spec/template/metadata/labels", kind: "CronJob", group: "batch", create: true),
            // kustomize's templateLabels are its metadataLabels specs, claim
            // templates included.
            FieldSpec("spec/volumeClaimTemplates[]/metadata/labels", kind: "StatefulSet", group: "apps", create: true),
        ]

    private static func affinity(_ prefix: String, kind: String, group: String?) -> [FieldSpec] {
        let terms = [
            "podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
            "podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
            "podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
            "podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
        ]
        return terms.map { FieldSpec(prefix + "/affinity/" + $0, kind: kind, group: group, create: false) }
    }

    static let commonLabelSpecs: [FieldSpec] = [
        FieldSpec("metadata/labels", create: true),
        FieldSpec("spec/selector", kind: "Service", version: "v1", create: true),
        FieldSpec("spec/selector", kind: "ReplicationController", version: "v1", create: true),
        FieldSpec("spec/template/metadata/labels", kind: "ReplicationController", version: "v1", create: true),
        FieldSpec("spec/selector/matchLabels", kind: "Deployment", create: true),
        FieldSpec("spec/template/metadata/labels", kind: "Deployment", create: true),
    ] + affinity("spec/template/spec", kind: "Deployment", group: "apps") + [
        FieldSpec("spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", kind: "Deployment", group: "apps", create: false),
        FieldSpec("spec/selector/matchLabels", kind: "ReplicaSet", create: true),
        FieldSpec("spec/template/metadata/labels", kind: "ReplicaSet", create: true),
        FieldSpec("spec/selector/matchLabels", kind: "DaemonSet", create: true),
        FieldSpec("spec/template/metadata/labels", kind: "DaemonSet", create: true),
        FieldSpec("spec/selector/matchLabels", kind: "StatefulSet", group: "apps", create: true),
        FieldSpec("spec/template/metadata/labels", kind: "StatefulSet", group: "apps", create: true),
    ] + affinity("spec/template/spec", kind: "StatefulSet", group: "apps") + [
        FieldSpec("spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels", kind: "StatefulSet", group: "apps", create: false),
        FieldSpec("spec/volumeClaimTemplates[]/metadata/labels", kind: "StatefulSet", group: "apps", create: true),
        FieldSpec("spec/selector/matchLabels", kind: "Job", group: "batch", create: false),
        FieldSpec("spec/template/metadata/labels", kind: "Job", group: "batch", create: true),
        FieldSpec("spec/jobTemplate/spec/selector/matchLabels", kind: "CronJob", group: "batch", create: false),
        FieldSpec("spec/jobTemplate/metadata/labels", kind: "CronJob", group: "batch", create: true),
        FieldSpec("spec/jobTemplate/spec/template/metadata/labels", kind: "CronJob", group: "batch", create: true),
        FieldSpec("spec/selector/matchLabels", kind: "PodDisruptionBudget", group: "policy", create: false),
        FieldSpec("spec/podSelector/matchLabels", kind: "NetworkPolicy", group: "networking.k8s.io", create: false),
        FieldSpec("spec/ingress/from/podSelector/matchLabels", kind: "NetworkPolicy", group: "networking.k8s.io", create: false),
        FieldSpec("spec/egress/to/podSelector/matchLabels", kind: "NetworkPolicy", group: "networking.k8s.io", create: false),
    ]

    static let annotationSpecs: [FieldSpec] =
        [FieldSpec("metadata/annotations", create: true)]
        + workloadTemplateKinds.map { FieldSpec("spec/template/metadata/annotations", kind: $0.kind, group: $0.group, version: $0.version, create: true) }
        + [
            FieldSpec("spec/jobTemplate/metadata/annotations", kind: "CronJob", group: "batch", create: true),
            FieldSpec("spec/jobTemplate/spec/template/metadata/annotations", kind: "CronJob", group: "batch", create: true),
        ]
}
