package import TetherModel

/// The Kubernetes patch metadata strategic merge patch needs: for each field
/// its type and, for lists, the merge key and patch strategy.
///
/// The built-in table is generated from the Kubernetes OpenAPI definitions
/// (see ``kubernetesVersion`` and `scripts/gen-patch-schema.py`). Kinds it
/// does not know (custom resources) have no schema: patch them with a `nil`
/// node, which merges maps and replaces lists.
package enum PatchSchema {
    /// A position in the schema: the type found there and the patch metadata
    /// of the field that holds it.
    package struct Node: Sendable, Hashable {
        /// What kind of value lives at a node.
        package indirect enum Shape: Sendable, Hashable {
            /// An object described by a named definition of the table.
            case definition(String)
            /// An object with its fields given inline (for schemas built at
            /// run time, such as a CustomResourceDefinition's).
            case object([String: Node])
            /// A list whose elements have the given schema.
            case list(Node)
            /// A map from strings to values of the given schema.
            case map(Node)
            /// A scalar (`string`, `integer`, `number`, `boolean`).
            case scalar(String)
            /// Anything: a free-form object or an int-or-string.
            case any
        }

        package var shape: Shape
        /// `x-kubernetes-patch-strategy` of the field holding this node.
        package var strategy: PatchStrategy
        /// `x-kubernetes-patch-merge-key` of a list field.
        package var mergeKey: String?
        /// `x-kubernetes-list-type` (`atomic`, `set`, `map`), for server-side apply.
        package var listType: String?
        /// `x-kubernetes-list-map-keys`, for server-side apply.
        package var listMapKeys: [String]
        /// `x-kubernetes-map-type` (`atomic`, `granular`), for server-side apply.
        package var mapType: String?

        /// Creates a node.
        package init(
            _ shape: Shape, strategy: PatchStrategy = [], mergeKey: String? = nil,
            listType: String? = nil, listMapKeys: [String] = [], mapType: String? = nil
        ) {
            self.shape = shape
            self.strategy = strategy
            self.mergeKey = mergeKey
            self.listType = listType
            self.listMapKeys = listMapKeys
            self.mapType = mapType
        }

        /// The schema of a field of this object, or of any value of this map;
        /// `nil` when the field is unknown or this is not an object or map.
        package func field(_ name: String) -> Node? {
            switch shape {
            case .definition(let definition):
                return PatchSchema.kubernetes.definitions[definition]?[name]
            case .object(let fields):
                return fields[name]
            case .map(let value):
                return value
            case .list, .scalar, .any:
                return nil
            }
        }

        /// The schema of the elements when this is a list.
        package var elements: Node? {
            if case .list(let element) = shape { return element }
            return nil
        }

        /// Whether this list merges element by element rather than being
        /// replaced as a whole.
        package var isMergeList: Bool {
            strategy.contains(.merge) && elements != nil
        }
    }

    /// The root node for objects of a kind, or `nil` when the built-in table
    /// does not know the kind (for example, a custom resource).
    /// - Parameters:
    ///   - group: the API group, empty for the core group.
    ///   - version: the API version, such as `v1`.
    ///   - kind: the kind, such as `Deployment`.
    /// - Returns: the node for the kind's root definition.
    package static func root(group: String, version: String, kind: String) -> Node? {
        guard let name = kubernetes.kinds[GVK(group: group, version: version, kind: kind)] else { return nil }
        return Node(.definition(name))
    }

    /// The root node for an object's `apiVersion` (`apps/v1`, `v1`) and kind.
    /// - Returns: the node, or `nil` for an unknown kind.
    package static func root(apiVersion: String, kind: String) -> Node? {
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        if parts.count == 2 { return root(group: parts[0], version: parts[1], kind: kind) }
        return root(group: "", version: apiVersion, kind: kind)
    }

    /// The root node for a resource, read from its `apiVersion` and `kind`.
    /// - Returns: the node, or `nil` when either field is missing or the
    ///   kind is unknown.
    package static func root(for object: Value) -> Node? {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue else {
            return nil
        }
        return root(apiVersion: apiVersion, kind: kind)
    }

    /// The node of a named definition (`io.k8s.api.core.v1.PodSpec`).
    package static func definition(named name: String) -> Node? {
        kubernetes.definitions[name] == nil ? nil : Node(.definition(name))
    }

    struct GVK: Hashable {
        var group: String
        var version: String
        var kind: String
    }

    /// The parsed table.
    struct Table: Sendable {
        var definitions: [String: [String: Node]] = [:]
        var kinds: [GVK: String] = [:]
    }

    /// Parsed once, on first use.
    static let kubernetes: Table = parse(kubernetesTable)
}

/// The values of `x-kubernetes-patch-strategy`, which may combine
/// (`merge,retainKeys`).
package struct PatchStrategy: OptionSet, Sendable, Hashable {
    package let rawValue: Int
    package init(rawValue: Int) { self.rawValue = rawValue }
    /// Lists merge element by element (by merge key for lists of maps).
    package static let merge = PatchStrategy(rawValue: 1)
    /// The value is replaced as a whole.
    package static let replace = PatchStrategy(rawValue: 2)
    /// kubectl sends `$retainKeys` for this map (a union type).
    package static let retainKeys = PatchStrategy(rawValue: 4)

    /// Parses the extension's text; unknown words are ignored.
    package init(text: String) {
        var s: PatchStrategy = []
        for word in text.split(separator: ",") {
            switch word {
            case "merge": s.insert(.merge)
            case "replace": s.insert(.replace)
            case "retainKeys": s.insert(.retainKeys)
            default: break
            }
        }
        self = s
    }
}
