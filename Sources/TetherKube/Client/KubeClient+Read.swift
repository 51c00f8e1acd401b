package import TetherModel

extension KubeClient {
    /// Reads one object.
    /// - Parameters:
    ///   - gvk: the kind.
    ///   - name: the object name.
    ///   - namespace: for namespaced kinds; `nil` uses the configured namespace.
    ///   - subresource: e.g. `status` or `scale`.
    /// - Returns: the object.
    /// - Throws: `KubeError` (`notFound` when it does not exist).
    package func get(_ gvk: GroupVersionKind, name: String, namespace: String? = nil,
                     subresource: String? = nil) async throws(KubeError) -> Resource {
        let mapping = try await mapping(for: gvk)
        let ns = mapping.namespaced ? (namespace ?? config.namespace) : ""
        let id = ResourceID(group: gvk.group, kind: gvk.kind, namespace: ns, name: name)
        let call = Call(method: "GET", path: mapping.path(namespace: ns, name: name, subresource: subresource),
                        operation: "get \(id)" + (subresource.map { " (\($0))" } ?? ""), resource: id)
        return try resource(from: try await send(call), call: call)
    }

    /// Lists one page of objects.
    /// - Parameters:
    ///   - namespace: `nil` uses the configured namespace; `""` lists across all namespaces.
    ///   - options: selectors, page size and continue token.
    /// - Returns: the page; `continueToken` is set when more follow.
    /// - Throws: `KubeError` (`gone` when the continue token expired).
    package func list(_ gvk: GroupVersionKind, namespace: String? = nil,
                      options: ListOptions = ListOptions()) async throws(KubeError) -> ResourceList {
        let mapping = try await mapping(for: gvk)
        let ns = mapping.namespaced ? (namespace ?? config.namespace) : ""
        var query: [(String, String)] = []
        if let value = options.labelSelector { query.append(("labelSelector", value)) }
        if let value = options.fieldSelector { query.append(("fieldSelector", value)) }
        if let value = options.limit { query.append(("limit", String(value))) }
        if let value = options.continueToken { query.append(("continue", value)) }
        if let value = options.resourceVersion { query.append(("resourceVersion", value)) }
        let call = Call(method: "GET", path: mapping.path(namespace: ns), query: query,
                        operation: "list \(gvk.kind)" + (ns.isEmpty ? "" : " in namespace \(ns)"))
        let value = try decode(try await send(call), call: call)
        var items: [Resource] = []
        for item in value["items"]?.listValue ?? [] {
            items.append(Resource(unchecked: Self.withTypeMeta(item, gvk: mapping.gvk)))
        }
        let token = value[path: ["metadata", "continue"]]?.stringValue
        return ResourceList(items: items, resourceVersion: value[path: ["metadata", "resourceVersion"]]?.stringValue ?? "",
                            continueToken: token?.isEmpty == false ? token : nil)
    }

    /// Lists every object, following `continue` tokens page by page. If a token expires
    /// (410) part-way, the list starts again without paging, so the result is consistent.
    /// - Parameters:
    ///   - pageSize: the `limit` for each page.
    /// - Throws: `KubeError`.
    package func listAll(_ gvk: GroupVersionKind, namespace: String? = nil, options: ListOptions = ListOptions(),
                         pageSize: Int = 500) async throws(KubeError) -> ResourceList {
        var pageOptions = options
        pageOptions.limit = pageSize
        var all: [Resource] = []
        while true {
            let page: ResourceList
            do {
                page = try await list(gvk, namespace: namespace, options: pageOptions)
            } catch where error.code == .gone && pageOptions.continueToken != nil {
                var full = options
                full.limit = nil
                full.continueToken = nil
                return try await list(gvk, namespace: namespace, options: full)
            }
            all += page.items
            guard let token = page.continueToken else {
                return ResourceList(items: all, resourceVersion: page.resourceVersion, continueToken: nil)
            }
            pageOptions.continueToken = token
        }
    }

    /// Items in a list response carry no `apiVersion`/`kind`; add them back.
    static func withTypeMeta(_ item: Value, gvk: GroupVersionKind) -> Value {
        guard var map = item.mapValue, map["kind"] == nil else { return item }
        var result = OrderedMap()
        result.append(key: "apiVersion", value: .string(gvk.apiVersion))
        result.append(key: "kind", value: .string(gvk.kind))
        for entry in map where entry.key != "apiVersion" { result.append(key: entry.key, value: entry.value) }
        map = result
        return .map(map)
    }

    func resource(from response: HTTPResponse, call: Call) throws(KubeError) -> Resource {
        let value = try decode(response, call: call)
        do {
            return try Resource(value)
        } catch {
            throw KubeError(.decoding, "the API server returned something that is not an object",
                            operation: call.operation, resource: call.resource, cause: error)
        }
    }
}
