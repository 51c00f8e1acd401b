import TetherModel

/// What a generator or transformer of one kustomization needs: where files
/// are read from and which file to blame.
struct TransformContext {
    let build: Build
    let dir: String
    let file: String

    /// kustomize v5's builtin transformer order.
    func transform(_ k: Kustomization, _ objects: inout [RenderedObject]) throws {
        for rule in k.patches { try applyPatch(rule, to: &objects) }
        let crd = build.crdConfig
        func specs(_ defaults: [FieldSpec], _ extra: [FieldSpec]) throws -> [FieldSpec] {
            try FieldSpec.merged(defaults, extra, file: file)
        }
        if let namespace = k.namespace, !namespace.isEmpty {
            try NamespaceTransformer(namespace: namespace, specs: specs(NamespaceTransformer.defaultSpecs, crd.namespaces)).apply(&objects)
        }
        // kustomize's PrefixTransformer, then its SuffixTransformer.
        if let prefix = k.namePrefix, !prefix.isEmpty {
            let fields = try specs(PrefixSuffixTransformer.defaultSpecs, crd.identities + crd.prefixes)
            PrefixSuffixTransformer(prefix: prefix, suffix: nil, specs: fields).apply(&objects)
        }
        if let suffix = k.nameSuffix, !suffix.isEmpty {
            let fields = try specs(PrefixSuffixTransformer.defaultSpecs, crd.identities + crd.suffixes)
            PrefixSuffixTransformer(prefix: nil, suffix: suffix, specs: fields).apply(&objects)
        }
        let commonLabelSpecs = try specs(LabelTransformer.commonLabelSpecs, crd.labels)
        if !k.commonLabels.isEmpty {
            LabelTransformer(pairs: k.commonLabels, specs: commonLabelSpecs).apply(&objects)
        }
        for set in k.labels where !set.pairs.isEmpty {
            var fields = set.fields
            if set.includeSelectors {
                fields += commonLabelSpecs
            } else {
                fields += [FieldSpec("metadata/labels", create: true)]
                if set.includeTemplates { fields += try specs(LabelTransformer.templateLabelSpecs, crd.templateLabels) }
            }
            LabelTransformer(pairs: set.pairs, specs: fields).apply(&objects)
        }
        if !k.commonAnnotations.isEmpty {
            LabelTransformer(pairs: k.commonAnnotations, specs: try specs(LabelTransformer.annotationSpecs, crd.annotations)).apply(&objects)
        }
        for rule in k.json6902 { try applyPatch(rule, to: &objects) }
        let replicaSpecs = try specs(ReplicaTransformer.defaultSpecs, crd.replicas)
        for rule in k.replicas { try ReplicaTransformer(rule: rule, specs: replicaSpecs).apply(&objects, file: file) }
        let imageSpecs = try specs(ImageTransformer.defaultSpecs, crd.images)
        for rule in k.images { ImageTransformer(rule: rule, specs: imageSpecs).apply(&objects) }
        for entry in k.replacements {
            for (replacement, source) in try replacements(entry) {
                try ReplacementTransformer(replacement: replacement, file: source).apply(&objects)
            }
        }
    }

    /// The replacements an entry stands for, with the file each came from.
    func replacements(_ entry: ReplacementEntry) throws -> [(Replacement, String)] {
        switch entry {
        case .inline(let r):
            return [(r, file)]
        case .file(let path):
            let (source, text) = try readText(path, field: "replacements")
            let documents: [YAMLDocument]
            do { documents = try YAMLDecoder(options: .init(recordPositions: true)).decode(text, file: source) } catch {
                throw RenderError.wrapping(error)
            }
            var out: [(Replacement, String)] = []
            for document in documents where !document.value.isNull {
                let parser = ReplacementParser { field, message in
                    RenderError(.invalidKustomization, "field '\(field)' \(message)", at: document.location(of: "/" + field.split(separator: ".").joined(separator: "/")))
                }
                out += try parser.file(document.value).map { ($0, source) }
            }
            return out
        }
    }

    func readText(_ entry: String, field: String) throws -> (path: String, text: String) {
        let path = try build.filePath(entry, dir: dir, file: file, field: field)
        return (path, try build.readText(path))
    }

    func readBytes(_ entry: String, field: String) throws -> (path: String, bytes: [UInt8]) {
        let path = try build.filePath(entry, dir: dir, file: file, field: field)
        return (path, try build.fs.read(path, maxBytes: build.renderer.limits.maxFileBytes))
    }
}
