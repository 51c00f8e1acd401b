import TetherModel

/// A merge list with merge keys, merged step for step as kyaml v0.18
/// (kustomize v5.5.0) merges it (`walk/associative_sequence.go`:
/// `setAssociativeSequenceElements`, `appendListNode`, and the
/// `ElementSetter`/`ElementMatcher` filters they use), with
/// `MergeOptionsListPrepend`.
///
/// kyaml's walk gives surprising results where elements lack some or all
/// of the keys (an `env` entry without `name`, a container port without
/// `protocol`): keyless elements delete keyed ones, an element missing a
/// secondary key moves to the end, and so on. Rather than describe every
/// such case, this follows the same steps on the same data:
/// 1. Each element's key values are read (`""` for a missing, null or empty
///    field), patch elements first, then the original's, without repeats;
///    with several keys, value lists that agree where both are set are
///    unified (`mergeValues`).
/// 2. Only keys that some element sets count (`validateKeys`).
/// 3. For each value list, the first element of each list that has those
///    key values is merged; a result that is nothing deletes the matching
///    elements of the list merged into, otherwise it replaces its match in
///    the result or is appended to it.
/// 4. The list merged into (the original, updated in place; the patch's own
///    list when the original is missing) is then folded into the result
///    element by element.
struct AssociativeListMerge {
    let keys: [String]
    /// Merges one element of each list (nil where that list has none; a
    /// nil patch element still walks the original's, as kyaml does).
    let merge: (_ dest: Value?, _ patch: Value?, _ index: Int) throws(PatchError) -> Value?

    /// kyaml's text of a key field: nil when the field is absent; a null
    /// value reads as `""`, a map or list as `""` (a node's `Value`).
    private static func raw(_ element: Value, _ key: String) -> String? {
        guard let m = element.mapValue, let v = m[key] else { return nil }
        return v.scalarText ?? ""
    }

    /// `ElementValuesList`: absent, null, empty map and empty list read `""`.
    private static func listed(_ element: Value, _ key: String) -> String {
        guard let v = element.mapValue?[key] else { return "" }
        if let l = v.listValue, l.isEmpty { return "" }
        if let m = v.mapValue, m.isEmpty { return "" }
        return v.scalarText ?? ""
    }

    private static func isEmptyElement(_ v: Value) -> Bool { v.isNull || v.mapValue?.isEmpty == true }

    /// `ElementSetter` with `Element` nil (delete) or set (replace, else
    /// append). A value `""` matches any element that has the key.
    private static func set(_ list: inout [Value], _ element: Value?, keys: [String], values: [String]) throws(PatchError) {
        let mappingSetter = !keys.isEmpty && keys[0] != "" && !values.isEmpty && values[0] != ""
        var content: [Value] = []
        var found = false
        for item in list {
            if isEmptyElement(item) { continue }
            guard let m = item.mapValue else {
                if mappingSetter { content.append(item); continue }
                throw PatchError(.invalidPatch, "a merge list element is not a map (kustomize fails here too). Make every element a map.")
            }
            // kyaml compares keys[j] with values[j] while j < values.count
            // and keeps the last answer for the keys after that.
            var matched: Bool? = nil
            for j in keys.indices {
                if j < values.count {
                    if let v = m[keys[j]] { matched = values[j].isEmpty || (v.scalarText ?? "") == values[j] } else { matched = false }
                }
                if matched != true { break }
            }
            guard matched == true else {
                if !values.isEmpty { content.append(item) }
                continue
            }
            found = true
            if let element { content.append(element) }
        }
        list = content
        if let element, !found, !element.isNull { list.append(element) }
    }

    /// `ElementMatcher` with keys and values: the first map element whose
    /// every key field is present with that text.
    private static func first(_ list: [Value], keys: [String], values: [String]) -> Int? {
        list.firstIndex { item in
            item.mapValue != nil && zip(keys, values).allSatisfy { k, v in raw(item, k) == v }
        }
    }

    /// `validateKeys`: the keys some value list sets (all keys if none is set).
    private static func valid(_ lists: [[String]], _ values: [String], _ keys: [String]) -> ([String], [String]) {
        let set = Set(lists.flatMap { vs in vs.indices.filter { !vs[$0].isEmpty }.map { keys[$0] } })
        if set.isEmpty { return (keys, values) }
        let indices = keys.indices.filter { set.contains(keys[$0]) }
        return (indices.map { keys[$0] }, indices.map { values[$0] })
    }

