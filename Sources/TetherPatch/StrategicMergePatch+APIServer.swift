import TetherModel

/// Strategic merge patch as the API server applies it, following
/// `k8s.io/apimachinery/pkg/util/strategicpatch` (`mergeMap`, `mergeSlice`,
/// `normalizeElementOrder`) with `MergeParallelList` and
/// `IgnoreUnmatchedNulls` set, as `StrategicMergeMapPatch` does.
struct APIServerMerger {
    typealias SMP = StrategicMergePatch

    func mergeMap(_ original: OrderedMap?, _ patch: OrderedMap, _ schema: PatchSchema.Node?, at path: FieldPath) throws(PatchError) -> OrderedMap {
        var patch = patch
        if let directive = patch[SMP.directive] {
            switch directive.stringValue {
            case "replace":
                patch.removeValue(forKey: SMP.directive)
                return patch
            case "delete":
                return OrderedMap()
            default:
                throw PatchError(.invalidDirective, "unknown $patch directive \(render(directive)) in a map. Use \"replace\" or \"delete\".", at: path.description)
            }
        }
        var original = original ?? OrderedMap()
        try applyRetainKeys(&original, &patch, at: path)
        try applySetElementOrder(&original, &patch, schema, at: path)

        // Deletion lists first: the result does not depend on it, and Go's
        // random map order makes any order valid.
        let ordered = patch.entries.filter { $0.key.hasPrefix(SMP.deleteFromPrimitiveListPrefix) }
            + patch.entries.filter { !$0.key.hasPrefix(SMP.deleteFromPrimitiveListPrefix) }
        for entry in ordered {
            var key = entry.key
            var isDeleteList = false
            if key.hasPrefix(SMP.deleteFromPrimitiveListPrefix) {
                key = String(key.dropFirst(SMP.deleteFromPrimitiveListPrefix.count))
                guard !key.isEmpty else {
                    throw PatchError(.invalidDirective, "$deleteFromPrimitiveList needs a field name after the slash.", at: path.description)
                }
                isDeleteList = true
            }
            let fieldPath = path.appending(key)
            if entry.value.isNull {
                original.removeValue(forKey: key)
                continue
            }
            guard let current = original[key] else {
                original[key] = entry.value
                continue
            }
            let field = schema?.field(key)
            switch (current, entry.value) {
            case (.map(let o), .map(let p)):
                original[key] = field?.strategy.contains(.replace) == true ? .map(p) : .map(try mergeMap(o, p, field, at: fieldPath))
            case (.list(let o), .list(let p)):
                if let field, field.strategy.contains(.merge) {
                    original[key] = .list(try mergeList(o, p, field.elements, mergeKey: field.mergeKey ?? "", isDeleteList: isDeleteList, at: fieldPath))
                } else {
                    original[key] = .list(p)
                }
            default:
                original[key] = entry.value
            }
        }
        return original
    }

    /// `$retainKeys`: clears keys of the original that the list omits.
    private func applyRetainKeys(_ original: inout OrderedMap, _ patch: inout OrderedMap, at path: FieldPath) throws(PatchError) {
        guard let retain = patch.removeValue(forKey: SMP.retainKeys) else { return }
        guard let list = retain.listValue else {
            throw PatchError(.invalidDirective, "$retainKeys must be a list of field names. Write it as a list.", at: path.description)
        }
        let keep = Set(list.compactMap(\.stringValue))
        for entry in patch where !entry.value.isNull
            && !entry.key.hasPrefix(SMP.deleteFromPrimitiveListPrefix) && !entry.key.hasPrefix(SMP.setElementOrderPrefix)
            && !keep.contains(entry.key)
        {
            throw PatchError(.invalidDirective, "field \"\(entry.key)\" is in the patch but not in $retainKeys. Add it to $retainKeys.", at: path.description)
        }
        for key in original.keys where !keep.contains(key) {
            original.removeValue(forKey: key)
        }
    }

