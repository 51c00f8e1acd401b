package import TetherModel

extension KubeClient {
    /// Creates an object (POST).
    /// - Parameters:
    ///   - resource: the object; its namespace, when empty, defaults to the configured one.
    ///   - options: dry run, field manager, subresource.
    /// - Returns: the object as stored (or as it would be, for a dry run).
    /// - Throws: `KubeError` (`alreadyExists`, `invalid`, …).
    package func create(_ resource: Resource, options: WriteOptions = WriteOptions()) async throws(KubeError) -> Resource {
        let target = try await target(of: resource)
        let query = Self.writeQuery(dryRun: options.dryRun, fieldManager: options.fieldManager)
        let call = Call(method: "POST", path: target.mapping.path(namespace: target.id.namespace), query: query,
                        body: try body(resource.value, id: target.id), contentType: "application/json",
                        operation: "create \(target.id)", resource: target.id)
        return try self.resource(from: try await send(call), call: call)
    }

    /// Replaces an object (PUT). Include `metadata.resourceVersion` to fail with `conflict`
    /// if someone else changed it meanwhile.
    /// - Throws: `KubeError` (`conflict`, `notFound`, `invalid`, …).
    package func update(_ resource: Resource, options: WriteOptions = WriteOptions()) async throws(KubeError) -> Resource {
        let target = try await target(of: resource)
        let call = Call(method: "PUT",
                        path: target.mapping.path(namespace: target.id.namespace, name: target.id.name,
                                                  subresource: options.subresource),
                        query: Self.writeQuery(dryRun: options.dryRun, fieldManager: options.fieldManager),
                        body: try body(resource.value, id: target.id), contentType: "application/json",
                        operation: "update \(target.id)", resource: target.id)
        return try self.resource(from: try await send(call), call: call)
    }

    /// Patches an object.
    /// - Parameters:
    ///   - patch: the body and its type (JSON, merge, strategic, apply).
    /// - Throws: `KubeError` (`notFound`, `invalid`, `unsupportedMediaType` for strategic
    ///   patches on custom resources, …).
    package func patch(_ gvk: GroupVersionKind, name: String, namespace: String? = nil, patch: Patch,
                       options: WriteOptions = WriteOptions()) async throws(KubeError) -> Resource {
        let mapping = try await mapping(for: gvk)
        let ns = mapping.namespaced ? (namespace ?? config.namespace) : ""
        let id = ResourceID(group: gvk.group, kind: gvk.kind, namespace: ns, name: name)
        let call = Call(method: "PATCH", path: mapping.path(namespace: ns, name: name, subresource: options.subresource),
                        query: Self.writeQuery(dryRun: options.dryRun, fieldManager: options.fieldManager),
                        body: try body(patch.body, id: id), contentType: patch.kind.contentType,
                        operation: "patch \(id)", resource: id)
        return try resource(from: try await send(call), call: call)
    }

    /// Server-side apply: sends the whole desired object as an apply patch owned by
    /// `options.fieldManager`, creating the object if needed.
    /// - Returns: the object after the apply (or as it would be, for a dry run).
    /// - Throws: `KubeError` (`conflict` when another manager owns a field and `force` is
    ///   off; `invalid`, …).
    package func apply(_ resource: Resource, options: ApplyOptions) async throws(KubeError) -> Resource {
        let target = try await target(of: resource)
        var query = Self.writeQuery(dryRun: options.dryRun, fieldManager: options.fieldManager)
        if options.force { query.append(("force", "true")) }
        var value = resource.value
        if target.mapping.namespaced, resource.namespace.isEmpty, case .map(var map) = value {
            map.modifyValue(forKey: "metadata") { metadata in
                if case .map(var inner) = metadata {
                    inner["namespace"] = .string(target.id.namespace)
                    metadata = .map(inner)
                }
            }
            value = .map(map)
        }
        let call = Call(method: "PATCH",
                        path: target.mapping.path(namespace: target.id.namespace, name: target.id.name,
                                                  subresource: options.subresource),
                        query: query, body: try body(value, id: target.id),
                        contentType: Patch.Kind.apply.contentType,
                        operation: "apply \(target.id)", resource: target.id)
        return try self.resource(from: try await send(call), call: call)
    }

    /// Deletes an object.
    /// - Returns: `.deleted`, or `.pending` with the object when finalizers keep it.
    /// - Throws: `KubeError` (`notFound` when it does not exist; callers that only want it
    ///   gone can treat that as success; `conflict` when a precondition fails).
    package func delete(_ gvk: GroupVersionKind, name: String, namespace: String? = nil,
                        options: DeleteOptions = DeleteOptions()) async throws(KubeError) -> DeleteOutcome {
        let mapping = try await mapping(for: gvk)
        let ns = mapping.namespaced ? (namespace ?? config.namespace) : ""
        let id = ResourceID(group: gvk.group, kind: gvk.kind, namespace: ns, name: name)
        var body = OrderedMap()
        body.append(key: "apiVersion", value: "v1")
        body.append(key: "kind", value: "DeleteOptions")
        if let policy = options.propagationPolicy { body.append(key: "propagationPolicy", value: .string(policy.rawValue)) }
        if let grace = options.gracePeriodSeconds { body.append(key: "gracePeriodSeconds", value: .int(grace)) }
        if options.dryRun == .all { body.append(key: "dryRun", value: ["All"]) }
        var preconditions = OrderedMap()
        if let uid = options.preconditionUID { preconditions.append(key: "uid", value: .string(uid)) }
        if let rv = options.preconditionResourceVersion { preconditions.append(key: "resourceVersion", value: .string(rv)) }
        if !preconditions.isEmpty { body.append(key: "preconditions", value: .map(preconditions)) }
        let call = Call(method: "DELETE", path: mapping.path(namespace: ns, name: name),
                        query: options.dryRun == .all ? [("dryRun", "All")] : [],
                        body: try self.body(.map(body), id: id), contentType: "application/json",
                        operation: "delete \(id)", resource: id)
        let value = try decode(try await send(call), call: call)
        if value["kind"]?.stringValue == "Status" { return .deleted }
        if value[path: ["metadata", "deletionTimestamp"]] != nil || value[path: ["metadata", "finalizers"]]?.listValue?.isEmpty == false {
            return .pending(Resource(unchecked: value))
        }
        return .deleted
    }

    /// The mapping and full id of a resource, with its namespace defaulted.
    func target(of resource: Resource) async throws(KubeError) -> (mapping: RESTMapping, id: ResourceID) {
        guard !resource.kind.isEmpty, !resource.apiVersion.isEmpty else {
            throw KubeError(.config, "the object has no apiVersion or kind. Set both.", resource: resource.id)
        }
        let mapping = try await mapping(for: resource.gvk)
        let namespace = mapping.namespaced ? (resource.namespace.isEmpty ? config.namespace : resource.namespace) : ""
        return (mapping, ResourceID(group: resource.gvk.group, kind: resource.kind, namespace: namespace, name: resource.name))
    }

    static func writeQuery(dryRun: DryRun, fieldManager: String?) -> [(String, String)] {
        var query: [(String, String)] = []
        if dryRun == .all { query.append(("dryRun", "All")) }
        if let fieldManager { query.append(("fieldManager", fieldManager)) }
        return query
    }

    func body(_ value: Value, id: ResourceID) throws(KubeError) -> [UInt8] {
        do {
            return try JSONEncoding().bytes(value)
        } catch {
            throw KubeError(.decoding, "the object cannot be encoded as JSON", resource: id, cause: error)
        }
    }
}
