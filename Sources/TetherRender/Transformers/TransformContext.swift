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
        if let namespace = k.namespace, !namespace.isEmpty { NamespaceTransformer(namespace: namespace).apply(&objects) }
        if k.namePrefix?.isEmpty == false || k.nameSuffix?.isEmpty == false {
            PrefixSuffixTransformer(prefix: k.namePrefix ?? "", suffix: k.nameSuffix ?? "").apply(&objects)
        }
        if !k.commonLabels.isEmpty {
            LabelTransformer(pairs: k.commonLabels, specs: LabelTransformer.commonLabelSpecs).apply(&objects)
        }
        for set in k.labels where !set.pairs.isEmpty {
            let specs: [FieldSpec]
            if set.includeSelectors {
                specs = LabelTransformer.commonLabelSpecs
            } else {
                specs = (set.includeTemplates ? LabelTransformer.templateLabelSpecs : []) + [FieldSpec("metadata/labels", create: true)]
            }
            LabelTransformer(pairs: set.pairs, specs: specs).apply(&objects)
        }
        if !k.commonAnnotations.isEmpty {
            LabelTransformer(pairs: k.commonAnnotations, specs: LabelTransformer.annotationSpecs).apply(&objects)
        }
        for rule in k.json6902 { try applyPatch(rule, to: &objects) }
        for rule in k.replicas { ReplicaTransformer(rule: rule).apply(&objects) }
        for rule in k.images { ImageTransformer(rule: rule).apply(&objects) }
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
