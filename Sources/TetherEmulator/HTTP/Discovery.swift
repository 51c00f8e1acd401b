import TetherModel

/// The discovery documents: the legacy per-group-version documents, and
/// aggregated discovery (`APIGroupDiscoveryList` of apidiscovery.k8s.io v2 or
/// v2beta1 at `/api` and `/apis`, as staging/src/k8s.io/apiserver/pkg/endpoints/discovery/aggregated serves it).
enum Discovery {
    /// The aggregated discovery version an `Accept` header asks for first,
    /// or `nil` when the client prefers the legacy documents.
    static func aggregatedVersion(accept: String?) -> String? {
        guard let accept, accept.contains("apidiscovery") else { return nil }
        for item in accept.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmed.lowercased() }
            guard let type = parts.first else { continue }
            let parameters = Set(parts.dropFirst())
            if parameters.contains("q=0") { continue }
            if parameters.contains(where: { $0.hasPrefix("as=") }) {
                guard type == "application/json", parameters.contains("g=apidiscovery.k8s.io"),
                      parameters.contains("as=apigroupdiscoverylist") else { continue }
                if parameters.contains("v=v2") { return "v2" }
                if parameters.contains("v=v2beta1") { return "v2beta1" }
                continue
            }
            if ["application/json", "application/yaml", "*/*", "application/*", KubernetesProtobuf.mediaType].contains(type) {
                return nil
            }
        }
        return nil
    }

    /// The media type of an aggregated discovery answer.
    static func aggregatedContentType(version: String) -> String {
        "application/json;g=apidiscovery.k8s.io;v=\(version);as=APIGroupDiscoveryList"
    }

    /// The `APIGroupDiscoveryList` for `/api` (`core`: the legacy group alone) or `/apis` (every named group).
    static func aggregated(_ registry: ResourceRegistry, core: Bool, version: String) -> Value {
        let groups: [(name: String, versions: [String])] = core ? [("", ["v1"])] : registry.groups
        let items = groups.map { group -> Value in
            var metadata = OrderedMap()
            if !group.name.isEmpty { metadata["name"] = .string(group.name) }
            metadata["creationTimestamp"] = .null
            let versions = group.versions.map { v -> Value in
                [
                    "version": .string(v),
                    "resources": .list(registry.types(group: group.name, version: v).map(\.aggregatedDiscoveryEntry)),
                    "freshness": "Current",
                ]
            }
            return ["metadata": .map(metadata), "versions": .list(versions)]
        }
        return [
            "kind": "APIGroupDiscoveryList", "apiVersion": .string("apidiscovery.k8s.io/" + version),
            "metadata": [:], "items": .list(items),
        ]
    }

    static func version() -> Value {
        [
            "major": "1", "minor": "32", "gitVersion": "v1.32.0-tether.emulator",
            "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
            "buildDate": "2024-12-11T00:00:00Z", "goVersion": "go1.23.3", "compiler": "gc",
            "platform": "linux/amd64",
        ]
    }

    static func coreVersions(serverAddress: String) -> Value {
        [
            "kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ]
    }

    static func group(name: String, versions: [String]) -> Value {
        let entries = versions.map { v -> Value in ["groupVersion": .string(name + "/" + v), "version": .string(v)] }
        return ["name": .string(name), "versions": .list(entries), "preferredVersion": entries.first ?? .null]
    }

    static func groupList(_ registry: ResourceRegistry) -> Value {
        let groups = registry.groups.map { group(name: $0.name, versions: $0.versions) }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .list(groups)]
    }

    static func groupDocument(_ registry: ResourceRegistry, name: String) -> Value? {
        guard let entry = registry.groups.first(where: { $0.name == name }) else { return nil }
        var doc = group(name: entry.name, versions: entry.versions)
        doc = .map(OrderedMap([("kind", "APIGroup"), ("apiVersion", "v1")] + (doc.mapValue?.entries.map { ($0.key, $0.value) } ?? [])))
        return doc
    }

    static func resourceList(_ registry: ResourceRegistry, group: String, version: String) -> Value? {
        let types = registry.types(group: group, version: version)
        guard !types.isEmpty else { return nil }
        return [
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : group + "/" + version),
            "resources": .list(types.flatMap(\.discoveryEntries)),
        ]
    }
}