    /// `$setElementOrder/<field>`: merges the field's list and orders it.
    private func applySetElementOrder(_ original: inout OrderedMap, _ patch: inout OrderedMap, _ schema: PatchSchema.Node?, at path: FieldPath) throws(PatchError) {
        for key in patch.keys where key.hasPrefix(SMP.setElementOrderPrefix) {
            let order = patch.removeValue(forKey: key)
            let name = String(key.dropFirst(SMP.setElementOrderPrefix.count))
            let fieldPath = path.appending(name)
            guard let orderList = order?.listValue, !name.isEmpty else {
                throw PatchError(.invalidDirective, "\(key) must name a field and hold a list. Check the directive.", at: path.description)
            }
            let field = schema?.field(name)
            let mergeKey = field?.mergeKey ?? ""
            let originalList = original[name]?.listValue
            let patchList = patch[name]?.listValue
            if original[name] != nil, originalList == nil {
                throw PatchError(.typeMismatch, "$setElementOrder applies to a list, but the field is \(original[name]!.typeDescription).", at: fieldPath.description)
            }
            if patch[name] != nil, patchList == nil {
                throw PatchError(.typeMismatch, "$setElementOrder applies to a list, but the patch gives \(patch[name]!.typeDescription).", at: fieldPath.description)
            }
            try validateOrder(patchList ?? [], orderList, mergeKey: mergeKey, at: fieldPath)
            let merged: [Value]
            switch (originalList, patchList) {
            case (let o?, nil): merged = o
            case (nil, let p?): merged = p
            case (let o?, let p?):
                merged = field?.strategy.contains(.merge) == true
                    ? try mergeList(o, p, field?.elements, mergeKey: mergeKey, isDeleteList: false, at: fieldPath)
                    : p
            case (nil, nil): continue
            }
            let (inPatch, serverOnly) = try partition(merged, by: orderList, mergeKey: mergeKey, at: fieldPath)
            original[name] = .list(try normalizedOrder(inPatch, serverOnly, patchOrder: orderList, serverOrder: originalList ?? [], mergeKey: mergeKey, at: fieldPath))
            patch.removeValue(forKey: name)
        }
    }

    /// Checks the relative order of the patch list agrees with `$setElementOrder`.
    private func validateOrder(_ patchList: [Value], _ order: [Value], mergeKey: String, at path: FieldPath) throws(PatchError) {
        let items = patchList.filter { $0[SMP.directive] == nil }
        var i = 0, j = 0
        while i < items.count, j < order.count {
            if identity(items[i], mergeKey).map({ a in identity(order[j], mergeKey).map { a.sameScalar(as: $0) } ?? false }) == true {
                i += 1
            }
            j += 1
        }
        if i < items.count {
            throw PatchError(.invalidDirective, "the order of the patch list does not match its $setElementOrder list. List the same elements in the same order.", at: path.description)
        }
    }

    func mergeList(_ original: [Value], _ patch: [Value], _ element: PatchSchema.Node?, mergeKey: String, isDeleteList: Bool, at path: FieldPath) throws(PatchError) -> [Value] {
        if original.isEmpty, patch.isEmpty { return original }
        let kinds = Set((original + patch).map(\.jsonKind))
        guard kinds.count == 1, let kind = kinds.first else {
            throw PatchError(.typeMismatch, "list elements are not all of one type. Make every element the same type.", at: path.description)
        }
        if kind == Value.list([]).jsonKind {
            throw PatchError(.typeMismatch, "lists of lists cannot be merged. Replace the list instead.", at: path.description)
        }
        var original = original
        var patch = patch
        var merged: [Value]
        if kind != Value.map(OrderedMap()).jsonKind {
            if isDeleteList {
                return original.filter { o in !patch.contains { $0.sameScalar(as: o) } }
            }
            merged = []
            for v in original + patch where !merged.contains(where: { $0.sameScalar(as: v) }) {
                merged.append(v)
            }
        } else {
            guard !mergeKey.isEmpty else {
                throw PatchError(.invalidPatch, "cannot merge a list of maps without a merge key. Replace the list with $patch: replace.", at: path.description)
            }
            (original, patch) = try applySpecialElements(original, patch, mergeKey: mergeKey, at: path)
            merged = original
            for (i, item) in patch.enumerated() {
                guard let key = item[mergeKey] else {
                    throw PatchError(.missingMergeKey, "element has no merge key \"\(mergeKey)\". Add \"\(mergeKey)\" to the element.", at: path.appending(index: i).description)
                }
                if let at = merged.firstIndex(where: { $0[mergeKey]?.sameScalar(as: key) == true }) {
                    merged[at] = .map(try mergeMap(merged[at].mapValue, item.mapValue ?? OrderedMap(), element, at: path.appending(index: i)))
                } else {
                    merged.append(item)
                }
            }
        }
        let key = kind == Value.map(OrderedMap()).jsonKind ? mergeKey : ""
        let (inPatch, serverOnly) = try partition(merged, by: patch, mergeKey: key, at: path)
        return try normalizedOrder(inPatch, serverOnly, patchOrder: patch, serverOrder: original, mergeKey: key, at: path)
    }

