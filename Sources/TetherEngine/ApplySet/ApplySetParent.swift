package import TetherModel

/// The ApplySet parent (KEP-3659): a ConfigMap whose labels and annotations are the
/// inventory of the group-kinds and namespaces Tether applied objects into.
///
/// The inventory is widened before new objects are applied and narrowed only after
/// pruning finished, so a crash at any point leaves every applied object findable.
package struct ApplySetParent: Sendable, Hashable {
    /// The parent object, by default `ConfigMap/tether-system/tether-NAME`.
    package var id: ResourceID
    /// The value of `applyset.kubernetes.io/id`, derived from `id`.
    package var applySetID: String
    /// `Kind.group` (or `Kind` for the core group) of every member kind.
    package var groupKinds: Set<String>
    /// Namespaces holding members other than the parent's own.
    package var additionalNamespaces: Set<String>
    /// Whether the parent exists in the cluster.
    package var exists: Bool
    /// The live parent's annotations beyond the ApplySet ones (status written by the daemon).
    package var annotations: [String: String]

    /// The annotations the daemon and `sync` write with the last result.
    package static let lastRevisionAnnotation = "tether.dev/last-applied-revision"
    package static let lastSyncTimeAnnotation = "tether.dev/last-sync-time"
    package static let lastResultAnnotation = "tether.dev/last-sync-result"

    package init(name: String, namespace: String) {
        id = ResourceID(group: "", kind: "ConfigMap", namespace: namespace, name: name)
        applySetID = ApplySetID.id(forParent: id)
        groupKinds = []
        additionalNamespaces = []
        exists = false
        annotations = [:]
    }

    /// The `Kind.group` spelling ApplySet annotations use.
    package static func groupKindText(_ groupKind: GroupKind) -> String {
        groupKind.description
    }

    /// Parses `Kind.group` back.
    package static func groupKind(fromText text: Substring) -> GroupKind {
        guard let dot = text.firstIndex(of: ".") else { return GroupKind(group: "", kind: String(text)) }
        return GroupKind(group: String(text[text.index(after: dot)...]), kind: String(text[..<dot]))
    }

    /// Member group-kinds, parsed.
    package var memberGroupKinds: [GroupKind] {
        groupKinds.sorted().map { Self.groupKind(fromText: Substring($0)) }
    }

    /// Namespaces that may hold members: the parent's own plus the additional ones.
    package var memberNamespaces: Set<String> { additionalNamespaces.union([id.namespace]) }

    /// Reads a live parent, refusing one that belongs to another set or another tool
    /// (the ApplySet confused-deputy guard).
    package mutating func adopt(live: Resource) throws(EngineError) {
        let label = live.label(ApplySetID.idLabel)
        guard label == applySetID else {
            throw EngineError(.inventoryMismatch,
                              "the ApplySet parent \(id) has label \(ApplySetID.idLabel)=\(label ?? "<none>") but its name, namespace, kind and group hash to \(applySetID)",
                              resource: id,
                              hint: "Someone else's object has this name. Choose another --name, or delete the object if it is stale.")
        }
        let tooling = live.annotation(ApplySetID.toolingAnnotation) ?? ""
        guard tooling.hasPrefix("tether/") else {
            throw EngineError(.inventoryMismatch,
                              "the ApplySet parent \(id) is managed by '\(tooling.isEmpty ? "<no tooling annotation>" : tooling)', not tether",
                              resource: id,
                              hint: "Tether does not adopt another tool's ApplySet. Choose another --name.")
        }
        groupKinds = Self.splitList(live.annotation(ApplySetID.containsGroupKindsAnnotation))
        additionalNamespaces = Self.splitList(live.annotation(ApplySetID.additionalNamespacesAnnotation))
        annotations = [:]
        for (key, value) in live.annotations where key.hasPrefix("tether.dev/") { annotations[key] = value }
        exists = true
    }

    static func splitList(_ text: String?) -> Set<String> {
        Set((text ?? "").split(separator: ",").map { String($0).filter { $0 != " " } }.filter { !$0.isEmpty })
    }

    /// The parent object to server-side apply, with the inventory as it is now.
    package func object(toolVersion: String) -> Resource {
        var metadataAnnotations = OrderedMap()
        metadataAnnotations.append(key: ApplySetID.toolingAnnotation, value: .string("tether/" + toolVersion))
        metadataAnnotations.append(key: ApplySetID.containsGroupKindsAnnotation, value: .string(groupKinds.sorted().joined(separator: ",")))
        metadataAnnotations.append(key: ApplySetID.additionalNamespacesAnnotation,
                                   value: .string(additionalNamespaces.subtracting([id.namespace]).sorted().joined(separator: ",")))
        for (key, value) in annotations.sorted(by: { $0.key < $1.key }) {
            metadataAnnotations.append(key: key, value: .string(value))
        }
        let value: Value = [
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": [
                "name": .string(id.name),
                "namespace": .string(id.namespace),
                "labels": [ApplySetID.idLabel: .string(applySetID)],
                "annotations": .map(metadataAnnotations),
            ],
        ]
        return Resource(unchecked: value)
    }
}
