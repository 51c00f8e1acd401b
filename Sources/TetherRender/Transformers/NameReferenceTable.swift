import TetherModel

/// The kinds of object kustomize v5.5 follows renames of, and every field
/// that refers to each (kustomize's built-in `nameReference` configuration,
/// restated here as data).
struct NameBackReference: Sendable {
    /// The renamed object's kind, and group or version when the table names one.
    var target: FieldSpec
    /// Where other objects name it.
    var referrers: [FieldSpec]
}

extension NameBackReference {
    /// Pod-spec locations: bare kinds with a pod `spec`, templated workloads
    /// and CronJobs.
    private static func podSpecs(_ paths: [String], kinds: [String], pod: Bool = true, podVersion: String? = "v1") -> [FieldSpec] {
        var out: [FieldSpec] = []
        if pod { out += paths.map { FieldSpec("spec/" + $0, kind: "Pod", version: podVersion, create: false) } }
        for kind in kinds {
            let root = kind == "CronJob" ? "spec/jobTemplate/spec/template/spec/" : "spec/template/spec/"
            out += paths.map { FieldSpec(root + $0, kind: kind, create: false) }
        }
        return out
    }

    private static func spec(_ path: String, _ kind: String, group: String? = nil, version: String? = nil) -> FieldSpec {
        FieldSpec(path, kind: kind, group: group, version: version, create: false)
    }

    private static let templated = ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"]

    private static let configMapPodPaths = [
        "volumes/configMap/name", "containers/env/valueFrom/configMapKeyRef/name",
        "initContainers/env/valueFrom/configMapKeyRef/name", "containers/envFrom/configMapRef/name",
        "initContainers/envFrom/configMapRef/name", "volumes/projected/sources/configMap/name",
    ]

    private static let secretPodPaths = [
        "volumes/secret/secretName", "containers/env/valueFrom/secretKeyRef/name",
        "initContainers/env/valueFrom/secretKeyRef/name", "containers/envFrom/secretRef/name",
        "initContainers/envFrom/secretRef/name", "imagePullSecrets/name", "volumes/projected/sources/secret/name",
    ]

    /// Workloads whose pod spec names service accounts, claims and priority classes.
    private static let accountKinds = ["StatefulSet", "Deployment", "ReplicationController", "CronJob", "Job", "DaemonSet"]

