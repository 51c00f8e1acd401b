import TetherModel

/// Loading the plugin configurations a kustomization lists under
/// `generators:`, `transformers:` and `validators:`.
extension Build {
    /// The configured plugins of one of those fields, in kustomize's order:
    /// inline documents first, then the files and directories (a directory
    /// is built as a kustomization whose objects are the configurations).
    mutating func plugins(
        _ entries: [String], field: String, dir: String, file: String, chain: [String]
    ) throws -> [(plugin: BuiltinPlugin, by: PluginReference)] {
        guard !entries.isEmpty else { return [] }
        var configs: [RenderedObject] = []
        var paths: [String] = []
        for entry in entries {
            // kustomize tries each entry as YAML objects first and takes it
            // as a path when that fails.
            if let inline = Self.inlineObjects(entry, file: file) {
                configs.append(contentsOf: inline.map { RenderedObject($0) })
            } else {
                paths.append(entry)
            }
        }
        // A kustomization of plugin configurations has its own transformer
        // configuration, which does not reach this one.
        let outer = crdConfig
        defer { crdConfig = outer }
        var ids: Set<ResourceID>?
        for entry in paths {
            try addResource(entry, dir: dir, file: file, chain: chain, to: &configs, ids: &ids)
        }
        return try configs.map { config in
            let r = config.resource
            let by = PluginReference(file: r.origin?.file ?? file, kind: r.kind, name: r.name, namespace: r.namespace)
            return (try BuiltinPlugin.parse(r, field: field), by)
        }
    }

    /// The objects an inline entry holds, or nil when it is not one (a path).
    private static func inlineObjects(_ entry: String, file: String) -> [Resource]? {
        guard entry.contains("\n") || entry.contains(": ") else { return nil }
        guard let objects = try? Resource.decodeStream(entry, file: file), !objects.isEmpty else { return nil }
        return objects
    }
}
