import TetherModel

/// A parsed `kustomization.yaml` (or a `Component`): the fields Tether
/// implements, typed, with every other kustomize field refused by name.
package struct Kustomization: Sendable {
    /// Whether the file declares a `Kustomization` or a `Component`.
    package enum Kind: Sendable { case kustomization, component }

    /// A set of labels from the `labels` field.
    package struct LabelSet: Sendable {
        var pairs: [(String, String)]
        var includeSelectors: Bool
        var includeTemplates: Bool
        /// Extra places to write the labels (`fields`).
        var fields: [FieldSpec] = []
    }

    /// One entry of `images`.
    package struct ImageRule: Sendable {
        var name: String
        var newName: String?
        var newTag: String?
        var digest: String?
        var tagSuffix: String?
    }

    /// One entry of `replicas`.
    package struct ReplicaRule: Sendable {
        var name: String
        var count: Int
    }

    /// A `configMapGenerator` or `secretGenerator` entry.
    package struct GeneratorArgs: Sendable {
        enum Behavior: String, Sendable { case create, merge, replace }
        var name: String
        var namespace: String?
        var behavior: Behavior
        var literals: [String]
        var files: [String]
        var envs: [String]
        var type: String?
        var options: GeneratorOptions
    }

    /// `generatorOptions`, or a generator's own `options`.
    package struct GeneratorOptions: Sendable {
        var labels: [(String, String)] = []
        var annotations: [(String, String)] = []
        var disableNameSuffixHash: Bool?
        var immutable: Bool?
    }

    /// A patch selector (`target`).
    package struct Selector: Sendable {
        var group: String?
        var version: String?
        var kind: String?
        var name: String?
        var namespace: String?
        var labelSelector: String?
        var annotationSelector: String?
    }

    /// One patch from `patches`, `patchesStrategicMerge` or `patchesJson6902`.
    package struct PatchRule: Sendable {
        /// The patch file, when the patch is not inline.
        var path: String?
        var inline: String?
        var target: Selector?
        var allowNameChange = false
        var allowKindChange = false
        /// Set for `patchesJson6902`, which is always a JSON patch.
        var forceJSON6902 = false
        /// Set for `patchesStrategicMerge` entries (one transformer for all).
        var fromStrategicMergeList = false
    }

    package var kind: Kind = .kustomization
    package var resources: [String] = []
    package var components: [String] = []
    package var crds: [String] = []
    /// `configurations`: transformer configuration files.
    package var configurations: [String] = []
    /// `openapi`: a custom schema file, or a built-in version.
    var openAPIPath: String?
    var openAPIVersion: String?
    /// `buildMetadata`; only the top kustomization's counts.
    var buildMetadata = BuildMetadataOptions()
    package var namespace: String?
    package var namePrefix: String?
    package var nameSuffix: String?
    package var commonLabels: [(String, String)] = []
    package var labels: [LabelSet] = []
    package var commonAnnotations: [(String, String)] = []
    package var images: [ImageRule] = []
    package var replicas: [ReplicaRule] = []
    package var configMapGenerator: [GeneratorArgs] = []
    package var secretGenerator: [GeneratorArgs] = []
    package var generatorOptions = GeneratorOptions()
    package var patches: [PatchRule] = []
    /// `patchesJson6902`, which kustomize runs after labels and annotations.
    package var json6902: [PatchRule] = []
    package var fifoOrder = false
    /// `sortOptions.legacySortOptions`: kinds first and last, replacing
    /// kustomize's default lists.
    package var legacyOrder: (first: [String], last: [String])?
    /// `vars` (deprecated): `$(NAME)` substitutions resolved after names.
    var vars: [Variable] = []
    /// `replacements`, run after every other transformer.
    var replacements: [ReplacementEntry] = []
    /// `generators`, `transformers` and `validators`: plugin configurations
    /// as file or directory paths, or inline YAML documents.
    var generators: [String] = []
    var transformers: [String] = []
    var validators: [String] = []

    /// `helmCharts`, rendered by the renderer's ``ChartRenderer``.
    var helmCharts: [HelmChart] = []
    /// `helmGlobals.chartHome`, relative to the kustomization's directory (`charts` when nil).
    var helmChartHome: String?

    /// Fields kustomize v5.5 knows that Tether does not implement yet.
    static let unsupportedFields: Set<String> = [
        "helmChartInflationGenerator",
    ]
    static let knownFields: Set<String> = [
        "apiVersion", "kind", "metadata", "resources", "bases", "components", "crds", "namespace", "namePrefix",
        "nameSuffix", "commonLabels", "labels", "commonAnnotations", "images", "replicas", "configMapGenerator",
        "secretGenerator", "generatorOptions", "patches", "patchesStrategicMerge", "patchesJson6902",
        "sortOptions", "replacements", "vars", "generators", "transformers", "validators",
        "configurations", "buildMetadata", "openapi", "imageTags", "helmCharts", "helmGlobals",
    ]
}

