package import TetherModel

/// How a kind is served: its plural resource name and whether objects live in a namespace.
package struct RESTMapping: Sendable, Hashable, CustomStringConvertible {
    package var gvk: GroupVersionKind
    /// The plural resource, e.g. `deployments`.
    package var resource: String
    package var namespaced: Bool
    /// Verbs the server lists for the resource.
    package var verbs: [String]

    package init(gvk: GroupVersionKind, resource: String, namespaced: Bool, verbs: [String] = []) {
        self.gvk = gvk
        self.resource = resource
        self.namespaced = namespaced
        self.verbs = verbs
    }

    /// `/api/v1` or `/apis/<group>/<version>`.
    package var groupVersionPath: String {
        gvk.group.isEmpty ? "/api/" + gvk.version : "/apis/" + gvk.group + "/" + gvk.version
    }

    package var description: String {
        (gvk.group.isEmpty ? resource : resource + "." + gvk.group) + "/" + gvk.version
            + (namespaced ? " (namespaced)" : " (cluster)")
    }

    /// The collection or object path.
    /// - Parameters:
    ///   - namespace: ignored for cluster-scoped resources; empty lists across namespaces.
    ///   - name: the object, or `nil` for the collection.
    ///   - subresource: e.g. `status` or `scale`.
    package func path(namespace: String, name: String? = nil, subresource: String? = nil) -> String {
        var path = groupVersionPath
        if namespaced, !namespace.isEmpty { path += "/namespaces/" + KubeClient.pathEscape(namespace) }
        path += "/" + resource
        if let name { path += "/" + KubeClient.pathEscape(name) }
        if let subresource, name != nil { path += "/" + subresource }
        return path
    }
}

/// Discovery results per group-version, fetched lazily and refreshed when a kind is not
/// found (a CRD may have been installed since).
actor DiscoveryCache {
    private var byGroupVersion: [String: [RESTMapping]] = [:]
    /// Fetches under way, so concurrent misses for one group-version make one request.
    private var inFlight: [String: Task<[RESTMapping], any Error>] = [:]

    /// The group-version's resources fetched again with `fetch`, or the result of a fetch
    /// already under way; stored on success.
    func refresh(_ apiVersion: String, fetch: @escaping @Sendable () async throws(KubeError) -> [RESTMapping]) async throws(KubeError) -> [RESTMapping] {
        let task: Task<[RESTMapping], any Error>
        if let running = inFlight[apiVersion] {
            task = running
        } else {
            task = Task { try await fetch() }
            inFlight[apiVersion] = task
        }
        do {
            let mappings = try await task.value
            if inFlight[apiVersion] == task {
                inFlight[apiVersion] = nil
                byGroupVersion[apiVersion] = mappings
            }
            return mappings
        } catch {
            if inFlight[apiVersion] == task { inFlight[apiVersion] = nil }
            throw error as? KubeError ?? KubeError(.transport, "discovery of \(apiVersion) failed: \(error)", operation: "discover \(apiVersion)")
        }
    }

    func cached(_ gvk: GroupVersionKind) -> RESTMapping? {
        byGroupVersion[gvk.apiVersion]?.first { $0.gvk.kind == gvk.kind }
    }

    func store(_ mappings: [RESTMapping], for apiVersion: String) {
        byGroupVersion[apiVersion] = mappings
    }

    func cached(resource: String, apiVersion: String) -> RESTMapping? {
        byGroupVersion[apiVersion]?.first { $0.resource == resource }
    }

    func invalidate() { byGroupVersion = [:] }
}
