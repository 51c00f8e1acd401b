import TetherModel

/// Which builtin configured a generator or transformer, and where: one
/// `configuredIn`/`configuredBy` entry of kustomize's
/// `config.kubernetes.io/origin` and `alpha.config.kubernetes.io/transformations`
/// annotations.
struct PluginReference: Sendable, Hashable {
    /// The file (relative to the root) holding the configuration: the
    /// kustomization for its own fields, else the plugin configuration.
    var file: String
    var kind: String
    /// The plugin configuration's `metadata.name` and `metadata.namespace`.
    var name: String?
    var namespace: String?

    /// The entry as kustomize prints it, indented by `indent` spaces, with
    /// `configuredIn` relative to the top kustomization's directory.
    func yaml(top: String, indent: String, first: String) -> String {
        var out = first + "configuredIn: " + RootedPath.relative(file, from: top) + "\n"
        out += indent + "configuredBy:\n"
        out += indent + "  apiVersion: builtin\n"
        out += indent + "  kind: " + kind + "\n"
        if let name, !name.isEmpty { out += indent + "  name: " + name + "\n" }
        if let namespace, !namespace.isEmpty { out += indent + "  namespace: " + namespace + "\n" }
        return out
    }
}

/// `buildMetadata`: what the top kustomization asks to be recorded.
struct BuildMetadataOptions: Sendable {
    var originAnnotations = false
    var transformerAnnotations = false
    var managedByLabel = false
    /// The top kustomization's directory, which recorded paths are relative to.
    var top = ""

    static let originKey = "config.kubernetes.io/origin"
    static let transformationsKey = "alpha.config.kubernetes.io/transformations"
    static let managedByKey = "app.kubernetes.io/managed-by"
    /// What `kubectl kustomize` v5.5.0 writes (its kustomize reports no
    /// release version).
    static let managedByValue = "kustomize-(devel)"

    /// Writes the recorded origin and transformations into each object's
    /// annotations, and the managed-by label, as kustomize's `Run` does last.
    func annotate(_ objects: inout [RenderedObject]) {
        for i in objects.indices {
            if originAnnotations {
                let text: String
                if let by = objects[i].generatedBy {
                    text = by.yaml(top: top, indent: "", first: "")
                } else {
                    text = "path: " + RootedPath.relative(objects[i].resource.origin?.file ?? "", from: top) + "\n"
                }
                objects[i].resource.value.update(at: ["metadata", "annotations", Self.originKey], create: true) { $0 = .string(text) }
            }
            if transformerAnnotations && !objects[i].transformations.isEmpty {
                let text = objects[i].transformations.map { $0.yaml(top: top, indent: "  ", first: "- ") }.joined()
                objects[i].resource.value.update(at: ["metadata", "annotations", Self.transformationsKey], create: true) { $0 = .string(text) }
            }
            if managedByLabel {
                objects[i].resource.value.update(at: ["metadata", "labels", Self.managedByKey], create: true) { $0 = .string(Self.managedByValue) }
            }
        }
    }
}

extension RootedPath {
    /// `path` relative to `directory` (both relative to the root), with
    /// `..` segments where it lies outside.
    static func relative(_ path: String, from directory: String) -> String {
        let p = path.split(separator: "/"), d = directory.split(separator: "/")
        var common = 0
        while common < p.count - 1 && common < d.count && p[common] == d[common] { common += 1 }
        return (Array(repeating: "..", count: d.count - common) + p[common...].map(String.init)).joined(separator: "/")
    }
}
