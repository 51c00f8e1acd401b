import TetherModel

/// What a generator or transformer of one kustomization needs: where files
/// are read from and which file to blame.
struct TransformContext {
    let build: Build
    let dir: String
    let file: String

    /// kustomize v5's builtin transformer order.
    func transform(_ k: Kustomization, _ objects: inout [RenderedObject]) throws {
        // Each step is one of kustomize's builtin transformers, recorded
        // under its kind for `buildMetadata: [transformerAnnotations]`.
        let strategicMerge = k.patches.filter(\.fromStrategicMergeList)
        for rule in strategicMerge { try applyPatch(rule, to: &objects) }
        if !strategicMerge.isEmpty { record("PatchStrategicMergeTransformer", &objects) }
        for rule in k.patches where !rule.fromStrategicMergeList {
            try applyPatch(rule, to: &objects)
            record("PatchTransformer", &objects)
        }
        let crd = build.crdConfig
        func specs(_ defaults: [FieldSpec], _ extra: [FieldSpec]) throws -> [FieldSpec] {
            try FieldSpec.merged(defaults, extra, file: file)
        }
        if let namespace = k.namespace, !namespace.isEmpty {
            try NamespaceTransformer(namespace: namespace, specs: specs(NamespaceTransformer.defaultSpecs, crd.namespaces)).apply(&objects)
            record("NamespaceTransformer", &objects)
        }
        // kustomize's PrefixTransformer, then its SuffixTransformer.
        if let prefix = k.namePrefix, !prefix.isEmpty {
            let fields = try specs(PrefixSuffixTransformer.defaultSpecs, crd.identities + crd.prefixes)
            PrefixSuffixTransformer(prefix: prefix, suffix: nil, specs: fields).apply(&objects)
            record("PrefixTransformer", &objects)
        }
        if let suffix = k.nameSuffix, !suffix.isEmpty {
            let fields = try specs(PrefixSuffixTransformer.defaultSpecs, crd.identities + crd.suffixes)
            PrefixSuffixTransformer(prefix: nil, suffix: suffix, specs: fields).apply(&objects)
            record("SuffixTransformer", &objects)
        }
        // As kustomize configures them: one LabelTransformer per `labels`
        // entry, then one for `commonLabels` (also when it is empty, so that
        // buildMetadata records it), once either field is set; a later
        // transformer's value wins for the same key.
        let commonLabelSpecs = try specs(LabelTransformer.commonLabelSpecs, crd.labels)
        if !k.labels.isEmpty || !k.commonLabels.isEmpty {
            for set in k.labels {
                var fields = set.fields
                if set.includeSelectors {
                    fields += commonLabelSpecs
                } else {
                    fields += try specs([FieldSpec("metadata/labels", create: true)], crd.metadataLabels)
                    if set.includeTemplates { fields += try specs(LabelTransformer.templateLabelSpecs, crd.templateLabels) }
                }
                if !set.pairs.isEmpty { LabelTransformer(pairs: set.pairs, specs: fields).apply(&objects) }
                record("LabelTransformer", &objects)
            }
            if !k.commonLabels.isEmpty { LabelTransformer(pairs: k.commonLabels, specs: commonLabelSpecs).apply(&objects) }
            record("LabelTransformer", &objects)
        }
        if !k.commonAnnotations.isEmpty {
            LabelTransformer(pairs: k.commonAnnotations, specs: try specs(LabelTransformer.annotationSpecs, crd.annotations)).apply(&objects)
            record("AnnotationsTransformer", &objects)
        }
        for rule in k.json6902 {
            try applyPatch(rule, to: &objects)
            record("PatchJson6902Transformer", &objects)
        }
        let replicaSpecs = try specs(ReplicaTransformer.defaultSpecs, crd.replicas)
        for rule in k.replicas {
            try ReplicaTransformer(rule: rule, specs: replicaSpecs).apply(&objects, file: file)
            record("ReplicaCountTransformer", &objects)
        }
        let imageSpecs = try specs(ImageTransformer.defaultSpecs, crd.images)
        for rule in k.images {
            try ImageTransformer(rule: rule, specs: imageSpecs).apply(&objects, file: file)
            record("ImageTagTransformer", &objects)
        }
        for entry in k.replacements {
            for (replacement, source) in try replacements(entry) {
                try ReplacementTransformer(replacement: replacement, file: source).apply(&objects)
            }
        }
        if !k.replacements.isEmpty { record("ReplacementTransformer", &objects) }
    }

    /// Records a builtin run from this kustomization's own fields.
    func record(_ kind: String, _ objects: inout [RenderedObject]) {
        record(PluginReference(file: file, kind: kind), &objects)
    }

    /// kustomize's `AddTransformerAnnotation`: every object present when a
    /// transformer ran records it.
    func record(_ by: PluginReference, _ objects: inout [RenderedObject]) {
        guard build.metadata.transformerAnnotations else { return }
        for i in objects.indices { objects[i].transformations.append(by) }
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
            // kustomize reads the file with sigs.k8s.io/yaml, which decodes
            // the first document only.
            guard let document = documents.first, !document.value.isNull, document.value.scalarText == nil else {
                throw RenderError(
                    .invalidKustomization,
                    "replacement file '\(path)' must hold one replacement (a map) or a list of them (kustomize: unsupported replacement type).",
                    file: source)
            }
            let parser = ReplacementParser(
                fail: { field, message in
                    RenderError(.invalidKustomization, "field '\(field)' \(message)", at: document.location(of: "/" + field.split(separator: ".").joined(separator: "/")))
                }, strict: false)
            return try parser.file(document.value).map { ($0, source) }
        }
    }

    func readText(_ entry: String, field: String) throws -> (path: String, text: String) {
        let path = try build.filePath(entry, dir: dir, file: file, field: field)
        return (path, try build.readText(path))
    }

    func readBytes(_ entry: String, field: String) throws -> (path: String, bytes: [UInt8]) {
        let path = try build.filePath(entry, dir: dir, file: file, field: field)
        let bytes = try build.fs.read(path, maxBytes: build.renderer.limits.maxFileBytes)
        try EncryptedFile.refuse(bytes, path: path)
        return (path, bytes)
    }
}
