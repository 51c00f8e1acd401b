import TetherModel

/// The `/openapi/v3` discovery index, its per-group-version documents and
/// the `/openapi/v2` document, built from the generated built-in schemas and
/// the stored CustomResourceDefinitions' `openAPIV3Schema`, as
/// kube-apiserver's OpenAPI controllers publish them.
struct OpenAPIDocuments {
    /// Every served type (built-ins and CRD versions).
    var types: [ResourceType]
    /// The stored CustomResourceDefinitions.
    var crds: [Value]

    /// `/openapi/v3`: each group version's document, with a hash clients cache by.
    func index() -> Value {
        var paths = OrderedMap()
        for gv in groupVersions() {
            let hash = gv.builtIn ? "v1.32.0" : crdHash(group: gv.group)
            paths[Self.pathKey(group: gv.group, version: gv.version)] =
                ["serverRelativeURL": .string("/openapi/v3/\(Self.pathKey(group: gv.group, version: gv.version))?hash=\(hash)")]
        }
        return ["paths": .map(paths)]
    }

    /// `/openapi/v3/api/v1` or `/openapi/v3/apis/GROUP/VERSION`; nil when no such group version is served.
    func document(group: String, version: String) -> Value? {
        let served = types.filter { $0.group == group && $0.version == version }
        guard !served.isEmpty else { return nil }
        var roots: [String] = []
        var custom = OrderedMap()
        if served.contains(where: \.builtIn) { roots = OpenAPISchemas.roots(group: group, version: version) }
        for type in served where !type.builtIn {
            if let schema = crdSchema(type) { custom[Self.crdDefinitionName(type)] = schema }
        }
        let paths = self.paths(served, reference: OpenAPISchemas.referencePrefix)
        var schemas = OpenAPISchemas.closure(
            of: roots + ["io.k8s.apimachinery.pkg.apis.meta.v1.Status", "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"],
            extra: Array(custom.values))
        for entry in custom { schemas[entry.key] = entry.value }
        return [
            "openapi": "3.0.0",
            "info": ["title": "Kubernetes", "version": "v1.32.0"],
            "paths": .map(paths),
            "components": ["schemas": .map(schemas)],
        ]
    }

    /// `/openapi/v2`: every definition and path in one Swagger 2.0 document.
    func swagger() -> Value {
        var definitions = OrderedMap()
        for entry in OpenAPISchemas.builtIn { definitions[entry.key] = OpenAPISchemas.swagger(entry.value) }
        for type in types where !type.builtIn {
            if let schema = crdSchema(type) { definitions[Self.crdDefinitionName(type)] = OpenAPISchemas.swagger(schema) }
        }
        let paths = Value.map(self.paths(types, reference: "#/definitions/", swagger: true))
        return [
            "swagger": "2.0",
            "info": ["title": "Kubernetes", "version": "v1.32.0"],
            "paths": paths,
            "definitions": .map(definitions),
        ]
    }

    private func groupVersions() -> [(group: String, version: String, builtIn: Bool)] {
        var seen = Set<String>()
        var out: [(group: String, version: String, builtIn: Bool)] = []
        for type in types where seen.insert(type.apiVersion).inserted {
            out.append((type.group, type.version, type.builtIn))
        }
        return out
    }

