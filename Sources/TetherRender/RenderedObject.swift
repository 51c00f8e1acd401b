import TetherModel

/// A resource on its way through the pipeline, with what kustomize tracks
/// beside it in its build annotations: every identity it had before (for
/// patch targets and name references), the name prefixes and suffixes added
/// to it, and whether a generator asked for a content-hash suffix.
struct RenderedObject: Sendable {
    var resource: Resource
    /// Earlier identities, oldest first, as kustomize's `StorePreviousId`
    /// records them: kind, name and effective namespace (`default` for
    /// none). The current identity is not included; the group is always
    /// the current one.
    var previousIDs: [ResourceID] = []
    /// Name prefixes and suffixes added so far, innermost first.
    var prefixes: [String] = []
    var suffixes: [String] = []
    /// Set by generators unless `disableNameSuffixHash` is true.
    var needsHash = false
    /// Names of `vars` whose `objref` selected this object.
    var varNames: [String] = []
    /// The generator that made the object (nil for objects read from files).
    var generatedBy: PluginReference?
    /// The transformers that ran over the object, in order; recorded only
    /// for `buildMetadata: [transformerAnnotations]`.
    var transformations: [PluginReference] = []

    init(_ resource: Resource) { self.resource = resource }

    var id: ResourceID { resource.id }

    /// The current and every earlier identity.
    var allIDs: [ResourceID] { [id] + previousIDs }

    /// kustomize's `OrgId`: the first identity the object had.
    var originalID: ResourceID { previousIDs.first ?? id }

    /// Whether `name` is the current or any earlier name of this object.
    func hasHadName(_ name: String) -> Bool {
        resource.name == name || previousIDs.contains { $0.name == name }
    }

    /// Whether any identity this object has had matches; namespaces compare
    /// as kustomize's `IsNsEquals` does (none equals `default`).
    func matchesAnyID(kind: String, group: String?, name: String, namespace: String?) -> Bool {
        func matches(_ candidate: ResourceID) -> Bool {
            candidate.kind == kind && (group == nil || group == candidate.group) && candidate.name == name
                && (namespace == nil || Namespaces.equal(candidate.namespace, namespace!))
        }
        // Cheap checks first: most objects have neither the name nor a history.
        if previousIDs.isEmpty && resource.name != name { return false }
        return matches(id) || previousIDs.contains(where: matches)
    }

    /// kustomize's `StorePreviousId`: records the current identity.
    mutating func storePreviousID() {
        let current = id
        previousIDs.append(
            ResourceID(group: current.group, kind: current.kind, namespace: Namespaces.effective(current.namespace), name: current.name))
    }

    /// Renames (or moves) the object, recording its previous identity first.
    mutating func rename(name: String? = nil, namespace: String? = nil) {
        storePreviousID()
        if let name { setMetadata("name", name) }
        if let namespace { setMetadata("namespace", namespace) }
    }

    /// Sets a string under `metadata` in place (``Resource/setMetadata(_:_:)``
    /// copies the metadata map).
    mutating func setMetadata(_ field: String, _ text: String) {
        resource.value.update(at: ["metadata", field], create: true) { $0 = .string(text) }
    }
}

/// kustomize's namespace comparisons, where no namespace means `default`.
enum Namespaces {
    static func effective(_ namespace: String) -> String { namespace.isEmpty ? "default" : namespace }

    static func equal(_ a: String, _ b: String) -> Bool { effective(a) == effective(b) }
}
