import TetherModel

/// Fixes references to renamed objects (prefix, suffix, content hash) in the
/// fields kustomize's `nameReference` configuration lists: volumes,
/// `envFrom`, `env[].valueFrom`, `imagePullSecrets`, `serviceAccountName`,
/// `roleRef`, `subjects` and the like.
enum NameReference {
    static let podSpecRoots: [String: [String]] = [
        "Pod": ["spec"], "Deployment": ["spec", "template", "spec"], "ReplicaSet": ["spec", "template", "spec"],
        "DaemonSet": ["spec", "template", "spec"], "StatefulSet": ["spec", "template", "spec"],
        "Job": ["spec", "template", "spec"], "ReplicationController": ["spec", "template", "spec"],
        "CronJob": ["spec", "jobTemplate", "spec", "template", "spec"], "PodTemplate": ["template", "spec"],
    ]

    static let containerLists = ["containers", "initContainers", "ephemeralContainers"]

    /// Paths inside a pod spec that name an object of each kind.
    static let podSpecFields: [String: [[String]]] = [
        "ConfigMap": [["volumes", "configMap", "name"], ["volumes", "projected", "sources", "configMap", "name"]]
            + containerLists.flatMap { [[$0, "env", "valueFrom", "configMapKeyRef", "name"], [$0, "envFrom", "configMapRef", "name"]] },
        "Secret": [["volumes", "secret", "secretName"], ["volumes", "projected", "sources", "secret", "name"], ["imagePullSecrets", "name"]]
            + containerLists.flatMap { [[$0, "env", "valueFrom", "secretKeyRef", "name"], [$0, "envFrom", "secretRef", "name"]] },
        "ServiceAccount": [["serviceAccountName"], ["serviceAccount"]],
        "PersistentVolumeClaim": [["volumes", "persistentVolumeClaim", "claimName"]],
        "PriorityClass": [["priorityClassName"]],
    ]

    /// Other referring fields: (referrer kind, path, referenced kind).
    static let otherFields: [(String, [String], String)] = [
        ("ServiceAccount", ["imagePullSecrets", "name"], "Secret"),
        ("ServiceAccount", ["secrets", "name"], "Secret"),
        ("Ingress", ["spec", "tls", "secretName"], "Secret"),
        ("Ingress", ["spec", "rules", "http", "paths", "backend", "service", "name"], "Service"),
        ("Ingress", ["spec", "rules", "http", "paths", "backend", "serviceName"], "Service"),
        ("Ingress", ["spec", "defaultBackend", "service", "name"], "Service"),
        ("Ingress", ["spec", "backend", "serviceName"], "Service"),
        ("StatefulSet", ["spec", "serviceName"], "Service"),
        ("StatefulSet", ["spec", "volumeClaimTemplates", "spec", "storageClassName"], "StorageClass"),
        ("PersistentVolumeClaim", ["spec", "volumeName"], "PersistentVolume"),
        ("PersistentVolumeClaim", ["spec", "storageClassName"], "StorageClass"),
        ("HorizontalPodAutoscaler", ["spec", "scaleTargetRef", "name"], "Deployment"),
    ]

    static func fix(_ objects: inout [RenderedObject]) {
        let renamed = objects.filter { !$0.history.isEmpty }
        guard !renamed.isEmpty else { return }
        // Index objects by kind and every name they have had, so each
        // reference is a lookup rather than a scan (linear in objects).
        var index: [String: [Int]] = [:]
        for (j, object) in objects.enumerated() {
            var names = Set([object.resource.name])
            for old in object.history { names.insert(old.name) }
            for name in names { index[object.resource.kind + "\u{0}" + name, default: []].append(j) }
        }
        let snapshot = objects
        for i in objects.indices {
            let referrer = objects[i]
            let namespace = referrer.resource.namespace
            func resolve(_ kind: String, _ name: String, _ ns: String?) -> RenderedObject? {
                let candidates = (index[kind + "\u{0}" + name] ?? []).map { snapshot[$0] }
                let wanted = ns ?? namespace
                let inNamespace = candidates.filter {
                    ClusterScope.kinds.contains(kind) || $0.resource.namespace == wanted
                        || $0.history.contains { $0.name == name && $0.namespace == wanted }
                }
                return inNamespace.first { $0.resource.name == name } ?? inNamespace.first
            }
            var value = referrer.resource.value
            let kind = referrer.resource.kind
            if let root = podSpecRoots[kind] {
                for (target, paths) in podSpecFields {
                    for path in paths {
                        value.updateStrings(at: root + path) { resolve(target, $0, nil)?.resource.name }
                    }
                }
            }
            for (referrerKind, path, target) in otherFields where referrerKind == kind {
                value.updateStrings(at: path) { resolve(target, $0, nil)?.resource.name }
            }
            if kind == "RoleBinding" || kind == "ClusterRoleBinding" {
                if case .map(var roleRef)? = value["roleRef"], let refKind = roleRef["kind"]?.stringValue,
                    let name = roleRef["name"]?.stringValue, let found = resolve(refKind, name, nil)
                {
                    roleRef["name"] = .string(found.resource.name)
                    value["roleRef"] = .map(roleRef)
                }
                if case .list(var subjects)? = value["subjects"] {
                    for j in subjects.indices where subjects[j]["kind"]?.stringValue == "ServiceAccount" {
                        guard let name = subjects[j]["name"]?.stringValue else { continue }
                        let ns = subjects[j]["namespace"]?.stringValue
                        if let found = resolve("ServiceAccount", name, ns) {
                            subjects[j]["name"] = .string(found.resource.name)
                            if !found.resource.namespace.isEmpty {
                                subjects[j]["namespace"] = .string(found.resource.namespace)
                            }
                        }
                    }
                    value["subjects"] = .list(subjects)
                }
            }
            objects[i].resource.value = value
        }
    }
}
