import TetherModel
import TetherPatch

/// `patches`, `patchesStrategicMerge` and `patchesJson6902`: a strategic
/// merge patch (a map) or a JSON 6902 patch (a list), applied to the object
/// the patch names or to every object the `target` selects.
extension TransformContext {
    func applyPatch(_ rule: Kustomization.PatchRule, to objects: inout [RenderedObject]) throws {
        let (source, text): (String, String)
        if let path = rule.path {
            let read = try readText(path, field: rule.forceJSON6902 ? "patchesJson6902" : "patches")
            (source, text) = (read.path, read.text)
        } else {
            (source, text) = (file, rule.inline ?? "")
        }
        var documents: [YAMLDocument]
        do { documents = try YAMLDecoder().decode(text, file: source) } catch { throw RenderError.wrapping(error) }
        var values = documents.map(\.value).filter { !$0.isNull }
        if rule.forceJSON6902 || (values.count == 1 && values[0].listValue != nil) {
            // kustomize reads JSON 6902 patches with a YAML 1.1 reader: an
            // unquoted `on` or `no` is a boolean there.
            do {
                documents = try YAMLDecoder(options: .init(yaml11Booleans: true)).decode(text, file: source)
            } catch { throw RenderError.wrapping(error) }
            values = documents.map(\.value).filter { !$0.isNull }
        }
        guard !values.isEmpty else {
            throw RenderError(.invalidPatch, "patch is empty. Add the patch content or remove the entry.", file: source)
        }
        if rule.forceJSON6902 || (values.count == 1 && values[0].listValue != nil) {
            guard let target = rule.target else {
                throw RenderError(.invalidPatch, "a JSON 6902 patch needs a target. Add target with kind and name.", file: source)
            }
            let patch: JSONPatch
            do { patch = try JSONPatch(operations: values[0]) } catch {
                throw RenderError(.invalidPatch, "\(error)", file: source, cause: error)
            }
            let matched = try indices(matching: target, in: objects, source: source)
            for i in matched {
                do {
                    objects[i].resource.value = try patch.apply(to: objects[i].resource.value)
                } catch {
                    throw RenderError(.invalidPatch, "patching \(objects[i].id): \(error)", file: source, cause: error)
                }
            }
            return
        }
        for patch in values {
            guard patch.mapValue != nil else {
                throw RenderError(.invalidPatch, "a strategic merge patch must be a map, not \(patch.typeDescription).", file: source)
            }
            let matched: [Int]
            if let target = rule.target {
                matched = try indices(matching: target, in: objects, source: source)
            } else {
                matched = try indices(namedBy: patch, in: objects, source: source)
            }
            var removed: [Int] = []
            for i in matched {
                var patchCopy = patch
                // The patch never renames: it takes the object's current name.
                patchCopy["metadata"]?["name"] = objects[i].resource.value[path: ["metadata", "name"]]
                if rule.target != nil {
                    // With a target, the patch's own identity is ignored.
                    patchCopy["metadata"]?["name"] = objects[i].resource.value[path: ["metadata", "name"]]
                    patchCopy["metadata"]?["namespace"] = objects[i].resource.value[path: ["metadata", "namespace"]]
                    patchCopy["kind"] = .string(objects[i].resource.kind)
                    patchCopy["apiVersion"] = .string(objects[i].resource.apiVersion)
                }
                let original = objects[i].resource.value
                let result: Value
                do {
                    result = try StrategicMergePatch.apply(
                        patchCopy, to: original, schema: PatchSchema.root(for: original), options: .kustomize)
                } catch {
                    throw RenderError(.invalidPatch, "patching \(objects[i].id): \(error)", file: source, cause: error)
                }
                if result.isNull {
                    removed.append(i)
                } else {
                    objects[i].resource.value = result
                }
            }
            for i in removed.reversed() { objects.remove(at: i) }
        }
    }

    /// Objects a strategic merge patch without a target applies to: the one
    /// with the patch's kind and (current or earlier) name.
    private func indices(namedBy patch: Value, in objects: [RenderedObject], source: String) throws -> [Int] {
        let gvk = GroupVersionKind(apiVersion: patch["apiVersion"]?.stringValue ?? "", kind: patch["kind"]?.stringValue ?? "")
        guard let name = patch[path: ["metadata", "name"]]?.stringValue, !gvk.kind.isEmpty else {
            throw RenderError(
                .invalidPatch, "patch has no kind or metadata.name, so it matches nothing. Add them, or add a target.", file: source)
        }
        let namespace = patch[path: ["metadata", "namespace"]]?.stringValue
        let matches = objects.indices.filter {
            objects[$0].matchesAnyID(kind: gvk.kind, group: gvk.group, name: name, namespace: namespace)
        }
        if matches.isEmpty {
            let id = ResourceID(group: gvk.group, kind: gvk.kind, namespace: namespace ?? "", name: name)
            throw RenderError(
                .noMatch, "patch targets \(id), which no resource matches (failed to find unique target for patch). Fix the patch's kind and name.",
                file: source)
        }
        if matches.count > 1 {
            let current = matches.filter { objects[$0].resource.name == name }
            if current.count == 1 { return current }
            throw RenderError(
                .noMatch, "patch for \(gvk.kind) '\(name)' matches \(matches.count) resources. Add metadata.namespace to the patch.",
                file: source)
        }
        return matches
    }

    private func indices(matching target: Kustomization.Selector, in objects: [RenderedObject], source: String) throws -> [Int] {
        let selector = try TargetSelector(target, file: source)
        return objects.indices.filter { selector.matches(objects[$0]) }
    }
}
