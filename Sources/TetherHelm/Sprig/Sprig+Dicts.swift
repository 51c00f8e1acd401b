import TetherTemplate

/// Sprig's dictionary functions (dict.go). Go maps are shared references, so `set`, `unset`
/// and the merges change their argument in Go; here they return the changed map (see
/// /work/notes/sprig-engine-bugs.md: the engine's maps are values).
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
            var d = a[0].mapValue ?? [:]
            d[str(a, 1)] = a[2]
            return .map(d)
        }
        f["unset"] = TemplateFunction([map, .string]) { a, _ in
            var d = a[0].mapValue ?? [:]
            d[str(a, 1)] = nil
            return .map(d)
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
        var merge = TemplateFunction([map], variadic: map) { a, _ in .map(mergeMaps(a, overwrite: false)) }
        var mergeOverwrite = TemplateFunction([map], variadic: map) { a, _ in .map(mergeMaps(a, overwrite: true)) }
        for name in ["set", "unset"] { f[name]?.mutatesFirstArgument = true }
        merge.mutatesFirstArgument = true
        mergeOverwrite.mutatesFirstArgument = true
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

    /// mergo's `Merge` (WithOverride for mergeOverwrite) of every source into the first map:
    /// nested maps merge deeply; without override only missing or empty values are filled.
    static func mergeMaps(_ a: [TemplateValue], overwrite: Bool) -> [String: TemplateValue] {
        var dst = a[0].mapValue ?? [:]
        for src in a.dropFirst() { dst = deepMerge(dst, src.mapValue ?? [:], overwrite: overwrite) }
        return dst
    }

    static func deepMerge(_ dst: [String: TemplateValue], _ src: [String: TemplateValue], overwrite: Bool) -> [String: TemplateValue] {
        var out = dst
        for (k, sv) in src {
            guard let dv = dst[k] else { out[k] = sv; continue }
            if let dm = dv.mapValue, let sm = sv.mapValue, case .map = dv {
                out[k] = .map(deepMerge(dm, sm, overwrite: overwrite))
            } else if overwrite {
                if !isEmpty(sv) || dv.isNull { out[k] = sv }
            } else if isEmpty(dv), !dv.isTruthy, dv.mapValue == nil {
                out[k] = sv
            }
        }
        return out
    }
}
