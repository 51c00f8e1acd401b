package import TetherModel

/// Renders a kustomization directory the way `kubectl kustomize` (v5.5)
/// does, reading only through a ``FileSystem``.
///
/// The pipeline per kustomization is kustomize's: accumulate `resources`
/// (recursing into directories), then `components`, then generators, then
/// transformers (patches, namespace, prefix and suffix, labels, annotations,
/// JSON 6902 patches, replicas, images). At the top only, generated names
/// get their content hash, references to renamed objects are fixed and the
/// output is sorted.
package struct Renderer: Sendable {
    /// Bounds that keep hostile input from exhausting memory or time.
    package struct Limits: Sendable {
        /// Largest file read, in bytes.
        package var maxFileBytes = 16 << 20
        /// Most objects in one rendering.
        package var maxObjects = 50_000
        /// Most bytes read in one rendering (a file counts once per
        /// inclusion), and most bytes of output: bounds memory when a large
        /// file is included through many bases.
        package var maxTotalBytes = 256 << 20
        /// Most kustomizations (counting repeats) expanded in one rendering.
        package var maxKustomizations = 2_000
        /// Deepest chain of kustomizations.
        package var maxDepth = 100
        package init() {}
    }

    package var fileSystem: any FileSystem
    package var limits: Limits
    /// Renders the charts a kustomization's `helmCharts` names; `nil` refuses `helmCharts`.
    package var chartRenderer: (any ChartRenderer)?

    /// Creates a renderer reading from `fileSystem`.
    /// - Parameter chartRenderer: the Helm engine for `helmCharts` (the executable supplies
    ///   one); without it a kustomization with `helmCharts` is refused.
    package init(fileSystem: any FileSystem, limits: Limits = Limits(), chartRenderer: (any ChartRenderer)? = nil) {
        self.fileSystem = fileSystem
        self.limits = limits
        self.chartRenderer = chartRenderer
    }

    /// Renders the kustomization in `directory` (relative to the root).
    /// - Returns: the objects in output order.
    /// - Throws: ``RenderError`` for the first problem found, with the file
    ///   relative to the root.
    package func render(_ directory: String) throws(RenderError) -> [Resource] {
        do {
            guard let dir = RootedPath.join("", directory) else {
                throw RenderError(.outsideRoot, "path is outside the root. Give a directory inside it.", file: directory)
            }
            var build = Build(renderer: self)
            let target = try build.loadKustomization(dir, chain: [])
            build.metadata = target.kustomization.buildMetadata
            try build.chooseSchema(target.kustomization, dir: dir, file: target.file)
            build.metadata.top = dir
            let expansions = build.expansionCount(dir, cap: limits.maxKustomizations + 1)
            guard expansions <= limits.maxKustomizations else {
                throw RenderError(
                    .limitExceeded,
                    "rendering would expand more than \(limits.maxKustomizations) kustomizations (bases are included many times over, as in a deep diamond). Include each base fewer times.",
                    file: target.file)
            }
            var objects = try build.accumulate(dir, target.kustomization, file: target.file, into: [], chain: [dir])
            try ContentHash.addSuffixes(&objects)
            try NameReference.fix(&objects, extra: build.crdConfig.nameReferences)
            try Variables.resolve(build.declaredVars, in: &objects, extraSpecs: build.crdConfig.varReferences)
            // kustomize's IgnoreLocal: objects marked local-config are
            // inputs to the build (name sources, plugin data), not output.
            objects.removeAll { $0.resource.value[path: ["metadata", "annotations", "config.kubernetes.io/local-config"]]?.scalarText == "true" }
            build.metadata.annotate(&objects)
            var resources = objects.map(\.resource)
            for i in resources.indices { Self.stringifyAnnotations(&resources[i]) }
            let k = target.kustomization
            if k.fifoOrder { return resources }
            if let custom = k.legacyOrder { return Self.legacySorted(resources, first: custom.first, last: custom.last) }
            return Self.legacySorted(resources)
        } catch let error as RenderError {
            throw error
        } catch let error as ModelError {
            throw RenderError.wrapping(error)
        } catch {
            throw RenderError(.invalidKustomization, "\(error)", file: directory, cause: error)
        }
    }

    /// Renders and encodes the stream exactly as `kubectl kustomize` prints it.
    /// - Throws: ``RenderError``.
    package func renderText(_ directory: String) throws(RenderError) -> String {
        let resources = try render(directory)
        let text: String
        do { text = try Resource.encodeStream(resources) } catch { throw RenderError.wrapping(error) }
        guard text.utf8.count <= limits.maxTotalBytes else {
            throw RenderError(
                .limitExceeded, "the output would be larger than \(limits.maxTotalBytes) bytes. Split the kustomization.", file: directory)
        }
        return text
    }

    /// kustomize rewrites every object's annotations as a string map when it
    /// strips its build annotations at the end, so `x: 5` prints as `x: "5"`
    /// (labels keep their type).
    static func stringifyAnnotations(_ resource: inout Resource) {
        // An empty, null or malformed annotations field is dropped, as
        // kustomize rewrites annotations as a (possibly empty) string map.
        if let field = resource.value[path: ["metadata", "annotations"]], field.mapValue?.isEmpty != false {
            resource.value["metadata"]?["annotations"] = nil
            return
        }
        guard case .map(let annotations)? = resource.value[path: ["metadata", "annotations"]],
            annotations.values.contains(where: { if case .string = $0 { return false } else { return $0.scalarText != nil && !$0.isNull } })
        else { return }
        var fixed = annotations
        for entry in annotations.entries {
            if case .string = entry.value { continue }
            if !entry.value.isNull, let text = entry.value.scalarText { fixed[entry.key] = .string(text) }
        }
        resource.value["metadata"]?["annotations"] = .map(fixed)
    }

    /// kustomize's legacy order with `legacySortOptions`: the listed kinds
    /// first and last in list order, the rest between, each group ordered
    /// by group, version and kind, then namespace and name.
    static func legacySorted(_ resources: [Resource], first: [String], last: [String]) -> [Resource] {
        var priority: [String: Int] = [:]
        for (i, kind) in first.enumerated() { priority[kind] = -first.count + i }
        for (i, kind) in last.enumerated() { priority[kind] = 1 + i }
        return sorted(resources) { priority[$0.kind] ?? 0 }
    }

    /// kustomize's default legacy order (``ResourceID/legacyOrder``).
    static func legacySorted(_ resources: [Resource]) -> [Resource] {
        sorted(resources) { $0.legacyPriority }
    }

    /// A stable sort by kind priority, then group, version and kind, then
    /// namespace (none last) and name, with every key computed once.
    private static func sorted(_ resources: [Resource], priority: (GroupVersionKind) -> Int) -> [Resource] {
        struct Key {
            var priority: Int
            var type, namespace, name: String
            var offset: Int
        }
        let keys = resources.enumerated().map { offset, r in
            let gvk = r.gvk, namespace = r.namespace
            return Key(priority: priority(gvk), type: gvk.legacySortKey, namespace: namespace.isEmpty ? "~X" : namespace, name: r.name, offset: offset)
        }
        return keys.sorted { a, b in
            if a.priority != b.priority { return a.priority < b.priority }
            if a.type != b.type { return a.type.utf8.lexicographicallyPrecedes(b.type.utf8) }
            if a.namespace != b.namespace { return a.namespace.utf8.lexicographicallyPrecedes(b.namespace.utf8) }
            if a.name != b.name { return a.name.utf8.lexicographicallyPrecedes(b.name.utf8) }
            return a.offset < b.offset
        }.map { resources[$0.offset] }
    }
}
