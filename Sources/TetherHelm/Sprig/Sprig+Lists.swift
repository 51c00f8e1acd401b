import TetherTemplate

/// Sprig's list functions (list.go). `must*` variants return Sprig's error; the plain ones
/// panic with the same text in Go, which the template reports identically.
extension Sprig {
    static var lists: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        let list = TemplateFunction(variadic: .any) { a, _ in .list(a) }
        f["list"] = list
        f["tuple"] = list
        both(&f, "append", "push", [.any, .any]) { a in .list(try items(a[0]) { "Cannot push on type \($0)" } + [a[1]]) }
        both(&f, "prepend", nil, [.any, .any]) { a in .list([a[1]] + (try items(a[0]) { "Cannot prepend on type \($0)" })) }
        both(&f, "first", nil, [.any]) { a in
            if a[0].isNull { return .null }
            return try items(a[0]) { "Cannot find first on type \($0)" }.first ?? .null
        }
        both(&f, "last", nil, [.any]) { a in
            if a[0].isNull { return .null }
            return try items(a[0]) { "Cannot find last on type \($0)" }.last ?? .null
        }
        both(&f, "rest", nil, [.any]) { a in
            if a[0].isNull { return .null }
            let l = try items(a[0]) { "Cannot find rest on type \($0)" }
            return .list(Array(l.dropFirst()))
        }
        both(&f, "initial", nil, [.any]) { a in
            if a[0].isNull { return .null }
            let l = try items(a[0]) { "Cannot find initial on type \($0)" }
            return .list(Array(l.dropLast()))
        }
        both(&f, "reverse", nil, [.any]) { a in .list(try items(a[0]) { "Cannot find reverse on type \($0)" }.reversed()) }
        both(&f, "uniq", nil, [.any]) { a in
            var out: [TemplateValue] = []
            for v in try items(a[0], { "Cannot find uniq on type \($0)" }) where !out.contains(where: { deepEqual($0, v) }) { out.append(v) }
            return .list(out)
        }
        both(&f, "compact", nil, [.any]) { a in .list(try items(a[0]) { "Cannot compact on type \($0)" }.filter { !isEmpty($0) }) }
        f["without"] = TemplateFunction([.any], variadic: .any) { a, _ in try without(a) }
        f["mustWithout"] = f["without"]
        f["has"] = TemplateFunction([.any, .any]) { a, _ in try has(a) }
        f["mustHas"] = f["has"]
        f["slice"] = TemplateFunction([.any], variadic: .any) { a, _ in try slice(a) }
        f["mustSlice"] = f["slice"]
        f["concat"] = TemplateFunction(variadic: .any) { a, _ in
            var out: [TemplateValue] = []
            for l in a { out += try items(l) { "Cannot concat type \($0) as list" } }
            return .list(out)
        }
        let chunk = TemplateFunction([.int, .any]) { a, _ in
            let size = int(a, 0)
            let l = try items(a[1]) { "Cannot chunk type \($0)" }
            guard size > 0 else { throw SprigError("runtime error: integer divide by zero") }
            return .list(stride(from: 0, to: l.count, by: size).map { .list(Array(l[$0..<min($0 + size, l.count)])) }, .slice(.any))
        }
        f["chunk"] = chunk
        f["mustChunk"] = chunk
        f["until"] = TemplateFunction([.int]) { a, _ in intList(untilStep(0, int(a, 0), int(a, 0) < 0 ? -1 : 1)) }
        f["untilStep"] = TemplateFunction([.int, .int, .int]) { a, _ in intList(untilStep(int(a, 0), int(a, 1), int(a, 2))) }
        f["seq"] = TemplateFunction(variadic: .int) { a, _ in .string(try seq(a.map { int([$0], 0) })) }
        return f
    }

    /// Registers `name` and `mustName` (and an alias pair) for one Sprig list function.
    static func both(_ f: inout [String: TemplateFunction], _ name: String, _ alias: String?, _ params: [TemplateType],
                     _ body: @escaping @Sendable ([TemplateValue]) throws -> TemplateValue) {
        let fn = TemplateFunction(params) { a, _ in try body(a) }
        let must = "must" + name.prefix(1).uppercased() + name.dropFirst()
        f[name] = fn
        f[must] = fn
        if let alias {
            f[alias] = fn
            f["must" + alias.prefix(1).uppercased() + alias.dropFirst()] = fn
        }
    }

    static func intList(_ xs: [Int]) -> TemplateValue { .list(xs.map { .int(Int64($0)) }, .int) }

    static func untilStep(_ start: Int, _ stop: Int, _ step: Int) -> [Int] {
        var out: [Int] = []
        if step == 0 { return out }
        if stop < start {
            if step >= 0 { return out }
            var i = start
            while i > stop { out.append(i); i += step }
            return out
        }
        if step <= 0 { return out }
        var i = start
        while i < stop { out.append(i); i += step }
        return out
    }

    /// Sprig's `seq` (numeric.go), modelled on GNU seq: `seq LAST`, `seq FIRST LAST`,
    /// `seq FIRST STEP LAST`; the end is inclusive, stepping toward it.
    static func seq(_ p: [Int]) throws -> String {
        func join(_ xs: [Int]) -> String { xs.map(String.init).joined(separator: " ") }
        switch p.count {
        case 1:
            let increment = p[0] < 1 ? -1 : 1
            return join(untilStep(1, p[0] + increment, increment))
        case 2:
            let step = p[1] < p[0] ? -1 : 1
            return join(untilStep(p[0], p[1] + step, step))
        case 3:
            let start = p[0], step = p[1], end = p[2]
            var increment = 1
            if end < start {
                increment = -1
                if step > 0 { return "" }
            }
            return join(untilStep(start, end + increment, step))
        default: return ""
        }
    }

    static func without(_ a: [TemplateValue]) throws -> TemplateValue {
        let l = try items(a[0]) { "Cannot find without on type \($0)" }
        let omit = Array(a.dropFirst())
        return .list(l.filter { v in !omit.contains { deepEqual($0, v) } })
    }

    static func has(_ a: [TemplateValue]) throws -> TemplateValue {
        if a[1].isNull { return .bool(false) }
        let l = try items(a[1]) { "Cannot find has on type \($0)" }
        return .bool(l.contains { deepEqual($0, a[0]) })
    }

    static func slice(_ a: [TemplateValue]) throws -> TemplateValue {
        guard case .list(let l, let element) = a[0] else {
            throw SprigError("list should be type of slice or array but \(kind(a[0]))")
        }
        if l.isEmpty { return .null }
        let start = a.count > 1 ? toInt(a[1]) : 0
        let end = a.count > 2 ? toInt(a[2]) : l.count
        guard start >= 0, start <= end, end <= l.count else { throw SprigError("reflect: slice index out of range") }
        return .list(Array(l[start..<end]), element)
    }
}
