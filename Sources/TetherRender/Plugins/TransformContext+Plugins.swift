import TetherModel

/// Running builtin plugins: generators add objects (creating, merging or
/// replacing as kustomize's accumulator does), transformers change them,
/// and validators must leave them as they are.
extension TransformContext {
    func generate(_ plugins: [(plugin: BuiltinPlugin, by: PluginReference)], into objects: inout [RenderedObject]) throws {
        for (plugin, by) in plugins {
            switch plugin {
            case .configMap(let args): try generate(args, secret: false, global: .init(), by: by, into: &objects)
            case .secret(let args): try generate(args, secret: true, global: .init(), by: by, into: &objects)
            case .iamPolicy(let generator):
                var object = generator.generate(file: file)
                object.generatedBy = by
                try Build.append(object, to: &objects, file: file)
            default:
                throw RenderError(
                    .invalidKustomization, "generators: a transformer plugin is listed as a generator. Move it to transformers.", file: file)
            }
        }
    }

    func transform(_ plugins: [(plugin: BuiltinPlugin, by: PluginReference)], _ objects: inout [RenderedObject]) throws {
        for (plugin, by) in plugins {
            try run(plugin, &objects)
            record(by, &objects)
        }
    }

    /// Runs each validator on a copy and fails when it would change anything
    /// (kustomize: "validator shouldn't modify the resource map").
    func validate(_ plugins: [(plugin: BuiltinPlugin, by: PluginReference)], _ objects: [RenderedObject]) throws {
        for (plugin, _) in plugins {
            var copy = objects
            try run(plugin, &copy)
            guard copy.map(\.resource.value) == objects.map(\.resource.value) else {
                throw RenderError(
                    .invalidKustomization, "validators: a validator changed the objects (validator shouldn't modify the resource map). List it under transformers instead.",
                    file: file)
            }
        }
    }

    private func run(_ plugin: BuiltinPlugin, _ objects: inout [RenderedObject]) throws {
        switch plugin {
        case .labels(let t): t.apply(&objects)
        case .namespace(let t): try t.apply(&objects)
        case .prefixSuffix(let t): t.apply(&objects)
        case .image(let t): try t.apply(&objects, file: file)
        case .replicas(let t): try t.apply(&objects, file: file)
        case .patches(let rules): for rule in rules { try applyPatch(rule, to: &objects) }
        case .replacements(let entries):
            for entry in entries {
                for (replacement, source) in try replacements(entry) {
                    try ReplacementTransformer(replacement: replacement, file: source).apply(&objects)
                }
            }
        case .valueAdd(let t): try t.apply(&objects, context: self)
        case .hash: try ContentHash.addSuffixes(&objects)
        case .configMap, .secret, .iamPolicy:
            throw RenderError(
                .invalidKustomization, "transformers: a generator plugin is listed as a transformer. Move it to generators.", file: file)
        }
    }
}