    /// `mergeValues`: value lists that share a value and differ only where
    /// one is empty become their union, in place as kyaml's loops do it (the
    /// outer list is read once per pass, the inner one as it changes).
    private static func unify(_ lists: inout [[String]]) {
        for i in lists.indices {
            let a = lists[i]
            for j in lists.indices {
                let b = lists[j]
                guard a.count == b.count else { continue }
                var common = false
                var union: [String] = []
                var ok = true
                for (x, y) in zip(a, b) {
                    if x == y { common = true; union.append(x); continue }
                    if !x.isEmpty && !y.isEmpty { ok = false; break }
                    union.append(x.isEmpty ? y : x)
                }
                if ok && common { lists[i] = union; lists[j] = union }
            }
        }
    }

    /// Whether kyaml's walk leaves the list as it is (up to its elements'
    /// own walks): every element a map with every key set, no two alike.
    static func isPlain(_ list: [Value], keys: [String]) -> Bool {
        var seen = Set<[String]>()
        for item in list {
            guard item.mapValue != nil else { return false }
            let vs = keys.map { listed(item, $0) }
            if vs.contains("") || !seen.insert(vs).inserted { return false }
        }
        return true
    }

    /// Merges `patch` into `original` (nil when the target has no list);
    /// a nil `patch` walks the original alone, as kyaml walks every list of
    /// a patched object.
    func callAsFunction(_ original: [Value]?, _ patch: [Value]?) throws(PatchError) -> [Value] {
        // VisitList: with no original, the patch's list is merged into
        // itself (both sources are the same node).
        let patch = patch ?? []
        var dest = original ?? patch
        let aliased = original == nil
        var lists: [[String]] = []
        for item in patch + (original ?? []) {
            let vs = keys.map { Self.listed(item, $0) }
            if !lists.contains(vs) { lists.append(vs) }
        }
        if keys.count > 1 { Self.unify(&lists) }
        var added: [Value] = []
        var validKeys = keys
        for values in lists {
            let validValues: [String]
            (validKeys, validValues) = Self.valid(lists, values, keys)
            let (lookupKeys, lookupValues) = Self.valid([validValues], validValues, validKeys)
            let patchSource = aliased ? dest : patch
            let d = Self.first(dest, keys: lookupKeys, values: lookupValues)
            let p = Self.first(patchSource, keys: lookupKeys, values: lookupValues)
            let merged: Value?
            switch (d, p) {
            case (nil, nil): merged = nil
            case (let d?, nil): merged = try merge(dest[d], nil, d)
            case (let d, let p?): merged = try merge(d.map { dest[$0] }, patchSource[p], p)
            }
            guard var value = merged, !Self.isEmptyElement(value) else {
                try Self.set(&dest, nil, keys: validKeys, values: validValues)
                continue
            }
            if case .map(var m) = value {
                for (key, text) in zip(validKeys, validValues) where m[key] == nil && !text.isEmpty {
                    m[key] = Self.keyValue(key, text, in: patch + (original ?? []))
                }
                value = .map(m)
            }
            // kyaml merges into the original's element in place.
            if let d { dest[d] = value }
            try Self.set(&added, value, keys: validKeys, values: validValues)
        }
        guard !lists.isEmpty else { return dest }
        return try Self.fold(dest, into: added, keys: validKeys)
    }

    /// `appendListNode(itemsToBeAdded, dest, keys)`, for keyed lists.
    private static func fold(_ dest: [Value], into added: [Value], keys: [String]) throws(PatchError) -> [Value] {
        var result = added
        for item in dest {
            var values: [String] = []
            for key in keys {
                if !item.isNull && item.mapValue == nil {
                    throw PatchError(.invalidPatch, "a merge list element is not a map (kustomize fails here too). Make every element a map.")
                }
                guard let v = raw(item, key) else {
                    // kyaml appends the element once per missing key.
                    result.append(item)
                    continue
                }
                values.append(v)
            }
            if keys.count > 1 { try set(&result, nil, keys: keys, values: values) }
            try set(&result, item, keys: keys, values: values)
        }
        return result
    }

    /// The value kyaml writes for a key missing from a merged element: the
    /// same field of an element that has it, else the text as a string.
    private static func keyValue(_ key: String, _ text: String, in elements: [Value]) -> Value {
        for e in elements { if let v = e.mapValue?[key], v.scalarText == text { return v } }
        return .string(text)
    }
}
