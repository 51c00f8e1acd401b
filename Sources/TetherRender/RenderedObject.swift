import TetherModel

/// A resource on its way through the pipeline, with what kustomize tracks
/// beside it: every identity it had before (for patch targets and name
/// references) and whether a generator asked for a content-hash suffix.
struct RenderedObject: Sendable {
    var resource: Resource
    /// Earlier identities, oldest first.
    var history: [ResourceID] = []
    /// Set by generators unless `disableNameSuffixHash` is true.
    var needsHash = false

    init(_ resource: Resource) { self.resource = resource }

    var id: ResourceID { resource.id }

    /// Whether `name` is the current or any earlier name of this object.
    func hasHadName(_ name: String) -> Bool {
        resource.name == name || history.contains { $0.name == name }
    }

    /// The first name the object had.
    var originalName: String { history.first?.name ?? resource.name }

    /// Whether any identity this object has had matches.
    func matchesAnyID(kind: String, group: String?, name: String, namespace: String?) -> Bool {
        let ids = [id] + history
        return ids.contains { candidate in
            candidate.kind == kind && (group == nil || group == candidate.group) && candidate.name == name
                && (namespace == nil || candidate.namespace == namespace)
        }
    }

    /// Renames (or moves) the object, remembering its previous identity.
    mutating func rename(name: String? = nil, namespace: String? = nil) {
        let old = id
        if let name { resource.setMetadata("name", name) }
        if let namespace { resource.setMetadata("namespace", namespace) }
        if id != old { history.append(old) }
    }
}
