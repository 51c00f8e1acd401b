import TetherModel

/// A builtin kustomize plugin configured by a document with `apiVersion:
/// builtin` in `generators:`, `transformers:` or `validators:`. Each case
/// drives the same code as the kustomization field it stands for, with the
/// configuration's own `fieldSpecs` in place of kustomize's defaults.
///
/// As kustomize's builtins do (they read their configuration with a
/// non-strict YAML reader), fields a builtin does not know are ignored.
enum BuiltinPlugin {
    case labels(LabelTransformer)
    case namespace(NamespaceTransformer)
    case prefixSuffix(PrefixSuffixTransformer)
    case image(ImageTransformer)
    case replicas(ReplicaTransformer)
    case patches([Kustomization.PatchRule])
    case replacements([ReplacementEntry])
    case valueAdd(ValueAddTransformer)
    case hash
    case configMap(Kustomization.GeneratorArgs)
    case secret(Kustomization.GeneratorArgs)
    case iamPolicy(IAMPolicyGenerator)

    /// Whether the plugin produces objects rather than changing them.
    var isGenerator: Bool {
        switch self {
        case .configMap, .secret, .iamPolicy: true
        default: false
        }
    }

    /// Reads a plugin configuration object.
    /// - Throws: ``RenderError`` (`unsupportedField`) for a plugin that is
    ///   not a builtin (Tether never runs programs) or for Helm, and
    ///   (`invalidKustomization`) for a malformed configuration.
    static func parse(_ config: Resource, field: String) throws -> BuiltinPlugin {
        let kind = config.kind
        let origin = config.origin ?? SourceLocation(file: "")
        let where_ = "\(field): \(kind) '\(config.name)'"
        guard config.gvk.group.isEmpty, config.gvk.version == "builtin" else {
            let style =
                config.value[path: ["metadata", "annotations", "config.kubernetes.io/function"]] != nil
                ? "a KRM function (container or exec)" : "an external plugin (exec or Go)"
            throw RenderError(
                .unsupportedField,
                "\(where_) (apiVersion \(config.apiVersion)) is \(style); tether never runs programs while rendering. Use a builtin (apiVersion: builtin) or render with kubectl kustomize.",
                at: origin)
        }
        var p = KustomizationParser(file: origin.file, value: config.value, origin: origin)
        p.strict = false
        let root = config.value
        func specs() throws -> [FieldSpec] { try p.fieldSpecs(root["fieldSpecs"], "fieldSpecs") }
        switch kind {
        case "LabelTransformer", "AnnotationsTransformer":
            let key = kind == "LabelTransformer" ? "labels" : "annotations"
            return .labels(LabelTransformer(pairs: try p.stringMap(root[key], key), specs: try specs()))
        case "NamespaceTransformer":
            var t = NamespaceTransformer(namespace: config.namespace, specs: try specs())
            t.unsetOnly = try p.bool(root["unsetOnly"], "unsetOnly") ?? false
            let subjects = try p.string(root["setRoleBindingSubjects"], "setRoleBindingSubjects") ?? ""
            guard let policy = subjects.isEmpty ? .defaultOnly : NamespaceTransformer.SubjectPolicy(rawValue: subjects) else {
                throw p.fail("setRoleBindingSubjects", "is '\(subjects)'; use none, defaultOnly or allServiceAccounts.")
            }
            t.subjects = policy
            return .namespace(t)
        case "PrefixSuffixTransformer", "PrefixTransformer", "SuffixTransformer":
            let prefix = kind == "SuffixTransformer" ? nil : try p.string(root["prefix"], "prefix") ?? ""
            let suffix = kind == "PrefixTransformer" ? nil : try p.string(root["suffix"], "suffix") ?? ""
            return .prefixSuffix(PrefixSuffixTransformer(prefix: prefix, suffix: suffix, specs: try specs()))
        case "ImageTagTransformer":
            let m = root["imageTag"] ?? .null
            guard let name = try p.string(m["name"], "imageTag.name") else { throw p.fail("imageTag.name", "is required.") }
            let rule = Kustomization.ImageRule(
                name: name, newName: try p.string(m["newName"], "imageTag.newName"), newTag: try p.string(m["newTag"], "imageTag.newTag"),
                digest: try p.string(m["digest"], "imageTag.digest"), tagSuffix: try p.string(m["tagSuffix"], "imageTag.tagSuffix"))
            return .image(ImageTransformer(rule: rule, specs: try specs()))
        case "ReplicaCountTransformer":
            let m = root["replica"] ?? .null
            guard let name = try p.string(m["name"], "replica.name") else { throw p.fail("replica.name", "is required.") }
            let count = m["count"]?.intValue ?? 0
            return .replicas(ReplicaTransformer(rule: .init(name: name, count: count), specs: try specs()))
        case "PatchTransformer":
            var rule = Kustomization.PatchRule(
                path: try p.string(root["path"], "path"), inline: try p.string(root["patch"], "patch"),
                target: try p.selector(root["target"], "target"))
            if let o = root["options"] {
                rule.allowNameChange = try p.bool(o["allowNameChange"], "options.allowNameChange") ?? false
                rule.allowKindChange = try p.bool(o["allowKindChange"], "options.allowKindChange") ?? false
            }
            if (rule.path == nil) == (rule.inline == nil) {
                throw p.fail("path", "or 'patch' must be given, and not both (PatchTransformer).")
            }
            return .patches([rule])
        case "PatchStrategicMergeTransformer":
            var rules = try p.strings(root["paths"], "paths").map { Kustomization.PatchRule(path: $0) }
            if let inline = try p.string(root["patches"], "patches"), !inline.isEmpty { rules.append(.init(inline: inline)) }
            guard !rules.isEmpty else { throw p.fail("paths", "or 'patches' must be given (empty PatchStrategicMergeTransformer).") }
            return .patches(rules)
        case "PatchJson6902Transformer":
            guard let target = try p.selector(root["target"], "target") else { throw p.fail("target", "is required.") }
            var rule = Kustomization.PatchRule(path: try p.string(root["path"], "path"), inline: try p.string(root["jsonOp"], "jsonOp"), target: target)
            rule.forceJSON6902 = true
            if (rule.path == nil) == (rule.inline == nil) { throw p.fail("path", "or 'jsonOp' must be given, and not both.") }
            return .patches([rule])
        case "ReplacementTransformer":
            return .replacements(try ReplacementParser(fail: { p.fail($0, $1) }, strict: false).entries(root["replacements"]))
        case "ValueAddTransformer":
            return .valueAdd(try ValueAddTransformer.parse(root, parser: p))
        case "HashTransformer":
            return .hash
        case "ConfigMapGenerator", "SecretGenerator":
            // The arguments sit beside `metadata`, whose name and namespace
            // stand in for missing `name` and `namespace`.
            var args = root.mapValue ?? OrderedMap()
            for key in ["apiVersion", "kind", "metadata"] { args.removeValue(forKey: key) }
            if args["name"] == nil { args["name"] = root[path: ["metadata", "name"]] }
            if args["namespace"] == nil, let ns = root[path: ["metadata", "namespace"]] { args["namespace"] = ns }
            let known: Set<String> = ["name", "namespace", "behavior", "literals", "files", "envs", "env", "type", "options"]
            for key in args.keys where !known.contains(key) { args.removeValue(forKey: key) }
            guard let parsed = try p.generators(.list([.map(args)]), kind).first else { throw p.fail("name", "is required.") }
            return kind == "SecretGenerator" ? .secret(parsed) : .configMap(parsed)
        case "IAMPolicyGenerator":
            return .iamPolicy(try IAMPolicyGenerator.parse(root, parser: p))
        case "HelmChartInflationGenerator":
            throw RenderError(
                .unsupportedField,
                "\(where_): HelmChartInflationGenerator as a generator configuration is not supported by tether. List the chart under the kustomization's helmCharts field instead.",
                at: origin)
        default:
            // SortOrderTransformer is a builtin kustomize v5.5 cannot load
            // from a configuration either; use sortOptions.
            throw RenderError(
                .invalidKustomization,
                "\(where_): '\(kind)' is not a builtin plugin kustomize can load (unable to load builtin \(kind).builtin.[noGrp]). Use a loadable builtin such as LabelTransformer or PatchTransformer\(kind == "SortOrderTransformer" ? ", or the sortOptions field" : "").",
                at: origin)
        }
    }
}