/// Reads kustomization fields from a decoded YAML map, with errors naming
/// the field.
struct KustomizationParser {
    let file: String
    let root: Value
    /// The location of the node at a JSON pointer, for messages.
    let locate: (String) -> SourceLocation
    /// Whether unknown keys in nested maps are refused. kustomize reads
    /// kustomizations strictly, and plugin and transformer configurations
    /// without checking (unknown keys are ignored there).
    var strict = true

    init(file: String, document: YAMLDocument) {
        self.file = file
        root = document.value
        locate = document.location(of:)
    }

    /// A parser over a value that is not a whole document (a plugin
    /// configuration), whose errors point at `origin`.
    init(file: String, value: Value, origin: SourceLocation) {
        self.file = file
        root = value
        locate = { _ in origin }
    }

    func fail(_ field: String, _ message: String) -> RenderError {
        let pointer = "/" + field.split(separator: ".").joined(separator: "/")
        return RenderError(.invalidKustomization, "field '\(field)' \(message)", at: locate(pointer))
    }

    func strings(_ value: Value?, _ field: String) throws -> [String] {
        guard let value, !value.isNull else { return [] }
        guard let list = value.listValue else { throw fail(field, "must be a list of strings, not \(value.typeDescription).") }
        return try list.enumerated().map { i, item in
            guard let s = item.stringValue else {
                throw fail("\(field).\(i)", "must be a string, not \(item.typeDescription). Quote it.")
            }
            return s
        }
    }

    /// A string field; like kustomize, numbers and booleans are refused
    /// rather than converted.
    func string(_ value: Value?, _ field: String) throws -> String? {
        guard let value, !value.isNull else { return nil }
        guard let s = value.stringValue else {
            throw fail(field, "must be a string, not \(value.typeDescription). Quote it.")
        }
        return s
    }

    func bool(_ value: Value?, _ field: String) throws -> Bool? {
        guard let value, !value.isNull else { return nil }
        guard let b = value.boolValue else { throw fail(field, "must be true or false, not \(value.typeDescription).") }
        return b
    }

    func stringMap(_ value: Value?, _ field: String) throws -> [(String, String)] {
        guard let value, !value.isNull else { return [] }
        guard let map = value.mapValue else { throw fail(field, "must be a map of strings, not \(value.typeDescription).") }
        return try map.entries.map { e in
            guard let s = e.value.stringValue else {
                throw fail("\(field).\(e.key)", "must be a string, not \(e.value.typeDescription). Quote the value.")
            }
            return (e.key, s)
        }
    }

    func maps(_ value: Value?, _ field: String, known: Set<String>) throws -> [(Int, OrderedMap)] {
        guard let value, !value.isNull else { return [] }
        guard let list = value.listValue else { throw fail(field, "must be a list, not \(value.typeDescription).") }
        return try list.enumerated().map { i, item in
            guard let map = item.mapValue else { throw fail("\(field).\(i)", "must be a map, not \(item.typeDescription).") }
            if strict, let unknown = map.keys.first(where: { !known.contains($0) }) {
                throw fail("\(field).\(i).\(unknown)", "is not a known field. Remove it or check its spelling.")
            }
            return (i, map)
        }
    }

