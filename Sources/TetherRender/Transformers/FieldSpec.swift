import TetherModel

/// A place in objects of some kinds where a transformer writes, in
/// kustomize's field-spec form: `spec/template/metadata/labels` for kind
/// `Deployment`. A list on the path is walked element by element.
struct FieldSpec: Sendable {
    var group: String?
    var version: String?
    var kind: String?
    var path: [String]
    /// Whether missing maps on the path are created.
    var create: Bool

    init(_ path: String, kind: String? = nil, group: String? = nil, version: String? = nil, create: Bool) {
        self.path = path.split(separator: "/").map(String.init)
        self.kind = kind
        self.group = group
        self.version = version
        self.create = create
    }

    func applies(to gvk: GroupVersionKind) -> Bool {
        if let kind, kind != gvk.kind { return false }
        if let group, group != gvk.group { return false }
        if let version, version != gvk.version { return false }
        return true
    }
}

extension Value {
    /// Calls `body` with the field at `path` (`nil` when absent), walking
    /// lists element by element; with `create`, missing maps on the way are
    /// added. A `[]` suffix on a segment marks a list, as in kustomize.
    mutating func update(at path: ArraySlice<String>, create: Bool, _ body: (inout Value?) throws -> Void) rethrows {
        guard var key = path.first else { return }
        if key.hasSuffix("[]") { key.removeLast(2) }
        switch self {
        case .list(var items):
            for i in items.indices { try items[i].update(at: path, create: create, body) }
            self = .list(items)
        case .map(var map):
            if path.count == 1 {
                let original = map[key]
                var field = original?.isNull == true ? nil : original
                try body(&field)
                if let field {
                    map[key] = field
                } else if let original, !original.isNull {
                    map.removeValue(forKey: key)
                }
                self = .map(map)
                return
            }
            var child = map[key]
            if child == nil || child?.isNull == true {
                guard create else { return }
                child = .map(OrderedMap())
            }
            try child!.update(at: path.dropFirst(), create: create, body)
            map[key] = child
            self = .map(map)
        default:
            return
        }
    }

    /// Visits every string at `path` (walking lists) and lets `body` replace it.
    mutating func updateStrings(at path: [String], _ body: (String) -> String?) {
        update(at: path[...], create: false) { field in
            if case .string(let s)? = field, let replacement = body(s) { field = .string(replacement) }
        }
    }
}

/// Kinds kustomize treats as cluster-scoped: they get no namespace.
enum ClusterScope {
    static let kinds: Set<String> = [
        "APIService", "CertificateSigningRequest", "ClusterRole", "ClusterRoleBinding", "ComponentStatus",
        "CSIDriver", "CSINode", "CustomResourceDefinition", "FlowSchema", "IngressClass",
        "MutatingWebhookConfiguration", "Namespace", "Node", "PersistentVolume", "PodSecurityPolicy",
        "PriorityClass", "PriorityLevelConfiguration", "RuntimeClass", "StorageClass", "TokenReview",
        "SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration",
        "VolumeAttachment",
    ]

    static func isClusterScoped(_ gvk: GroupVersionKind) -> Bool { kinds.contains(gvk.kind) }
}
