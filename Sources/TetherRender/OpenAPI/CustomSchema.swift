import TetherModel
import TetherPatch

/// The schema from a kustomization's `openapi: {path: …}`: an OpenAPI v2
/// document (JSON or YAML) whose `definitions` carry
/// `x-kubernetes-group-version-kind`, read into strategic-merge patch
/// nodes, for the whole rendering. As in kubectl kustomize v5.5.0, it
/// replaces the built-in Kubernetes schema when kyaml had not read that
/// one yet (the top kustomization sets `openapi`, say): kinds it does not
/// describe (a Deployment) have no merge keys then, so their lists are
/// replaced by a patch's, and a `$ref` to a Kubernetes type the file does
/// not hold resolves to nothing. When kyaml had read the built-in schema
/// already (``Build/builtinSchemaUsed``), the file's definitions are added
/// to it: its kinds and types take precedence, the rest are built in.
struct CustomSchema: Sendable {
    private var roots: [String: PatchSchema.Node] = [:]
    /// Whether the built-in definitions stay in use beside the file's.
    let addedToBuiltin: Bool

    /// Deepest `$ref` chain followed; deeper (or cyclic) fields are free-form.
    static let maxDepth = 24

    static func key(apiVersion: String, kind: String) -> String { apiVersion + " " + kind }

    /// Reads the schema file.
    /// - Throws: ``RenderError`` (`invalidKustomization`) when it is not an
    ///   OpenAPI document with `definitions`.
    init(text: String, file: String, addedToBuiltin: Bool) throws {
        self.addedToBuiltin = addedToBuiltin
        let documents: [YAMLDocument]
        do { documents = try YAMLDecoder().decode(text, file: file) } catch { throw RenderError.wrapping(error) }
        guard let definitions = documents.first?.value["definitions"]?.mapValue else {
            throw RenderError(
                .invalidKustomization, "is not an OpenAPI schema: it has no 'definitions' map. Give a Swagger/OpenAPI v2 document.", file: file)
        }
        for entry in definitions.entries {
            guard case .list(let gvks)? = entry.value["x-kubernetes-group-version-kind"] else { continue }
            var visiting: Set<String> = [entry.key]
            let node = Self.node(entry.value, definitions: definitions, builtin: addedToBuiltin, visiting: &visiting, depth: 0)
            for gvk in gvks {
                guard let kind = gvk["kind"]?.stringValue, let version = gvk["version"]?.stringValue else { continue }
                let group = gvk["group"]?.stringValue ?? ""
                roots[Self.key(apiVersion: group.isEmpty ? version : group + "/" + version, kind: kind)] = node
            }
        }
    }

    /// The root node for an object, nil when the schema does not describe its kind.
    func root(for object: Value) -> PatchSchema.Node? {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue else { return nil }
        return roots[Self.key(apiVersion: apiVersion, kind: kind)]
    }

    private static func node(_ schema: Value, definitions: OrderedMap, builtin: Bool, visiting: inout Set<String>, depth: Int) -> PatchSchema.Node {
        let strategy = PatchStrategy(text: schema["x-kubernetes-patch-strategy"]?.stringValue ?? "")
        let mergeKey = schema["x-kubernetes-patch-merge-key"]?.stringValue
        func make(_ shape: PatchSchema.Node.Shape) -> PatchSchema.Node { PatchSchema.Node(shape, strategy: strategy, mergeKey: mergeKey) }
        if let ref = schema["$ref"]?.stringValue {
            let name = ref.hasPrefix("#/definitions/") ? String(ref.dropFirst("#/definitions/".count)) : ref
            guard let target = definitions[name] else {
                guard builtin, var known = PatchSchema.definition(named: name) else { return make(.any) }
                known.strategy = strategy
                known.mergeKey = mergeKey
                return known
            }
            guard depth < maxDepth, !visiting.contains(name) else { return make(.any) }
            visiting.insert(name)
            defer { visiting.remove(name) }
            var resolved = node(target, definitions: definitions, builtin: builtin, visiting: &visiting, depth: depth + 1)
            resolved.strategy = strategy
            resolved.mergeKey = mergeKey
            return resolved
        }
        if let items = schema["items"], items.mapValue != nil {
            return make(.list(node(items, definitions: definitions, builtin: builtin, visiting: &visiting, depth: depth + 1)))
        }
        if let properties = schema["properties"]?.mapValue {
            var fields: [String: PatchSchema.Node] = [:]
            for p in properties.entries { fields[p.key] = node(p.value, definitions: definitions, builtin: builtin, visiting: &visiting, depth: depth + 1) }
            return make(.object(fields))
        }
        if let additional = schema["additionalProperties"], additional.mapValue != nil {
            return make(.map(node(additional, definitions: definitions, builtin: builtin, visiting: &visiting, depth: depth + 1)))
        }
        if let type = schema["type"]?.stringValue, type != "object" { return make(.scalar(type)) }
        return make(.any)
    }
}

/// Which schema strategic merge patches use: kustomize's built-in one
/// (optionally named by `openapi: {version: …}`) or a custom file. As in
/// kustomize, the first kustomization to set one (the top, then bases and
/// components in the order they load) sets it for the whole rendering.
enum SchemaChoice: Sendable {
    case builtin
    case custom(CustomSchema)

    /// The built-in versions kustomize v5.5 ships; Tether's table stands in for it.
    static let builtinVersions: Set<String> = ["v1.21.2"]

    func root(for object: Value) -> PatchSchema.Node? {
        switch self {
        case .builtin: PatchSchema.root(for: object)
        case .custom(let schema): schema.root(for: object) ?? (schema.addedToBuiltin ? PatchSchema.root(for: object) : nil)
        }
    }
}
