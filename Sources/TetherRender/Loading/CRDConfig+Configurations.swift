import TetherModel

/// `configurations:` files: kustomize's transformer configuration
/// (`namePrefix`, `nameSuffix`, `namespace`, `commonLabels`,
/// `templateLabels`, `labels` (for `labels` entries without selectors), `commonAnnotations`, `nameReference`, `varReference`,
/// `images`, `replicas`), each a list of field specs merged after
/// kustomize's built-in ones.
extension CRDConfig {
    /// Reads one `configurations` file.
    /// - Throws: ``RenderError`` (`invalidKustomization`) naming the field.
    static func parseConfiguration(_ text: String, file: String) throws -> CRDConfig {
        let documents: [YAMLDocument]
        do { documents = try YAMLDecoder(options: .init(recordPositions: true)).decode(text, file: file) } catch {
            throw RenderError.wrapping(error)
        }
        var config = CRDConfig()
        guard let document = documents.first else { return config }
        guard let root = document.value.mapValue else {
            throw RenderError(
                .invalidKustomization, "a transformer configuration must be a map, not \(document.value.typeDescription).", at: document.location)
        }
        // kustomize reads this file without strict field checking: other
        // keys are ignored there, and so here.
        var p = KustomizationParser(file: file, document: document)
        p.strict = false
        config.prefixes = try p.fieldSpecs(root["namePrefix"], "namePrefix")
        config.suffixes = try p.fieldSpecs(root["nameSuffix"], "nameSuffix")
        config.namespaces = try p.fieldSpecs(root["namespace"], "namespace")
        config.labels = try p.fieldSpecs(root["commonLabels"], "commonLabels")
        config.templateLabels = try p.fieldSpecs(root["templateLabels"], "templateLabels")
        config.metadataLabels = try p.fieldSpecs(root["labels"], "labels")
        config.annotations = try p.fieldSpecs(root["commonAnnotations"], "commonAnnotations")
        config.varReferences = try p.fieldSpecs(root["varReference"], "varReference")
        config.images = try p.fieldSpecs(root["images"], "images")
        config.replicas = try p.fieldSpecs(root["replicas"], "replicas")
        for (i, m) in try p.maps(root["nameReference"], "nameReference", known: ["group", "version", "kind", "fieldSpecs"]) {
            let at = "nameReference.\(i)"
            guard let kind = try p.string(m["kind"], at + ".kind") else { throw p.fail(at + ".kind", "is required.") }
            let target = FieldSpec(
                "", kind: kind, group: try p.string(m["group"], at + ".group"), version: try p.string(m["version"], at + ".version"), create: false)
            for referrer in try p.fieldSpecs(m["fieldSpecs"], at + ".fieldSpecs") { config.nameReferences.append((target, referrer)) }
        }
        return config
    }
}

extension FieldSpec {
    /// kustomize's merge of built-in and configured field specs: the
    /// configured ones, then each built-in one unless a configured spec has
    /// its path and one of the two selects the other's kind. So a configured
    /// `metadata/labels` for kind `Foo` replaces the built-in `metadata/labels`
    /// for every kind, as `kubectl kustomize` shows.
    /// - Throws: ``RenderError`` when two such specs disagree on `create`.
    static func merged(_ base: [FieldSpec], _ extra: [FieldSpec], file: String) throws -> [FieldSpec] {
        guard !extra.isEmpty else { return base }
        var out: [FieldSpec] = []
        for spec in extra + base {
            if let same = out.first(where: { $0.path == spec.path && ($0.selects(spec) || spec.selects($0)) }) {
                guard same.create == spec.create else {
                    throw RenderError(
                        .invalidKustomization, "field specs for '\(spec.path.joined(separator: "/"))' conflict on create (conflicting fieldspecs). Make them agree.",
                        file: file)
                }
                continue
            }
            out.append(spec)
        }
        return out
    }

    /// Whether this spec's group, version and kind (unset meaning any)
    /// select `other`'s.
    func selects(_ other: FieldSpec) -> Bool {
        (kind == nil || kind == other.kind) && (group == nil || group == other.group) && (version == nil || version == other.version)
    }
}
