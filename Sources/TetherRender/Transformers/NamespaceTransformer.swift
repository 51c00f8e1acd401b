import TetherModel

/// `namespace:` and the `NamespaceTransformer` plugin: kustomize's namespace
/// transformer. Every object records its identity first; namespaced objects
/// get `metadata.namespace` whatever the field specs say (kustomize's
/// `metaNamespaceHack`); the other field specs follow (a `metadata/name`
/// spec only on `v1` objects, which renames a core Namespace); and role
/// binding subjects get the namespace as `setRoleBindingSubjects` says.
struct NamespaceTransformer {
    /// `setRoleBindingSubjects`.
    enum SubjectPolicy: String {
        case none
        case defaultOnly
        case allServiceAccounts
    }

    let namespace: String
    var specs: [FieldSpec] = Self.defaultSpecs
    /// Only fill in empty namespaces.
    var unsetOnly = false
    var subjects = SubjectPolicy.defaultOnly

    /// kustomize's default `namespace` field specs.
    static let defaultSpecs = [
        FieldSpec("metadata/namespace", create: true),
        FieldSpec("metadata/name", kind: "Namespace", create: true),
        FieldSpec("spec/service/namespace", kind: "APIService", group: "apiregistration.k8s.io", create: true),
        FieldSpec("spec/conversion/webhook/clientConfig/service/namespace", kind: "CustomResourceDefinition", group: "apiextensions.k8s.io", create: false),
    ]

    func apply(_ objects: inout [RenderedObject]) throws {
        var seen = Set<ResourceID>()
        for i in objects.indices {
            objects[i].storePreviousID()
            let gvk = objects[i].resource.gvk
            let isV1 = objects[i].resource.apiVersion == "v1"
            if !ClusterScope.isClusterScoped(gvk), !unsetOnly || objects[i].resource.namespace.isEmpty {
                objects[i].setMetadata("namespace", namespace)
            }
            if subjects != .none, gvk.kind == "RoleBinding" || gvk.kind == "ClusterRoleBinding" {
                setSubjects(&objects[i].resource.value)
            }
            for spec in specs where spec.applies(to: gvk) && spec.path != ["metadata", "namespace"] {
                if spec.path == ["metadata", "name"] {
                    guard isV1, !unsetOnly || objects[i].resource.name.isEmpty else { continue }
                    objects[i].setMetadata("name", namespace)
                    continue
                }
                objects[i].resource.value.update(at: spec.path[...], create: spec.create) { field in
                    guard field == nil || field?.scalarText != nil else { return }
                    if unsetOnly, let text = field?.scalarText, !text.isEmpty { return }
                    field = .string(namespace)
                }
            }
            guard seen.insert(objects[i].id).inserted else {
                throw RenderError(
                    .conflict, "setting namespace '\(namespace)' makes two objects \(objects[i].id) (namespace transformation produces ID conflict). Rename one of them.",
                    at: objects[i].resource.origin)
            }
        }
    }

    /// `defaultOnly`: subjects named `default` (of any kind, as kustomize
    /// does); `allServiceAccounts`: every ServiceAccount subject.
    private func setSubjects(_ value: inout Value) {
        guard case .list(var subjects)? = value["subjects"] else { return }
        for j in subjects.indices where subjects[j].mapValue != nil {
            let selected =
                self.subjects == .defaultOnly
                ? subjects[j]["name"]?.scalarText == "default"
                : subjects[j]["kind"]?.scalarText == "ServiceAccount"
            if selected { subjects[j]["namespace"] = .string(namespace) }
        }
        value["subjects"] = .list(subjects)
    }
}
