import TetherModel

/// What the `crds` field adds to the transformer configuration, read from
/// OpenAPI definitions as kustomize's `LoadConfigFromCRDs` does: properties
/// marked `x-kubernetes-annotation` take `commonAnnotations`,
/// `x-kubernetes-label-selector` take `commonLabels`, `x-kubernetes-identity`
/// take the name prefix and suffix, and `x-kubernetes-object-ref-kind` (with
/// `-api-version` and optional `-name-key`) are name references.
///
/// The same type holds what `configurations:` files add
/// (`CRDConfig+Configurations.swift`): together, kustomize's accumulated
/// transformer configuration beyond its built-in field specs.
struct CRDConfig: Sendable {
    var labels: [FieldSpec] = []
    var annotations: [FieldSpec] = []
    /// Fields that take both the name prefix and the name suffix.
    var identities: [FieldSpec] = []
    var prefixes: [FieldSpec] = []
    var suffixes: [FieldSpec] = []
    var namespaces: [FieldSpec] = []
    var templateLabels: [FieldSpec] = []
    /// Where `labels` entries without `includeSelectors` write, beyond
    /// `metadata/labels`.
    var metadataLabels: [FieldSpec] = []
    var varReferences: [FieldSpec] = []
    var images: [FieldSpec] = []
    var replicas: [FieldSpec] = []
    /// Extra name-reference entries: the referred kind and version, and where.
    var nameReferences: [(target: FieldSpec, referrer: FieldSpec)] = []

    mutating func merge(_ other: CRDConfig) {
        labels += other.labels
        annotations += other.annotations
        identities += other.identities
        prefixes += other.prefixes
        suffixes += other.suffixes
        namespaces += other.namespaces
        templateLabels += other.templateLabels
        metadataLabels += other.metadataLabels
        varReferences += other.varReferences
        images += other.images
        replicas += other.replicas
        nameReferences += other.nameReferences
    }

    /// Reads one `crds` file: a map from Go type names to definitions
    /// (`Schema.properties`, `$ref` between them), JSON or YAML.
    static func parse(_ text: String, file: String) throws -> CRDConfig {
        let documents: [YAMLDocument]
        do { documents = try YAMLDecoder().decode(text, file: file) } catch { throw RenderError.wrapping(error) }
        guard let definitions = documents.first?.value.mapValue else {
            throw RenderError(.invalidKustomization, "is not an OpenAPI definition map (unable to parse open API definition). Fix the file.", file: file)
        }
        var config = CRDConfig()
        for entry in definitions.entries {
            guard let properties = entry.value[path: ["Schema", "properties"]]?.mapValue,
                properties["kind"] != nil, properties["apiVersion"] != nil, properties["metadata"] != nil
            else { continue }
            let parts = entry.key.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 3 else {
                throw RenderError(
                    .invalidKustomization, "type '\(entry.key)' must be named in dot notation, group.version.kind. Rename it.", file: file)
            }
            var visited = Set<String>()
            config.load(kind: String(parts.last!), definitions: definitions, typeName: entry.key, path: [], visited: &visited)
        }
        return config
    }

    private mutating func load(kind: String, definitions: OrderedMap, typeName: String, path: [String], visited: inout Set<String>) {
        guard let properties = definitions[typeName]?[path: ["Schema", "properties"]]?.mapValue,
            visited.insert(typeName + "\u{0}" + path.joined(separator: "/")).inserted, path.count < 64
        else { return }
        for property in properties.entries {
            let here = path + [property.key]
            func spec(_ p: [String]) -> FieldSpec { FieldSpec(p.joined(separator: "/"), kind: kind, create: false) }
            let p = property.value
            if p["x-kubernetes-annotation"]?.stringValue != nil { annotations.append(spec(here)) }
            if p["x-kubernetes-label-selector"]?.stringValue != nil { labels.append(spec(here)) }
            if p["x-kubernetes-identity"]?.stringValue != nil { identities.append(spec(here)) }
            if let version = p["x-kubernetes-object-ref-api-version"]?.stringValue, let refKind = p["x-kubernetes-object-ref-kind"]?.stringValue {
                let nameKey = p["x-kubernetes-object-ref-name-key"]?.stringValue ?? "name"
                nameReferences.append((FieldSpec("", kind: refKind, version: version, create: false), spec(here + [nameKey])))
            }
            if let ref = p["$ref"]?.stringValue, !ref.isEmpty {
                load(kind: kind, definitions: definitions, typeName: ref, path: here, visited: &visited)
            }
        }
    }
}