    func parse() throws -> Kustomization {
        guard let original = self.root.mapValue else {
            throw RenderError(
                .invalidKustomization, "the kustomization must be a map, not \(self.root.typeDescription).",
                at: locate(""))
        }
        let root = Self.canonicalKeys(original)
        for key in root.keys where !Kustomization.knownFields.contains(key) {
            if Kustomization.unsupportedFields.contains(key) {
                throw RenderError(
                    .unsupportedField, "field '\(key)' is not supported by tether yet. Remove it or render with kubectl kustomize.",
                    at: locate("/" + key))
            }
            throw RenderError(
                .invalidKustomization, "unknown field '\(key)'. Remove it or check its spelling.",
                at: locate("/" + JSONPointer.escape(key)))
        }
        if root.keys.allSatisfy({ ["apiVersion", "kind", "metadata"].contains($0) }) {
            throw RenderError(
                .invalidKustomization, "kustomization is empty. Add resources, generators or transformers.",
                at: locate(""))
        }
        var k = Kustomization()
        switch try string(root["kind"], "kind") {
        case nil, "Kustomization": k.kind = .kustomization
        case "Component": k.kind = .component
        case let other?:
            throw fail("kind", "is '\(other)'; a kustomization file must be of kind Kustomization or Component.")
        }
        // kustomize's EnforceFields.
        let required = k.kind == .component ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1"
        if let apiVersion = try string(root["apiVersion"], "apiVersion"), !apiVersion.isEmpty, apiVersion != required {
            throw fail(
                "apiVersion", "is '\(apiVersion)' (apiVersion for \(k.kind == .component ? "Component" : "Kustomization") should be \(required)). Set it to \(required).")
        }
        k.resources = try strings(root["resources"], "resources") + strings(root["bases"], "bases")
        k.components = try strings(root["components"], "components")
        k.crds = try strings(root["crds"], "crds")
        k.configurations = try strings(root["configurations"], "configurations")
        if let openapi = root["openapi"], !openapi.isNull {
            guard let m = openapi.mapValue else { throw fail("openapi", "must be a map with path or version.") }
            if let unknown = m.keys.first(where: { $0 != "path" && $0 != "version" }) {
                throw fail("openapi.\(unknown)", "is not a known field (path or version).")
            }
            k.openAPIPath = try string(m["path"], "openapi.path")
            k.openAPIVersion = try string(m["version"], "openapi.version")
        }
        for (i, option) in try strings(root["buildMetadata"], "buildMetadata").enumerated() {
            switch option {
            case "originAnnotations": k.buildMetadata.originAnnotations = true
            case "transformerAnnotations": k.buildMetadata.transformerAnnotations = true
            case "managedByLabel": k.buildMetadata.managedByLabel = true
            default:
                throw fail("buildMetadata.\(i)", "is '\(option)'; use originAnnotations, transformerAnnotations or managedByLabel.")
            }
        }
        k.namespace = try string(root["namespace"], "namespace")
        k.namePrefix = try string(root["namePrefix"], "namePrefix")
        k.nameSuffix = try string(root["nameSuffix"], "nameSuffix")
        k.commonLabels = try stringMap(root["commonLabels"], "commonLabels")
        k.commonAnnotations = try stringMap(root["commonAnnotations"], "commonAnnotations")
        for (i, m) in try maps(root["labels"], "labels", known: ["pairs", "includeSelectors", "includeTemplates", "fields"]) {
            k.labels.append(
                .init(
                    pairs: try stringMap(m["pairs"], "labels.\(i).pairs"),
                    includeSelectors: try bool(m["includeSelectors"], "labels.\(i).includeSelectors") ?? false,
                    includeTemplates: try bool(m["includeTemplates"], "labels.\(i).includeTemplates") ?? false,
                    fields: try fieldSpecs(m["fields"], "labels.\(i).fields")))
        }
        // The deprecated `imageTags` run after `images`, as kustomize's
        // FixKustomization appends them.
        for field in ["images", "imageTags"] {
            for (i, m) in try maps(root[field], field, known: ["name", "newName", "newTag", "digest", "tagSuffix"]) {
                let at = "\(field).\(i)"
                guard let name = try string(m["name"], at + ".name") else { throw fail(at + ".name", "is required.") }
                k.images.append(
                    .init(
                        name: name, newName: try string(m["newName"], at + ".newName"), newTag: try string(m["newTag"], at + ".newTag"),
                        digest: try string(m["digest"], at + ".digest"), tagSuffix: try string(m["tagSuffix"], at + ".tagSuffix")))
            }
        }
        for (i, m) in try maps(root["replicas"], "replicas", known: ["name", "count"]) {
            guard let name = try string(m["name"], "replicas.\(i).name") else { throw fail("replicas.\(i).name", "is required.") }
            guard let count = m["count"]?.intValue else { throw fail("replicas.\(i).count", "must be an integer.") }
            k.replicas.append(.init(name: name, count: count))
        }
        k.generatorOptions = try options(root["generatorOptions"], "generatorOptions")
        k.configMapGenerator = try generators(root["configMapGenerator"], "configMapGenerator")
        k.secretGenerator = try generators(root["secretGenerator"], "secretGenerator")
        try helm(into: &k)
        try parsePatches(root, into: &k)
        k.replacements = try ReplacementParser(fail: { fail($0, $1) }).entries(root["replacements"])
        if let sort = root["sortOptions"], !sort.isNull {
            guard let order = sort["order"]?.stringValue, ["legacy", "fifo"].contains(order) else {
                throw fail("sortOptions.order", "must be 'legacy' or 'fifo'.")
            }
            k.fifoOrder = order == "fifo"
            if let legacy = sort["legacySortOptions"], !legacy.isNull {
                guard !k.fifoOrder else {
                    throw fail("sortOptions.legacySortOptions", "is only allowed with order 'legacy'. Remove it or set order: legacy.")
                }
                k.legacyOrder = (
                    first: try strings(legacy["orderFirst"], "sortOptions.legacySortOptions.orderFirst"),
                    last: try strings(legacy["orderLast"], "sortOptions.legacySortOptions.orderLast"))
            }
        }
        k.vars = try vars(root["vars"])
        k.generators = try strings(root["generators"], "generators")
        k.transformers = try strings(root["transformers"], "transformers")
        k.validators = try strings(root["validators"], "validators")
        return k
    }