    static let table: [NameBackReference] = {
        let knative = (group: "serving.knative.dev", version: "v1")
        let hpa = spec("spec/scaleTargetRef/name", "HorizontalPodAutoscaler")
        var cronConfigMap = configMapPodPaths
        // kustomize lists the CronJob paths in another order; the order only
        // matters when two entries write the same field.
        cronConfigMap = [cronConfigMap[0], cronConfigMap[5], cronConfigMap[1], cronConfigMap[2], cronConfigMap[3], cronConfigMap[4]]
        var cronSecret = secretPodPaths
        cronSecret = [cronSecret[0], cronSecret[6], cronSecret[1], cronSecret[2], cronSecret[3], cronSecret[4], cronSecret[5]]
        return [
            .init(
                target: .init("", kind: "ValidatingAdmissionPolicy", group: "admissionregistration.k8s.io", create: false),
                referrers: [spec("spec/policyName", "ValidatingAdmissionPolicyBinding", group: "admissionregistration.k8s.io")]),
            .init(target: .init("", kind: "Deployment", create: false), referrers: [hpa]),
            .init(target: .init("", kind: "ReplicationController", create: false), referrers: [hpa]),
            .init(target: .init("", kind: "ReplicaSet", create: false), referrers: [hpa]),
            .init(target: .init("", kind: "StatefulSet", create: false), referrers: [hpa]),
            .init(
                target: .init("", kind: "ConfigMap", version: "v1", create: false),
                referrers: podSpecs(configMapPodPaths, kinds: templated) + podSpecs(cronConfigMap, kinds: ["CronJob"], pod: false) + [
                    spec("spec/configSource/configMap", "Node"),
                    spec("rules/resourceNames", "Role"),
                    spec("rules/resourceNames", "ClusterRole"),
                    spec("metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap", "Ingress"),
                ]),
            .init(
                target: .init("", kind: "Secret", version: "v1", create: false),
                referrers: podSpecs(secretPodPaths, kinds: templated) + podSpecs(cronSecret, kinds: ["CronJob"], pod: false) + [
                    spec("spec/tls/secretName", "Ingress"),
                    spec("metadata/annotations/ingress.kubernetes.io\\/auth-secret", "Ingress"),
                    spec("metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret", "Ingress"),
                    spec("metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret", "Ingress"),
                    spec("imagePullSecrets/name", "ServiceAccount"),
                    spec("parameters/secretName", "StorageClass"),
                    spec("parameters/adminSecretName", "StorageClass"),
                    spec("parameters/userSecretName", "StorageClass"),
                    spec("parameters/secretRef", "StorageClass"),
                    spec("rules/resourceNames", "Role"),
                    spec("rules/resourceNames", "ClusterRole"),
                    spec("spec/template/spec/containers/env/valueFrom/secretKeyRef/name", "Service", group: knative.group, version: knative.version),
                    spec("spec/azureFile/secretName", "PersistentVolume"),
                ]),
            .init(
                target: .init("", kind: "Service", version: "v1", create: false),
                referrers: [
                    spec("spec/serviceName", "StatefulSet", group: "apps"),
                    spec("spec/rules/http/paths/backend/serviceName", "Ingress"),
                    spec("spec/backend/serviceName", "Ingress"),
                    spec("spec/rules/http/paths/backend/service/name", "Ingress"),
                    spec("spec/defaultBackend/service/name", "Ingress"),
                    spec("spec/service/name", "APIService", group: "apiregistration.k8s.io"),
                    spec("webhooks/clientConfig/service", "ValidatingWebhookConfiguration", group: "admissionregistration.k8s.io"),
                    spec("webhooks/clientConfig/service", "MutatingWebhookConfiguration", group: "admissionregistration.k8s.io"),
                ]),
            .init(
                target: .init("", kind: "Role", group: "rbac.authorization.k8s.io", create: false),
                referrers: [spec("roleRef/name", "RoleBinding", group: "rbac.authorization.k8s.io")]),
            .init(
                target: .init("", kind: "ClusterRole", group: "rbac.authorization.k8s.io", create: false),
                referrers: [
                    spec("roleRef/name", "RoleBinding", group: "rbac.authorization.k8s.io"),
                    spec("roleRef/name", "ClusterRoleBinding", group: "rbac.authorization.k8s.io"),
                ]),
            .init(
                target: .init("", kind: "ServiceAccount", version: "v1", create: false),
                referrers: [
                    spec("subjects", "RoleBinding", group: "rbac.authorization.k8s.io"),
                    spec("subjects", "ClusterRoleBinding", group: "rbac.authorization.k8s.io"),
                ] + podSpecs(["serviceAccountName"], kinds: accountKinds, podVersion: nil)),
            .init(
                target: .init("", kind: "PersistentVolumeClaim", version: "v1", create: false),
                referrers: podSpecs(["volumes/persistentVolumeClaim/claimName"], kinds: accountKinds, podVersion: nil)),
            .init(
                target: .init("", kind: "PersistentVolume", version: "v1", create: false),
                referrers: [spec("spec/volumeName", "PersistentVolumeClaim"), spec("rules/resourceNames", "ClusterRole")]),
            .init(
                target: .init("", kind: "StorageClass", group: "storage.k8s.io", version: "v1", create: false),
                referrers: [
                    spec("spec/storageClassName", "PersistentVolume"),
                    spec("spec/storageClassName", "PersistentVolumeClaim"),
                    spec("spec/volumeClaimTemplates/spec/storageClassName", "StatefulSet"),
                ]),
            .init(
                target: .init("", kind: "PriorityClass", group: "scheduling.k8s.io", version: "v1", create: false),
                referrers: podSpecs(["priorityClassName"], kinds: accountKinds, podVersion: nil)),
            // kustomize gives IngressClass the group "networking.k8s.io/v1",
            // which no object has, so ingressClassName is never updated.
            .init(
                target: .init("", kind: "IngressClass", group: "networking.k8s.io/v1", version: "v1", create: false),
                referrers: [spec("spec/ingressClassName", "Ingress")]),
        ]
    }()
}
