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
///   original's remaining elements.
/// - Elements without the merge key (an `env` entry with no `name`) follow
///   kyaml's element walk: see ``mergeByKey(_:_:key:_:at:)``.
/// - Lists keyed by several `x-kubernetes-list-map-keys` (container ports:
///   `containerPort` and `protocol`) match on all keys, a missing key
///   matching only a missing key; a patch element that matches an original
///   element on the keys both have, but not on all, is dropped, as kustomize
///   drops it. Matched elements stay in place; new ones go first.
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
            let original = dest?.listValue ?? []
            let keys = schema.listMapKeys.count > 1 ? schema.listMapKeys : schema.mergeKey.map { [$0] } ?? []
            switch keys.count {
            case 0: return .list(mergePrimitives(original, p))
            case 1: return try mergeByKey(dest, p, key: keys[0], schema.elements, at: path)
            default: return try mergeByKeys(original, p, keys: keys, schema.elements, at: path)
            }
        default:
            return patch
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

    private func keyText(_ element: Value, _ key: String) -> String? {
        guard let v = element[key], !v.isNull else { return nil }
        return v.scalarText
    }

    /// A single-key merge list (containers by name), as kyaml's
    /// `setAssociativeSequenceElements` builds it (checked against
    /// kustomize v5.5.0):
    /// - the list merged into is the original, or the patch's own list when
    ///   the original is missing or null;
    /// - keys are visited patch first, then the original's; elements without
    ///   the key count as one key, `""`, at the place of the first of them;
    ///   visiting it removes every element that has the key from the list
    ///   merged into (later keys then find no original to merge with);
    /// - each other key merges its original and patch elements, in visiting
    ///   order; an element merged to nothing is removed;
    /// - finally the list merged into is folded into the result: an element
    ///   with the key replaces its merged copy, one without it replaces the
    ///   whole result (so the last keyless element is all that remains).
    private func mergeByKey(_ dest: Value?, _ patch: [Value], key: String, _ element: PatchSchema.Node?, at path: FieldPath) throws(PatchError) -> Value? {
        let original = dest?.listValue
        var into = original ?? patch
        var visits: [String?] = []
        for item in patch + (original ?? []) {
            let k = keyText(item, key)
            if !visits.contains(k) { visits.append(k) }
        }
        var items: [Value] = []
        func set(_ value: Value, _ k: String) {
            if let at = items.firstIndex(where: { keyText($0, key) == k }) { items[at] = value } else { items.append(value) }
        }
        for visit in visits {
            guard let k = visit else {
                into.removeAll { $0[key] != nil }
                continue
            }
            let d = into.first { keyText($0, key) == k }
            let p = patch.first { keyText($0, key) == k }
            let index = patch.firstIndex { keyText($0, key) == k } ?? into.firstIndex { keyText($0, key) == k } ?? 0
            let merged = try p.map { p throws(PatchError) in try merge(d, p, element, at: path.appending(index: index)) } ?? d
            guard var m = merged, m.mapValue?.isEmpty == false else {
                into.removeAll { keyText($0, key) == k }
                continue
            }
            if m[key] == nil, let source = (p ?? d)?[key] { m[key] = source }
            set(m, k)
            // kyaml merges into the original's node in place.
            if let at = into.firstIndex(where: { keyText($0, key) == k }) { into[at] = m }
        }
        for item in into where !item.isNull && item.mapValue?.isEmpty != true {
            if let k = keyText(item, key) { set(item, k) } else { items = [item] }
        }
        return .list(items)
    }

    /// A merge list keyed by several list-map keys (container ports).
    private func mergeByKeys(_ original: [Value], _ patch: [Value], keys: [String], _ element: PatchSchema.Node?, at path: FieldPath) throws(PatchError) -> Value? {
        func id(_ v: Value) -> [String?] { keys.map { keyText(v, $0) } }
        func partial(_ a: [String?], _ b: [String?]) -> Bool {
            zip(a, b).allSatisfy { x, y in x == nil || y == nil || x == y }
        }
        var result = original
        var added: [Value] = []
        for (i, p) in patch.enumerated() {
            let pid = id(p)
            if let at = result.firstIndex(where: { id($0) == pid }) {
                if let merged = try merge(result[at], p, element, at: path.appending(index: i)), merged.mapValue?.isEmpty == false {
                    result[at] = merged
                } else {
                    result.remove(at: at)
                }
            } else if result.contains(where: { partial(id($0), pid) }) {
                continue
            } else if let merged = try merge(nil, p, element, at: path.appending(index: i)), merged.mapValue?.isEmpty == false {
                added.append(merged)
            }
        }
        return .list(added + result)
    }
}