    /// kustomize reads a kustomization through Go's JSON decoder, which
    /// matches field names regardless of case (`nameprefix`, `NamePrefix`);
    /// a later spelling of a field replaces an earlier one.
    static func canonicalKeys(_ map: OrderedMap) -> OrderedMap {
        guard map.keys.contains(where: { !Kustomization.knownFields.contains($0) }) else { return map }
        var byLowercase: [String: String] = [:]
        for field in Kustomization.knownFields.union(Kustomization.unsupportedFields) { byLowercase[field.lowercased()] = field }
        var out = OrderedMap()
        for entry in map.entries {
            let key = Kustomization.knownFields.contains(entry.key) ? entry.key : byLowercase[entry.key.lowercased()] ?? entry.key
            out[key] = entry.value
        }
        return out
    }

    /// kustomize field specs: `path` plus optional `group`, `version`, `kind`, `create`.
    func fieldSpecs(_ value: Value?, _ field: String) throws -> [FieldSpec] {
        try maps(value, field, known: ["group", "version", "kind", "path", "create"]).map { i, m in
            guard let path = try string(m["path"], "\(field).\(i).path"), !path.isEmpty else {
                throw fail("\(field).\(i).path", "is required.")
            }
            return FieldSpec(
                path, kind: try string(m["kind"], "\(field).\(i).kind"), group: try string(m["group"], "\(field).\(i).group"),
                version: try string(m["version"], "\(field).\(i).version"),
                create: try bool(m["create"], "\(field).\(i).create") ?? false)
        }
    }

    func options(_ value: Value?, _ field: String) throws -> Kustomization.GeneratorOptions {
        guard let value, !value.isNull else { return .init() }
        guard let m = value.mapValue else { throw fail(field, "must be a map, not \(value.typeDescription).") }
        let known: Set<String> = ["labels", "annotations", "disableNameSuffixHash", "immutable"]
        if let unknown = m.keys.first(where: { !known.contains($0) }) {
            throw fail("\(field).\(unknown)", "is not a known field. Remove it or check its spelling.")
        }
        return .init(
            labels: try stringMap(m["labels"], field + ".labels"),
            annotations: try stringMap(m["annotations"], field + ".annotations"),
            disableNameSuffixHash: try bool(m["disableNameSuffixHash"], field + ".disableNameSuffixHash"),
            immutable: try bool(m["immutable"], field + ".immutable"))
    }

