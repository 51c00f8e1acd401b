package import TetherModel

extension KubeClient {
    /// The REST mapping for a kind, from the discovery cache or the server.
    ///
    /// A cache miss fetches that group-version's resource list again, so kinds from a CRD
    /// installed after the first lookup are found.
    /// - Throws: `KubeError` with code `noResourceMatch` when the server does not serve
    ///   the kind, or the error from the discovery request.
    package func mapping(for gvk: GroupVersionKind) async throws(KubeError) -> RESTMapping {
        if let hit = await discovery.cached(gvk) { return hit }
        let mappings = try await discovery.refresh(gvk.apiVersion) { () async throws(KubeError) in try await self.fetchResources(apiVersion: gvk.apiVersion) }
        guard let mapping = mappings.first(where: { $0.gvk.kind == gvk.kind }) else {
            throw KubeError(.noResourceMatch, "the server has no resource for kind \(gvk.kind) in \(gvk.apiVersion)",
                            operation: "discover \(gvk)")
        }
        return mapping
    }

    /// The mapping for a plural resource name (`deployments`) in an apiVersion.
    /// - Throws: `KubeError` with code `noResourceMatch` when it is not served.
    package func mapping(resource: String, apiVersion: String) async throws(KubeError) -> RESTMapping {
        if let hit = await discovery.cached(resource: resource, apiVersion: apiVersion) { return hit }
        let mappings = try await discovery.refresh(apiVersion) { () async throws(KubeError) in try await self.fetchResources(apiVersion: apiVersion) }
        guard let mapping = mappings.first(where: { $0.resource == resource }) else {
            throw KubeError(.noResourceMatch, "the server has no resource '\(resource)' in \(apiVersion)",
                            operation: "discover \(resource).\(apiVersion)")
        }
        return mapping
    }

    /// Every group-version the server offers (the preferred and other versions), from
    /// `/api` and `/apis`.
    /// - Throws: `KubeError` from the requests.
    package func serverGroupVersions() async throws(KubeError) -> [String] {
        var result: [String] = []
        let core = try await getJSON("/api", operation: "discover /api")
        result += (core["versions"]?.listValue ?? []).compactMap(\.stringValue)
        let groups = try await getJSON("/apis", operation: "discover /apis")
        for group in groups["groups"]?.listValue ?? [] {
            for version in group["versions"]?.listValue ?? [] {
                if let text = version["groupVersion"]?.stringValue { result.append(text) }
            }
        }
        return result
    }

    /// Forgets everything discovered.
    package func invalidateDiscovery() async { await discovery.invalidate() }

    func getJSON(_ path: String, operation: String) async throws(KubeError) -> Value {
        let call = Call(method: "GET", path: path, operation: operation)
        return try decode(try await send(call), call: call)
    }

    private func fetchResources(apiVersion: String) async throws(KubeError) -> [RESTMapping] {
        let gv = GroupVersionKind(apiVersion: apiVersion, kind: "")
        let path = gv.group.isEmpty ? "/api/" + gv.version : "/apis/" + gv.group + "/" + gv.version
        let list: Value
        do {
            list = try await getJSON(path, operation: "discover \(apiVersion)")
        } catch where error.code == .notFound {
            throw KubeError(.noResourceMatch, "the server does not serve apiVersion \(apiVersion)",
                            operation: "discover \(apiVersion)", cause: error)
        }
        var mappings: [RESTMapping] = []
        for item in list["resources"]?.listValue ?? [] {
            guard let name = item["name"]?.stringValue, !name.contains("/"),
                  let kind = item["kind"]?.stringValue else { continue }
            mappings.append(RESTMapping(gvk: GroupVersionKind(group: gv.group, version: gv.version, kind: kind),
                                        resource: name, namespaced: item["namespaced"]?.boolValue ?? false,
                                        verbs: (item["verbs"]?.listValue ?? []).compactMap(\.stringValue)))
        }
        return mappings
    }
}
