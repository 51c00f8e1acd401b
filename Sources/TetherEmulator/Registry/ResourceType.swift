package import TetherModel
package import TetherPatch

/// One served resource: everything discovery reports about it and what the
/// store needs to know to keep its objects.
package struct ResourceType: Sendable, Hashable {
    /// The subresources the emulator can list in discovery.
    package enum Subresource: String, Sendable, Hashable, CaseIterable {
        case status, scale
    }

    package var group: String
    package var version: String
    package var kind: String
    /// The plural name used in URLs (`deployments`).
    package var plural: String
    package var singular: String
    package var namespaced: Bool
    package var shortNames: [String]
    package var categories: [String]
    package var subresources: [Subresource]
    /// Whether the type is built in; custom resources reject strategic merge patches.
    package var builtIn: Bool
    /// A review kind (TokenReview, SelfSubjectAccessReview): only `create`,
    /// answered with a computed status and never stored.
    package var createOnly: Bool = false
    /// A custom resource version's `openAPIV3Schema`, applied to every write
    /// (CustomResourceSchema); kept here so no request looks the CRD up.
    package var schema: Value? {
        didSet { applyNode = schema.map(CustomResourceSchema.applyNode) }
    }
    /// The server-side apply schema of a custom resource, built from `schema`
    /// (list types, list-map keys, map types); built-in kinds use `PatchSchema`'s table.
    package private(set) var applyNode: PatchSchema.Node?
    /// A custom resource version's `selectableFields`, as field labels
    /// (`spec.color` for the JSON path `.spec.color`); built-in kinds use FieldSelector's table.
    package var selectableFields: Set<String> = []
    /// The version objects are stored in, when not `version` (a CRD's `storage: true` version).
    package var storageVersion: String?
    /// A custom resource's `scale` subresource paths; built-in kinds use `spec.replicas`.
    package var scalePaths: ScalePaths?

    /// Where a CRD's `subresources.scale` finds replicas and the label selector
    /// (JSON paths such as `.spec.replicas`, read as field paths).
    package struct ScalePaths: Sendable, Hashable {
        package var specReplicas: [String]
        package var statusReplicas: [String]
        package var labelSelector: [String]?
    }

    package init(
        group: String, version: String, kind: String, plural: String, namespaced: Bool,
        shortNames: [String] = [], categories: [String] = [], subresources: [Subresource] = [],
        singular: String? = nil, builtIn: Bool = true, schema: Value? = nil
    ) {
        self.schema = schema
        self.applyNode = schema.map(CustomResourceSchema.applyNode)
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.singular = singular ?? kind.lowercased()
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.subresources = subresources
        self.builtIn = builtIn
    }

    package var groupResource: GroupResource { GroupResource(group: group, resource: plural) }
    package var apiVersion: String { group.isEmpty ? version : group + "/" + version }
    package var groupVersion: String { apiVersion }

    /// The verbs every emulated resource supports.
    static let verbs: [Value] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// discovery.StorageVersionHash: the first 8 bytes of the SHA-256 of
    /// `group/version/kind` of the storage version, in standard base64.
    package var storageVersionHash: String {
        let digest = SHA256Digest.of(Array((group + "/" + (storageVersion ?? version) + "/" + kind).utf8))
        return Base64.encode(Array(digest.prefix(8)))
    }

    /// The `APIResourceDiscovery` entry of aggregated discovery
    /// (apidiscovery.k8s.io/v2): the resource with its subresources nested.
    package var aggregatedDiscoveryEntry: Value {
        var entry = OrderedMap()
        entry["resource"] = .string(plural)
        entry["responseKind"] = ["group": .string(group), "version": .string(version), "kind": .string(kind)]
        entry["scope"] = namespaced ? "Namespaced" : "Cluster"
        entry["singularResource"] = .string(singular)
        entry["verbs"] = createOnly ? ["create"] : .list(Self.verbs)
        if !shortNames.isEmpty { entry["shortNames"] = .list(shortNames.map(Value.string)) }
        if !categories.isEmpty { entry["categories"] = .list(categories.map(Value.string)) }
        if !subresources.isEmpty {
            entry["subresources"] = .list(subresources.map { sub -> Value in
                var item = OrderedMap()
                item["subresource"] = .string(sub.rawValue)
                item["responseKind"] = sub == .scale
                    ? ["group": "autoscaling", "version": "v1", "kind": "Scale"]
                    : ["group": .string(group), "version": .string(version), "kind": .string(kind)]
                item["verbs"] = ["get", "patch", "update"]
                return .map(item)
            })
        }
        return .map(entry)
    }

    /// The `APIResource` entries for discovery: the resource and its subresources.
    package var discoveryEntries: [Value] {
        var main = OrderedMap()
        main["name"] = .string(plural)
        main["singularName"] = .string(singular)
        main["namespaced"] = .bool(namespaced)
        main["kind"] = .string(kind)
        main["verbs"] = createOnly ? ["create"] : .list(Self.verbs)
        if !shortNames.isEmpty { main["shortNames"] = .list(shortNames.map(Value.string)) }
        if !categories.isEmpty { main["categories"] = .list(categories.map(Value.string)) }
        if !createOnly { main["storageVersionHash"] = .string(storageVersionHash) }
        var entries: [Value] = [.map(main)]
        for sub in subresources {
            var entry = OrderedMap()
            entry["name"] = .string(plural + "/" + sub.rawValue)
            entry["singularName"] = ""
            entry["namespaced"] = .bool(namespaced)
            if sub == .scale {
                entry["group"] = "autoscaling"
                entry["version"] = "v1"
                entry["kind"] = "Scale"
            } else {
                entry["kind"] = .string(kind)
            }
            entry["verbs"] = ["get", "patch", "update"]
            entries.append(.map(entry))
        }
        return entries
    }
}
