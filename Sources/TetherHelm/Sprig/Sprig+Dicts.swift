import TetherTemplate

/// Sprig's dictionary functions (dict.go). Maps are references (``TemplateMap``): `dict`,
/// `pick` and `omit` make a new map; `set`, `unset` and the merges change the map they are
/// given and return it, so every other path to it sees the change, as in Go.
extension Sprig {
    static var dicts: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        let map = TemplateType.map(.any)
        f["dict"] = TemplateFunction(variadic: .any) { a, _ in
            var d: [String: TemplateValue] = [:]
            var i = 0
            while i < a.count {
                d[strval(a[i])] = i + 1 < a.count ? a[i + 1] : .string("")
                i += 2
            }
            return .map(d)
        }
        f["get"] = TemplateFunction([map, .string]) { a, _ in a[0].mapValue?[str(a, 1)] ?? .string("") }
        f["set"] = TemplateFunction([map, .string, .any]) { a, _ in
            try target(a[0]).setValue(a[2], forKey: str(a, 1))
            return a[0]
        }
        f["unset"] = TemplateFunction([map, .string]) { a, _ in
            try target(a[0]).removeValue(forKey: str(a, 1))
            return a[0]
        }
        f["hasKey"] = TemplateFunction([map, .string]) { a, _ in .bool(a[0].mapValue?[str(a, 1)] != nil) }
        f["pluck"] = TemplateFunction([.string], variadic: map) { a, _ in
            .list(a.dropFirst().compactMap { $0.mapValue?[str(a, 0)] })
        }
        f["keys"] = TemplateFunction(variadic: map) { a, _ in
            // Go's map order is random; Sprig's keys are unordered, so callers sort them.
            stringList(a.flatMap { TemplateValue.sortedKeys($0.mapValue ?? [:]) })
        }
        f["values"] = TemplateFunction([map]) { a, _ in
            let d = a[0].mapValue ?? [:]
            return .list(TemplateValue.sortedKeys(d).map { d[$0]! })
        }
        f["pick"] = TemplateFunction([map], variadic: .string) { a, _ in
            let d = a[0].mapValue ?? [:]
            var out: [String: TemplateValue] = [:]
            for k in a.dropFirst() { if let key = k.stringValue, let v = d[key] { out[key] = v } }
            return .map(out)
        }
        f["omit"] = TemplateFunction([map], variadic: .string) { a, _ in
            var d = a[0].mapValue ?? [:]
            for k in a.dropFirst() { if let key = k.stringValue { d[key] = nil } }
            return .map(d)
        }
        f["dig"] = TemplateFunction(variadic: .any) { a, _ in try dig(a) }
        let merge = TemplateFunction([map], variadic: map) { a, _ in try mergeMaps(a, overwrite: false) }
        let mergeOverwrite = TemplateFunction([map], variadic: map) { a, _ in try mergeMaps(a, overwrite: true) }
        f["merge"] = merge
        f["mustMerge"] = merge
        f["mergeOverwrite"] = mergeOverwrite
        f["mustMergeOverwrite"] = mergeOverwrite
        return f
    }

    static func dig(_ a: [TemplateValue]) throws -> TemplateValue {
        guard a.count >= 3 else { throw SprigError("dig needs at least three arguments") }
        guard var d = a[a.count - 1].mapValue else {
            throw SprigError("interface conversion: interface {} is \(a[a.count - 1].typeName), not map[string]interface {}")
        }
        let def = a[a.count - 2]
        let keys = a.dropLast(2)
        for (i, k) in keys.enumerated() {
            guard let key = k.stringValue else { throw SprigError("interface conversion: interface {} is \(k.typeName), not string") }
            guard let step = d[key] else { return def }
            if i == keys.count - 1 { return step }
            guard let next = step.mapValue else {
                throw SprigError("interface conversion: interface {} is \(step.typeName), not map[string]interface {}")
            }
            d = next
        }
        return def
    }

    /// The map a mutating function changes. Go's nil map (a `map[string]interface {}`
    /// parameter given `nil`) panics on assignment, which Go's template engine reports.
    static func target(_ value: TemplateValue) throws -> TemplateMap {
        guard let map = value.mapReference else { throw SprigError("assignment to entry in nil map") }
        return map
    }

    /// mergo's `Merge` (WithOverride for mergeOverwrite) of every source into the first map,
    /// which is changed in place and returned: nested maps merge deeply (into the destination's
    /// own nested map); a key the destination lacks gets the source's value itself (the same
    /// map, when it is one); without override only missing or empty values are filled.
    static func mergeMaps(_ a: [TemplateValue], overwrite: Bool) throws -> TemplateValue {
        let dst = try target(a[0])
        for src in a.dropFirst() {
            if let source = src.mapReference, source !== dst { merge(source, into: dst, overwrite: overwrite) }
        }
        return a[0]
    }

    static func merge(_ src: TemplateMap, into dst: TemplateMap, overwrite: Bool) {
        for (k, sv) in src {
            guard let dv = dst[k] else { dst.setValue(sv, forKey: k); continue }
            if case .map(let dm, _) = dv, let sm = sv.mapReference {
                if sm !== dm { merge(sm, into: dm, overwrite: overwrite) }
            } else if overwrite {
                if !isEmpty(sv) || dv.isNull { dst.setValue(sv, forKey: k) }
            } else if isEmpty(dv), !dv.isTruthy, dv.mapValue == nil {
                dst.setValue(sv, forKey: k)
            }
        }
    }
}
