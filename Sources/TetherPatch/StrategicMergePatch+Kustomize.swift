import TetherModel

/// Strategic merge patch as kustomize v5 applies it (`kyaml/yaml/merge2`
/// with `MergeOptionsListPrepend`), so rendered output matches
/// `kubectl kustomize`.
///
/// Behaviour checked against kustomize v5.5.0 (see fixtures/patch/):
/// - `$patch: delete` on a map removes the key; at the root it removes the
///   resource (the result is `nil`).
/// - Only `$patch` is a directive; `$retainKeys`, `$setElementOrder/` and
///   `$deleteFromPrimitiveList/` are copied into the output as plain keys.
/// - Merge lists put the patch's elements first (in patch order), then the
///   original's remaining elements. Lists with merge keys (one, or several
///   `x-kubernetes-list-map-keys` such as container ports' `containerPort`
///   and `protocol`) follow kyaml's element walk step for step, including
///   its treatment of elements that lack keys: see ``AssociativeListMerge``.
/// - kyaml walks the whole target, so merge lists the patch does not touch
///   are rebuilt the same way (``normalize(_:_:at:)``).
struct KustomizeMerger {
    typealias SMP = StrategicMergePatch

    /// Merges `patch` into `dest`; `nil` means the field is cleared.
    func merge(_ dest: Value?, _ patch: Value, _ schema: PatchSchema.Node?, at path: FieldPath) throws(PatchError) -> Value? {
        switch patch {
        case .null:
            return nil
        case .map(var p):
            if let directive = p.removeValue(forKey: SMP.directive) {
                switch directive.stringValue {
                case "delete": return nil
                case "replace": return .map(p)
                case "merge": break
                default:
                    throw PatchError(.invalidDirective, "unknown $patch directive \(render(directive)). Use \"replace\", \"merge\" or \"delete\".", at: path.description)
                }
            }
            var result = dest?.mapValue ?? OrderedMap()
            // kyaml walks the target's fields the patch leaves alone too.
            for entry in result where p[entry.key] == nil {
                result[entry.key] = try normalize(entry.value, schema?.field(entry.key), at: path.appending(entry.key))
            }
            for entry in p {
                let merged = try merge(result[entry.key], entry.value, schema?.field(entry.key), at: path.appending(entry.key))
                result[entry.key] = merged
            }
            return .map(result)
        case .list(var p):
            // kyaml reads `$patch` elements only in merge lists; elsewhere
            // they are ordinary data.
            guard let schema, schema.isMergeList else { return patch }
            if let at = p.firstIndex(where: { $0.mapValue?.count == 1 && $0[SMP.directive] != nil }) {
                let directive = p.remove(at: at)[SMP.directive]!
                switch directive.stringValue {
                case "delete": return nil
                case "replace": return .list(p)
                case "merge": break
                default:
                    throw PatchError(.invalidDirective, "unknown $patch directive \(render(directive)) in a list. Use \"replace\", \"merge\" or \"delete\".", at: path.description)
                }
            }
            let keys = schema.listMapKeys.count > 1 ? schema.listMapKeys : schema.mergeKey.map { [$0] } ?? []
            if keys.isEmpty { return .list(mergePrimitives(dest?.listValue ?? [], p)) }
            return .list(try elementMerge(keys, schema.elements, at: path)(dest?.listValue, p))
        default:
            return patch
        }
    }

    /// The associative-list merge for `keys`, merging or walking elements
    /// with `element`'s schema.
    private func elementMerge(_ keys: [String], _ element: PatchSchema.Node?, at path: FieldPath) -> AssociativeListMerge {
        AssociativeListMerge(keys: keys) { d, p, i throws(PatchError) in
            guard let p else { return try d.map { d throws(PatchError) in try normalize(d, element, at: path.appending(index: i)) } }
            return try merge(d, p, element, at: path.appending(index: i))
        }
    }

    /// A field of the target that the patch does not name, as kyaml's walk
    /// (with the target as its only source) leaves it: merge lists with
    /// elements that lack keys or repeat them are rebuilt as a merge with
    /// nothing would build them (see ``AssociativeListMerge``), primitive
    /// merge lists lose repeats; everything else stays.
    func normalize(_ value: Value, _ schema: PatchSchema.Node?, at path: FieldPath) throws(PatchError) -> Value {
        guard let schema else { return value }
        switch value {
        case .map(let m):
            var result = m
            for entry in m {
                result[entry.key] = try normalize(entry.value, schema.field(entry.key), at: path.appending(entry.key))
            }
            return .map(result)
        case .list(let list):
            guard schema.isMergeList else { return value }
            let keys = schema.listMapKeys.count > 1 ? schema.listMapKeys : schema.mergeKey.map { [$0] } ?? []
            if keys.isEmpty {
                return list.allSatisfy({ $0.scalarText != nil }) ? .list(mergePrimitives(list, [])) : value
            }
            if AssociativeListMerge.isPlain(list, keys: keys) {
                var result = list
                for (i, item) in list.enumerated() { result[i] = try normalize(item, schema.elements, at: path.appending(index: i)) }
                return .list(result)
            }
            return .list(try elementMerge(keys, schema.elements, at: path)(list, nil))
        default:
            return value
        }
    }

    /// A primitive merge list (`finalizers`): patch values, then the
    /// original's others, without duplicates (compared as text, like kyaml).
    private func mergePrimitives(_ original: [Value], _ patch: [Value]) -> [Value] {
        var seen = Set<String>()
        var result: [Value] = []
        for v in patch + original {
            let text = v.scalarText ?? "\(v)"
            if seen.insert(text).inserted { result.append(v) }
        }
        return result
    }
}
