import TetherModel

/// `namespace:`: kustomize's namespace transformer. Every object records
/// its identity first; namespaced objects get `metadata.namespace`; a `v1`
/// Namespace object is renamed to the namespace; role binding subjects named
/// `default` get the namespace (`setRoleBindingSubjects: defaultOnly`); and
/// the service namespaces of APIServices and CRD conversion webhooks follow.
struct NamespaceTransformer {
    let namespace: String

    /// Field specs beyond `metadata`, from kustomize's namespace configuration.
    static let serviceSpecs = [
        FieldSpec("spec/service/namespace", kind: "APIService", group: "apiregistration.k8s.io", create: true),
        FieldSpec("spec/conversion/webhook/clientConfig/service/namespace", kind: "CustomResourceDefinition", group: "apiextensions.k8s.io", create: false),
    ]

    func apply(_ objects: inout [RenderedObject]) throws {
        var seen = Set<ResourceID>()
        for i in objects.indices {
            objects[i].storePreviousID()
            let gvk = objects[i].resource.gvk
            if !ClusterScope.isClusterScoped(gvk) {
                objects[i].setMetadata("namespace", namespace)
            }
            if gvk.kind == "Namespace" && objects[i].resource.apiVersion == "v1" {
                objects[i].setMetadata("name", namespace)
            }
            if gvk.kind == "RoleBinding" || gvk.kind == "ClusterRoleBinding" {
                setDefaultSubjects(&objects[i].resource.value)
            }
            for spec in Self.serviceSpecs where spec.applies(to: gvk) {
                objects[i].resource.value.update(at: spec.path[...], create: spec.create) { field in
                    if field == nil || field?.scalarText != nil { field = .string(namespace) }
                }
            }
            guard seen.insert(objects[i].id).inserted else {
                throw RenderError(
                    .conflict, "setting namespace '\(namespace)' makes two objects \(objects[i].id) (namespace transformation produces ID conflict). Rename one of them.",
                    at: objects[i].resource.origin)
            }
        }
    }

    /// Subjects named `default` (of any kind, as kustomize does) get the namespace.
    private func setDefaultSubjects(_ value: inout Value) {
        guard case .list(var subjects)? = value["subjects"] else { return }
        for j in subjects.indices where subjects[j].mapValue != nil && subjects[j]["name"]?.scalarText == "default" {
            subjects[j]["namespace"] = .string(namespace)
        }
        value["subjects"] = .list(subjects)
    }
}
