import TetherModel

/// The `IAMPolicyGenerator` builtin (GKE workload identity): a
/// ServiceAccount annotated with the Google service account it acts as.
struct IAMPolicyGenerator {
    var name: String
    var namespace: String
    var googleAccount: String

    static func parse(_ root: Value, parser p: KustomizationParser) throws -> IAMPolicyGenerator {
        guard try p.string(root["cloud"], "cloud") == "gke" else {
            throw p.fail("cloud", "must be 'gke', the only cloud kustomize's IAMPolicyGenerator supports.")
        }
        guard let name = try p.string(root[path: ["kubernetesService", "name"]], "kubernetesService.name") else {
            throw p.fail("kubernetesService.name", "is required.")
        }
        let account = try p.string(root[path: ["serviceAccount", "name"]], "serviceAccount.name") ?? ""
        let project = try p.string(root[path: ["serviceAccount", "projectId"]], "serviceAccount.projectId") ?? ""
        return IAMPolicyGenerator(
            name: name, namespace: try p.string(root[path: ["kubernetesService", "namespace"]], "kubernetesService.namespace") ?? "",
            googleAccount: "\(account)@\(project).iam.gserviceaccount.com")
    }

    func generate(file: String) -> RenderedObject {
        var metadata = OrderedMap()
        metadata["annotations"] = ["iam.gke.io/gcp-service-account": .string(googleAccount)]
        metadata["name"] = .string(name)
        if !namespace.isEmpty { metadata["namespace"] = .string(namespace) }
        let value: Value = ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": .map(metadata)]
        return RenderedObject(Resource(unchecked: value, origin: SourceLocation(file: file)))
    }
}
