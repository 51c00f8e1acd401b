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
        self.path = Self.split(path)
        self.kind = kind
        self.group = group
        self.version = version
        self.create = create
    }

    /// kustomize's `PathSplitter`: `/` separates, a backslash before `/` makes it part of the key.
    static func split(_ path: String) -> [String] {
        var out: [String] = []
        for piece in path.split(separator: "/", omittingEmptySubsequences: false) {
            if let last = out.last, last.hasSuffix("\\") {
                out[out.count - 1] = String(last.dropLast()) + "/" + piece
            } else {
                out.append(String(piece))
            }
        }
        return out.filter { !$0.isEmpty }
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
    ///
    /// The container being changed is taken out of `self` first, so that
    /// it is uniquely referenced and changes in place instead of being
    /// copied (copy-on-write) at every level.
    mutating func update(at path: ArraySlice<String>, create: Bool, _ body: (inout Value?) throws -> Void) rethrows {
        guard var key = path.first else { return }
        // A `[]` segment names a list, which is never created.
        let isList = key.hasSuffix("[]")
        if isList { key.removeLast(2) }
        switch self {
        case .list(var items):
            self = .null
            defer { self = .list(items) }
            for i in items.indices { try items[i].update(at: path, create: create, body) }
        case .map(var map):
            guard let position = map.position(of: key) else {
                // Absent: only a leaf body or `create` can add it.
                var field: Value?
                if path.count == 1 {
                    try body(&field)
                } else if create && !isList {
                    var child = Value.map(OrderedMap())
                    try child.update(at: path.dropFirst(), create: create, body)
                    field = child
                }
                guard let field else { return }
                self = .null
                map[key] = field
                self = .map(map)
                return
            }
            if path.count > 1, !create, case .null = map.entries[position].value { return }
            self = .null
            defer { self = .map(map) }
            var remove = false
            try map.modifyValue(forKey: key) { slot in
                // Move the value out of its slot so that it is the only
                // reference and changes in place.
                let wasNull = slot.isNull
                var taken = Value.null
                swap(&taken, &slot)
                if path.count == 1 {
                    var field: Value? = wasNull ? nil : consume taken
                    try body(&field)
                    if let field = consume field { slot = field } else if !wasNull { remove = true }
                } else {
                    if wasNull { taken = .map(OrderedMap()) }
                    try taken.update(at: path.dropFirst(), create: create, body)
                    slot = consume taken
                }
            }
            if remove { map.removeValue(forKey: key) }
        default:
            return
        }
    }

    /// Whether a non-null field exists at `path` (walking lists), without
    /// changing anything: kustomize's `resHasField`.
    func hasField(at path: ArraySlice<String>) -> Bool {
        guard var key = path.first else { return !isNull }
        if key.hasSuffix("[]") { key.removeLast(2) }
        switch self {
        case .list(let items):
            return items.contains { $0.hasField(at: path) }
        case .map(let map):
            guard let child = map[key], !child.isNull else { return false }
            return child.hasField(at: path.dropFirst())
        default:
            return false
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
/// ValidatingAdmissionPolicy and its binding are cluster-scoped in
/// Kubernetes but not in kustomize v5.5's built-in schema (v1.21.2), so
/// `kubectl kustomize` gives them a namespace; so does Tether.
enum ClusterScope {
    static let kinds: Set<String> = [
        "APIService", "CertificateSigningRequest", "ClusterRole", "ClusterRoleBinding", "ComponentStatus",
        "CSIDriver", "CSINode", "CustomResourceDefinition", "FlowSchema", "IngressClass",
        "MutatingWebhookConfiguration", "Namespace", "Node", "PersistentVolume", "PodSecurityPolicy",
        "PriorityClass", "PriorityLevelConfiguration", "RuntimeClass", "StorageClass", "TokenReview",
        "SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview",
        "ValidatingWebhookConfiguration",
        "VolumeAttachment",
    ]

    /// A `Namespace` outside the core group (Azure Service Bus has one) is
    /// an ordinary namespaced kind.
    static func isClusterScoped(_ gvk: GroupVersionKind) -> Bool {
        kinds.contains(gvk.kind) && (gvk.kind != "Namespace" || gvk.group.isEmpty)
    }
}