    static func pathKey(group: String, version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    private func crdHash(group: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for crd in crds where crd[path: ["spec", "group"]]?.stringValue == group {
            for byte in (crd[path: ["metadata", "resourceVersion"]]?.stringValue ?? "").utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
        }
        return String(hash, radix: 16, uppercase: true)
    }

    /// The component name the API server gives a custom resource: its group reversed, version, kind.
    static func crdDefinitionName(_ type: ResourceType) -> String {
        (type.group.split(separator: ".").reversed().map(String.init) + [type.version, type.kind]).joined(separator: ".")
    }

    /// A CRD version's schema with the object envelope the API server adds to it.
    func crdSchema(_ type: ResourceType) -> Value? {
        guard let crd = crds.first(where: {
            $0[path: ["spec", "group"]]?.stringValue == type.group && $0[path: ["spec", "names", "plural"]]?.stringValue == type.plural
        }), let version = crd[path: ["spec", "versions"]]?.listValue?.first(where: { $0["name"]?.stringValue == type.version })
        else { return nil }
        let preserve: Value = ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        var schema = version[path: ["schema", "openAPIV3Schema"]]?.mapValue ?? preserve.mapValue ?? OrderedMap()
        var properties = schema["properties"]?.mapValue ?? OrderedMap()
        let meta = OpenAPISchemas.builtIn["io.k8s.api.core.v1.ConfigMap"]?["properties"]
        properties["apiVersion"] = meta?["apiVersion"] ?? ["type": "string"]
        properties["kind"] = meta?["kind"] ?? ["type": "string"]
        properties["metadata"] = meta?["metadata"] ?? ["type": "object"]
        schema["properties"] = .map(properties)
        let gvk: Value = ["group": .string(type.group), "kind": .string(type.kind), "version": .string(type.version)]
        schema["x-kubernetes-group-version-kind"] = .list([gvk])
        return .map(schema)
    }

    private func rootReference(_ type: ResourceType, _ prefix: String) -> String {
        if !type.builtIn { return prefix + Self.crdDefinitionName(type) }
        let name = OpenAPISchemas.roots(group: type.group, version: type.version).first {
            OpenAPISchemas.builtIn[$0]?["x-kubernetes-group-version-kind"]?.listValue?.contains { $0["kind"]?.stringValue == type.kind } ?? false
        }
        return prefix + (name ?? "io.k8s.apimachinery.pkg.apis.meta.v1.Status")
    }

    /// The REST paths of `types`, each operation tagged with its group-version-kind
    /// and the query parameters it accepts (kubectl looks for `fieldValidation` on PATCH).
    private func paths(_ types: [ResourceType], reference prefix: String, swagger: Bool = false) -> OrderedMap {
        var paths = OrderedMap()
        for type in types {
            let base = type.group.isEmpty ? "/api/\(type.version)" : "/apis/\(type.group)/\(type.version)"
            let collection = base + (type.namespaced ? "/namespaces/{namespace}/" : "/") + type.plural
            let gvk: Value = ["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)]
            let schema: Value = ["$ref": .string(rootReference(type, prefix))]
            func operation(_ action: String, _ parameters: [String]) -> Value {
                // Swagger 2.0 puts a query parameter's type and a response's schema
                // directly on them; OpenAPI 3 nests them under schema and content.
                let parameterList = parameters.map { name -> Value in
                    swagger ? ["name": .string(name), "in": "query", "type": "string", "uniqueItems": true]
                            : ["name": .string(name), "in": "query", "schema": ["type": "string", "uniqueItems": true]]
                }
                let response: Value = swagger ? ["description": "OK", "schema": schema]
                                              : ["description": "OK", "content": ["application/json": ["schema": schema]]]
                return [
                    "operationId": .string(action + type.kind),
                    "x-kubernetes-action": .string(action),
                    "x-kubernetes-group-version-kind": gvk,
                    "parameters": .list(parameterList),
                    "responses": ["200": response],
                ]
            }
            let writes = ["dryRun", "fieldManager", "fieldValidation", "pretty"]
            paths[collection] = [
                "get": operation("list", ["labelSelector", "fieldSelector", "limit", "continue", "resourceVersion", "watch"]),
                "post": operation("post", writes),
                "delete": operation("deletecollection", ["dryRun", "gracePeriodSeconds", "propagationPolicy"]),
            ]
            paths[collection + "/{name}"] = [
                "get": operation("get", ["pretty"]),
                "put": operation("put", writes),
                "patch": operation("patch", writes + ["force"]),
                "delete": operation("delete", ["dryRun", "gracePeriodSeconds", "propagationPolicy"]),
            ]
        }
        return paths
    }
}
