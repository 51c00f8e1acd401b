import TetherModel

/// The `ValueAddTransformer` builtin: writes a value (by default the name of
/// the kustomization's directory) into a field of the selected objects,
/// or inserts it into a slash-separated path held there
/// (`filePathPosition`, counting from 1).
struct ValueAddTransformer {
    struct Target {
        var selector: Kustomization.Selector?
        var fieldPath: [String]
        var filePathPosition: Int
    }

    var value: String?
    var targets: [Target]

    static func parse(_ root: Value, parser p: KustomizationParser) throws -> ValueAddTransformer {
        var targets: [Target] = []
        for (i, m) in try p.maps(root["targets"], "targets", known: ["selector", "fieldPath", "filePathPosition"]) {
            guard let path = try p.string(m["fieldPath"], "targets.\(i).fieldPath"), !path.isEmpty else {
                throw p.fail("targets.\(i).fieldPath", "is required.")
            }
            targets.append(
                .init(
                    selector: try p.selector(m["selector"], "targets.\(i).selector"), fieldPath: FieldSpec.split(path),
                    filePathPosition: m["filePathPosition"]?.intValue ?? 0))
        }
        return ValueAddTransformer(value: try p.string(root["value"], "value"), targets: targets)
    }

    /// - Parameter directory: the kustomization's directory, whose last
    ///   segment is the default value.
    func apply(_ objects: inout [RenderedObject], context: TransformContext) throws {
        let value = self.value ?? RootedPath.baseName(context.dir)
        for target in targets {
            let selected = try target.selector.map { try context.indices(matching: $0, in: objects, source: context.file) } ?? Array(objects.indices)
            for i in selected {
                if target.fieldPath == ["metadata", "namespace"] && ClusterScope.isClusterScoped(objects[i].resource.gvk) { continue }
                objects[i].resource.value.update(at: target.fieldPath[...], create: true) { field in
                    guard target.filePathPosition > 0 else {
                        field = .string(value)
                        return
                    }
                    field = .string(Self.insert(value, into: field?.scalarText ?? "", at: target.filePathPosition - 1))
                }
            }
        }
    }

    /// kustomize's `filesys.InsertPathPart`.
    static func insert(_ part: String, into path: String, at position: Int) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let absolute = path.hasPrefix("/")
        if absolute { parts.removeFirst() }
        parts = parts.filter { !$0.isEmpty }
        if position >= parts.count {
            parts.append(part)
        } else {
            parts.insert(part, at: position)
        }
        return (absolute ? "/" : "") + parts.joined(separator: "/")
    }
}