    /// Handles list elements carrying `$patch`; returns the new original and
    /// the patch without them.
    private func applySpecialElements(_ original: [Value], _ patch: [Value], mergeKey: String, at path: FieldPath) throws(PatchError) -> ([Value], [Value]) {
        var original = original
        var rest: [Value] = []
        var replace = false
        for (i, item) in patch.enumerated() {
            guard let directive = item[SMP.directive] else {
                rest.append(item)
                continue
            }
            switch directive.stringValue {
            case "delete":
                guard let key = item[mergeKey] else {
                    throw PatchError(.missingMergeKey, "$patch: delete element has no merge key \"\(mergeKey)\". Add it to say which element to delete.", at: path.appending(index: i).description)
                }
                original.removeAll { $0[mergeKey]?.sameScalar(as: key) == true }
            case "replace":
                replace = true
            case "merge":
                throw PatchError(.invalidDirective, "$patch: merge is not supported in a list. Remove the element.", at: path.appending(index: i).description)
            default:
                throw PatchError(.invalidDirective, "unknown $patch directive \(render(directive)). Use \"replace\" or \"delete\".", at: path.appending(index: i).description)
            }
        }
        return replace ? (rest, []) : (original, rest)
    }

    private func identity(_ v: Value, _ mergeKey: String) -> Value? {
        mergeKey.isEmpty ? v : v[mergeKey]
    }

    private func partition(_ items: [Value], by list: [Value], mergeKey: String, at path: FieldPath) throws(PatchError) -> ([Value], [Value]) {
        var inList: [Value] = [], rest: [Value] = []
        for item in items {
            guard let id = identity(item, mergeKey) else {
                throw PatchError(.missingMergeKey, "element has no merge key \"\(mergeKey)\". Add \"\(mergeKey)\" to the element.", at: path.description)
            }
            if list.contains(where: { identity($0, mergeKey)?.sameScalar(as: id) == true }) {
                inList.append(item)
            } else {
                rest.append(item)
            }
        }
        return (inList, rest)
    }

    private func index(of item: Value, in list: [Value], mergeKey: String) -> Int? {
        guard let id = identity(item, mergeKey) else { return nil }
        return list.firstIndex { identity($0, mergeKey)?.sameScalar(as: id) == true }
    }

    /// `normalizeElementOrder`: patch items in patch order, server-only
    /// items in server order, then interleaved by their server positions.
    private func normalizedOrder(_ inPatch: [Value], _ serverOnly: [Value], patchOrder: [Value], serverOrder: [Value], mergeKey: String, at path: FieldPath) throws(PatchError) -> [Value] {
        let right = sortedStably(inPatch, by: patchOrder, mergeKey: mergeKey)
        let left = sortedStably(serverOnly, by: serverOrder, mergeKey: mergeKey)
        var result: [Value] = []
        result.reserveCapacity(left.count + right.count)
        var i = 0, j = 0
        while i < left.count || j < right.count {
            if i >= left.count {
                result.append(right[j]); j += 1
            } else if j >= right.count {
                result.append(left[i]); i += 1
            } else if let li = index(of: left[i], in: serverOrder, mergeKey: mergeKey),
                let ri = index(of: right[j], in: serverOrder, mergeKey: mergeKey), li < ri
            {
                result.append(left[i]); i += 1
            } else {
                result.append(right[j]); j += 1
            }
        }
        return result
    }

    private func sortedStably(_ items: [Value], by order: [Value], mergeKey: String) -> [Value] {
        let directives = mergeKey.isEmpty ? [] : items.filter { $0[SMP.directive] != nil }
        let plain = mergeKey.isEmpty ? items : items.filter { $0[SMP.directive] == nil }
        let keyed = plain.enumerated().map { (offset: $0.offset, value: $0.element, rank: index(of: $0.element, in: order, mergeKey: mergeKey) ?? Int.max) }
        return keyed.sorted { ($0.rank, $0.offset) < ($1.rank, $1.offset) }.map(\.value) + directives
    }
}

func render(_ value: Value) -> String {
    if let s = value.stringValue { return "\"\(s)\"" }
    return value.scalarText ?? value.typeDescription
}