    func generators(_ value: Value?, _ field: String) throws -> [Kustomization.GeneratorArgs] {
        let known: Set<String> = ["name", "namespace", "behavior", "literals", "files", "envs", "env", "type", "options"]
        return try maps(value, field, known: known).map { i, m in
            let at = "\(field).\(i)"
            guard let name = try string(m["name"], at + ".name"), !name.isEmpty else { throw fail(at + ".name", "is required.") }
            // kustomize treats any other behavior as create.
            let behaviorText = try string(m["behavior"], at + ".behavior") ?? "create"
            let behavior = Kustomization.GeneratorArgs.Behavior(rawValue: behaviorText) ?? .create
            var envs = try strings(m["envs"], at + ".envs")
            if let env = try string(m["env"], at + ".env") { envs.append(env) }
            return .init(
                name: name, namespace: try string(m["namespace"], at + ".namespace"), behavior: behavior,
                literals: try strings(m["literals"], at + ".literals"), files: try strings(m["files"], at + ".files"),
                envs: envs, type: try string(m["type"], at + ".type"), options: try options(m["options"], at + ".options"))
        }
    }

    func selector(_ value: Value?, _ field: String) throws -> Kustomization.Selector? {
        guard let value, !value.isNull else { return nil }
        guard let m = value.mapValue else { throw fail(field, "must be a map, not \(value.typeDescription).") }
        let known: Set<String> = ["group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"]
        if let unknown = m.keys.first(where: { !known.contains($0) }) {
            throw fail("\(field).\(unknown)", "is not a known field. Remove it or check its spelling.")
        }
        return .init(
            group: try string(m["group"], field + ".group"), version: try string(m["version"], field + ".version"),
            kind: try string(m["kind"], field + ".kind"), name: try string(m["name"], field + ".name"),
            namespace: try string(m["namespace"], field + ".namespace"),
            labelSelector: try string(m["labelSelector"], field + ".labelSelector"),
            annotationSelector: try string(m["annotationSelector"], field + ".annotationSelector"))
    }

    func parsePatches(_ root: OrderedMap, into k: inout Kustomization) throws {
        for (i, m) in try maps(root["patches"], "patches", known: ["path", "patch", "target", "options"]) {
            var rule = Kustomization.PatchRule(
                path: try string(m["path"], "patches.\(i).path"), inline: try string(m["patch"], "patches.\(i).patch"),
                target: try selector(m["target"], "patches.\(i).target"))
            if let o = m["options"] {
                rule.allowNameChange = try bool(o["allowNameChange"], "patches.\(i).options.allowNameChange") ?? false
                rule.allowKindChange = try bool(o["allowKindChange"], "patches.\(i).options.allowKindChange") ?? false
            }
            if (rule.path == nil) == (rule.inline == nil) {
                throw fail("patches.\(i)", "must have exactly one of 'path' and 'patch'.")
            }
            k.patches.append(rule)
        }
        // patchesStrategicMerge entries are file paths or inline patches;
        // kustomize runs them before `patches`.
        var smp: [Kustomization.PatchRule] = []
        for entry in try strings(root["patchesStrategicMerge"], "patchesStrategicMerge") {
            let isInline = entry.contains("\n") || entry.hasPrefix("{")
            var rule = Kustomization.PatchRule(path: isInline ? nil : entry, inline: isInline ? entry : nil)
            rule.fromStrategicMergeList = true
            smp.append(rule)
        }
        k.patches = smp + k.patches
        for (i, m) in try maps(root["patchesJson6902"], "patchesJson6902", known: ["path", "patch", "target"]) {
            guard let target = try selector(m["target"], "patchesJson6902.\(i).target") else {
                throw fail("patchesJson6902.\(i).target", "is required.")
            }
            var rule = Kustomization.PatchRule(
                path: try string(m["path"], "patchesJson6902.\(i).path"),
                inline: try string(m["patch"], "patchesJson6902.\(i).patch"), target: target)
            rule.forceJSON6902 = true
            k.json6902.append(rule)
        }
    }
}
