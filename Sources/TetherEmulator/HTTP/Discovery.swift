import TetherModel

/// The discovery documents, in the legacy (non-aggregated) format that
/// kubectl falls back to when the server does not answer with
/// `APIGroupDiscoveryList`.
enum Discovery {
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
