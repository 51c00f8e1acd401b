/// The built-in Kubernetes v1.32 resources the emulator serves, one row each.
///
/// Short names and categories are the API server's own, so `kubectl get deploy`
/// and `kubectl get all` resolve the same way they do against a cluster.
enum BuiltinResources {
    static let all: [ResourceType] = [
        // core/v1
        .init(group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false,
              shortNames: ["ns"], subresources: [.status]),
        .init(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true, shortNames: ["cm"]),
        .init(group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true),
        .init(group: "", version: "v1", kind: "Service", plural: "services", namespaced: true,
              shortNames: ["svc"], categories: ["all"], subresources: [.status]),
        .init(group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true,
              shortNames: ["sa"]),
        .init(group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true,
              shortNames: ["po"], categories: ["all"], subresources: [.status]),
        .init(group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims",
              namespaced: true, shortNames: ["pvc"], subresources: [.status]),
        .init(group: "", version: "v1", kind: "Event", plural: "events", namespaced: true, shortNames: ["ev"]),
        .init(group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false,
              shortNames: ["no"], subresources: [.status]),
        // apps/v1
        .init(group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true,
              shortNames: ["deploy"], categories: ["all"], subresources: [.status, .scale]),
        .init(group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", namespaced: true,
              shortNames: ["sts"], categories: ["all"], subresources: [.status, .scale]),
        .init(group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets", namespaced: true,
              shortNames: ["ds"], categories: ["all"], subresources: [.status]),
        .init(group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", namespaced: true,
              shortNames: ["rs"], categories: ["all"], subresources: [.status, .scale]),
        // batch/v1
        .init(group: "batch", version: "v1", kind: "Job", plural: "jobs", namespaced: true,
              categories: ["all"], subresources: [.status]),
        .init(group: "batch", version: "v1", kind: "CronJob", plural: "cronjobs", namespaced: true,
              shortNames: ["cj"], categories: ["all"], subresources: [.status]),
        // networking.k8s.io/v1
        .init(group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", namespaced: true,
              shortNames: ["ing"], subresources: [.status]),
        .init(group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy", plural: "networkpolicies",
              namespaced: true, shortNames: ["netpol"]),
        // rbac.authorization.k8s.io/v1
        .init(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", namespaced: true),
        .init(group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings",
              namespaced: true),
        .init(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles",
              namespaced: false),
        .init(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding",
              plural: "clusterrolebindings", namespaced: false),
        // autoscaling/v2
        .init(group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler",
              plural: "horizontalpodautoscalers", namespaced: true, shortNames: ["hpa"], categories: ["all"],
              subresources: [.status]),
        // policy/v1
        .init(group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets",
              namespaced: true, shortNames: ["pdb"], subresources: [.status]),
        // storage.k8s.io/v1
        .init(group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses",
              namespaced: false, shortNames: ["sc"]),
        // scheduling.k8s.io/v1
        .init(group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass", plural: "priorityclasses",
              namespaced: false, shortNames: ["pc"]),
        .init(group: "", version: "v1", kind: "Endpoints", plural: "endpoints", namespaced: true, shortNames: ["ep"]),
        .init(group: "", version: "v1", kind: "LimitRange", plural: "limitranges", namespaced: true, shortNames: ["limits"]),
        .init(group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", namespaced: true,
              shortNames: ["quota"], subresources: [.status]),
        .init(group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false,
              shortNames: ["pv"], subresources: [.status]),
        .init(group: "", version: "v1", kind: "PodTemplate", plural: "podtemplates", namespaced: true),
        .init(group: "", version: "v1", kind: "ReplicationController", plural: "replicationcontrollers",
              namespaced: true, shortNames: ["rc"], categories: ["all"], subresources: [.status, .scale]),
        .init(group: "apps", version: "v1", kind: "ControllerRevision", plural: "controllerrevisions", namespaced: true),
        .init(group: "networking.k8s.io", version: "v1", kind: "IngressClass", plural: "ingressclasses", namespaced: false),
        .init(group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", plural: "endpointslices", namespaced: true),
        .init(group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", namespaced: true, shortNames: ["ev"]),
        .init(group: "storage.k8s.io", version: "v1", kind: "CSIDriver", plural: "csidrivers", namespaced: false),
        .init(group: "storage.k8s.io", version: "v1", kind: "CSINode", plural: "csinodes", namespaced: false),
        .init(group: "storage.k8s.io", version: "v1", kind: "CSIStorageCapacity", plural: "csistoragecapacities",
              namespaced: true),
        .init(group: "storage.k8s.io", version: "v1", kind: "VolumeAttachment", plural: "volumeattachments",
              namespaced: false, subresources: [.status]),
        .init(group: "node.k8s.io", version: "v1", kind: "RuntimeClass", plural: "runtimeclasses", namespaced: false),
        .init(group: "certificates.k8s.io", version: "v1", kind: "CertificateSigningRequest",
              plural: "certificatesigningrequests", namespaced: false, shortNames: ["csr"], subresources: [.status]),
        .init(group: "admissionregistration.k8s.io", version: "v1", kind: "MutatingWebhookConfiguration",
              plural: "mutatingwebhookconfigurations", namespaced: false, categories: ["api-extensions"]),
        .init(group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingWebhookConfiguration",
              plural: "validatingwebhookconfigurations", namespaced: false, categories: ["api-extensions"]),
        .init(group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingAdmissionPolicy",
              plural: "validatingadmissionpolicies", namespaced: false, categories: ["api-extensions"],
              subresources: [.status]),
        .init(group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingAdmissionPolicyBinding",
              plural: "validatingadmissionpolicybindings", namespaced: false, categories: ["api-extensions"]),
        .init(group: "apiregistration.k8s.io", version: "v1", kind: "APIService", plural: "apiservices",
              namespaced: false, categories: ["api-extensions"], subresources: [.status]),
        .init(group: "flowcontrol.apiserver.k8s.io", version: "v1", kind: "FlowSchema", plural: "flowschemas",
              namespaced: false, subresources: [.status]),
        .init(group: "flowcontrol.apiserver.k8s.io", version: "v1", kind: "PriorityLevelConfiguration",
              plural: "prioritylevelconfigurations", namespaced: false, subresources: [.status]),
        // Review kinds: create-only, answered from the request's user (EmulatorResponder+Review).
        review("authentication.k8s.io", "TokenReview", "tokenreviews"),
        review("authentication.k8s.io", "SelfSubjectReview", "selfsubjectreviews"),
        review("authorization.k8s.io", "SelfSubjectAccessReview", "selfsubjectaccessreviews"),
        review("authorization.k8s.io", "SelfSubjectRulesReview", "selfsubjectrulesreviews"),
        review("authorization.k8s.io", "SubjectAccessReview", "subjectaccessreviews"),
        review("authorization.k8s.io", "LocalSubjectAccessReview", "localsubjectaccessreviews", namespaced: true),
        // apiextensions.k8s.io/v1
        .init(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition",
              plural: "customresourcedefinitions", namespaced: false, shortNames: ["crd", "crds"],
              subresources: [.status]),
        // coordination.k8s.io/v1
        .init(group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true),
    ]

    private static func review(_ group: String, _ kind: String, _ plural: String, namespaced: Bool = false) -> ResourceType {
        var type = ResourceType(group: group, version: "v1", kind: kind, plural: plural, namespaced: namespaced)
        type.createOnly = true
        return type
    }
}
