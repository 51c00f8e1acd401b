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
                // kustomize records the identity before every JSON patch, so
                // a patch that renames is followed by name references.
                objects[i].storePreviousID()
                do {
                    objects[i].resource.value = try patch.apply(to: objects[i].resource.value)
                } catch {
                    throw RenderError(.invalidPatch, "patching \(objects[i].id): \(error)", file: source, cause: error)
                }
            }
            return
        }
        if values.count > 1 && rule.target != nil {
            throw RenderError(
                .invalidPatch,
                "the patch holds \(values.count) strategic merge patches, and several in one `patches` entry may not set `target` (kustomize refuses it). Split them into one entry each, or remove the target.",
                file: source)
        }
        for (n, patch) in values.enumerated() {
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
                let before = objects[i].resource
                var patchCopy = patch
                if rule.target != nil {
                    // With a target, the patch takes the object's identity,
                    // except what the options allow it to change.
                    if !rule.allowNameChange { patchCopy["metadata"]?["name"] = before.value[path: ["metadata", "name"]] }
                    patchCopy["metadata"]?["namespace"] = before.value[path: ["metadata", "namespace"]]
                    if !rule.allowKindChange {
                        patchCopy["kind"] = .string(before.kind)
                        patchCopy["apiVersion"] = .string(before.apiVersion)
                    }
                }
                if rule.allowNameChange || rule.allowKindChange { objects[i].storePreviousID() }
                let result: Value
                do {
                    result = try StrategicMergePatch.apply(
                        patchCopy, to: before.value, schema: build.schema.root(for: before.value), options: .kustomize)
                } catch {
                    throw RenderError(.invalidPatch, "patching \(objects[i].id): \(error)", file: source, cause: error)
                }
                if result.isNull {
                    removed.append(i)
                    continue
                }
                // kustomize's ApplySmPatch: name and kind come back unless
                // allowed to change; the namespace always does.
                objects[i].resource.value = result
                if !rule.allowKindChange && objects[i].resource.kind != before.kind { objects[i].resource.value["kind"] = .string(before.kind) }
                if !rule.allowNameChange && objects[i].resource.name != before.name { objects[i].resource.setMetadata("name", before.name) }
                if objects[i].resource.namespace != before.namespace {
                    objects[i].resource.setMetadata("namespace", before.namespace.isEmpty ? nil : before.namespace)
                }
            }
            if let deleted = removed.first, n < values.count - 1, rule.target == nil, !rule.fromStrategicMergeList {
                // kustomize v5.5.0 leaves the deleted object in place, empty,
                // and crashes on the next patch of the same entry.
                throw RenderError(
                    .invalidPatch,
                    "document \(n + 1) of the patch deletes \(objects[deleted].id) and more documents follow it in the same `patches` entry, which kubectl kustomize v5.5.0 cannot build (it crashes). Give each `$patch: delete` its own entry, or put it last.",
                    file: source)
            }
            for i in removed.reversed() { objects.remove(at: i) }
        }
    }

    /// The object a strategic merge patch without a target applies to:
    /// kustomize's `GetById` with the patch's group, version, kind, name and
    /// namespace (none meaning `default`), against every identity the
    /// objects have had.
    private func indices(namedBy patch: Value, in objects: [RenderedObject], source: String) throws -> [Int] {
        let gvk = GroupVersionKind(apiVersion: patch["apiVersion"]?.stringValue ?? "", kind: patch["kind"]?.stringValue ?? "")
        guard let name = patch[path: ["metadata", "name"]]?.stringValue, !gvk.kind.isEmpty else {
            throw RenderError(
                .invalidPatch, "patch has no kind or metadata.name, so it matches nothing. Add them, or add a target.", file: source)
        }
        let namespace = patch[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let matches = objects.indices.filter { i in
            let current = objects[i].resource.gvk
            guard current.group == gvk.group, current.version == gvk.version else { return false }
            return objects[i].allIDs.contains { $0.kind == gvk.kind && $0.name == name && Namespaces.equal($0.namespace, namespace) }
        }
        let id = ResourceID(group: gvk.group, kind: gvk.kind, namespace: namespace, name: name)
        if matches.isEmpty {
            throw RenderError(
                .noMatch, "patch targets \(id) (\(gvk.apiVersion)), which no resource matches (failed to find unique target for patch). Fix the patch's apiVersion, kind, name and namespace.",
                file: source)
        }
        if matches.count > 1 {
            throw RenderError(
                .noMatch, "patch for \(id) matches \(matches.count) resources (multiple matches for Id). Add metadata.namespace to the patch, or use a target.",
                file: source)
        }
        return matches
    }

    func indices(matching target: Kustomization.Selector, in objects: [RenderedObject], source: String) throws -> [Int] {
        let selector = try TargetSelector(target, file: source)
        return objects.indices.filter { selector.matches(objects[$0]) }
    }
}
