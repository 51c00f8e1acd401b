import TetherModel

/// `namespace:`: sets `metadata.namespace` on every namespaced object, and
/// the namespace of `default` ServiceAccount subjects in role bindings
/// (kustomize's `setRoleBindingSubjects: defaultOnly`).
struct NamespaceTransformer {
    let namespace: String

    func apply(_ objects: inout [RenderedObject]) {
        for i in objects.indices {
            let gvk = objects[i].resource.gvk
            if !ClusterScope.isClusterScoped(gvk) {
                objects[i].rename(namespace: namespace)
            }
            if gvk.kind == "RoleBinding" || gvk.kind == "ClusterRoleBinding" {
                objects[i].resource.value.update(at: ["subjects"], create: false) { subjects in
                    guard case .list(var list)? = subjects else { return }
                    for j in list.indices where list[j]["kind"]?.stringValue == "ServiceAccount"
                        && list[j]["name"]?.stringValue == "default"
                    {
                        list[j]["namespace"] = .string(namespace)
                    }
                    subjects = .list(list)
                }
            }
        }
    }
}
