import TetherTemplate

/// Sprig's defaults and reflection functions (defaults.go, reflect.go).
extension Sprig {
    static var defaults: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        f["default"] = TemplateFunction([.any], variadic: .any) { a, _ in
            // `default D` with no value: Sprig returns D.
            if a.count < 2 { return a[0] }
            return isEmpty(a[1]) ? a[0] : a[1]
        }
        f["empty"] = TemplateFunction([.any]) { a, _ in .bool(isEmpty(a[0])) }
        f["coalesce"] = TemplateFunction(variadic: .any) { a, _ in a.first { !isEmpty($0) } ?? .null }
        f["all"] = TemplateFunction(variadic: .any) { a, _ in .bool(a.allSatisfy { !isEmpty($0) }) }
        f["any"] = TemplateFunction(variadic: .any) { a, _ in .bool(a.contains { !isEmpty($0) }) }
        f["ternary"] = TemplateFunction([.any, .any, .bool]) { a, _ in if case .bool(true) = a[2] { a[0] } else { a[1] } }
        let deepCopy = TemplateFunction([.any]) { a, _ in
            guard !a[0].isNull else { throw SprigError("copy: cannot copy nil") }
            return a[0].deepCopy()
        }
        f["deepCopy"] = deepCopy
        f["mustDeepCopy"] = deepCopy
        f["fail"] = TemplateFunction([.string]) { a, _ in throw SprigError(str(a, 0)) }
        f["toJson"] = TemplateFunction([.any]) { a, _ in .string(SprigJSON.encode(a[0], escapeHTML: true, indent: false)) }
        f["mustToJson"] = f["toJson"]
        f["toPrettyJson"] = TemplateFunction([.any]) { a, _ in .string(SprigJSON.encode(a[0], escapeHTML: true, indent: true)) }
        f["mustToPrettyJson"] = f["toPrettyJson"]
        f["toRawJson"] = TemplateFunction([.any]) { a, _ in .string(SprigJSON.encode(a[0], escapeHTML: false, indent: false)) }
        f["mustToRawJson"] = f["toRawJson"]
        f["fromJson"] = TemplateFunction([.string]) { a, _ in (try? SprigJSON.decode(str(a, 0))) ?? .map([:]) }
        f["mustFromJson"] = TemplateFunction([.string]) { a, _ in try SprigJSON.decode(str(a, 0)) }
        return f
    }

    static var reflection: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        f["typeOf"] = TemplateFunction([.any]) { a, _ in .string(a[0].typeName) }
        f["typeIs"] = TemplateFunction([.string, .any]) { a, _ in .bool(str(a, 0) == a[1].typeName) }
        f["typeIsLike"] = TemplateFunction([.string, .any]) { a, _ in
            let t = a[1].typeName, want = str(a, 0)
            return .bool(want == t || "*" + want == t)
        }
        f["kindOf"] = TemplateFunction([.any]) { a, _ in .string(kind(a[0])) }
        f["kindIs"] = TemplateFunction([.string, .any]) { a, _ in .bool(str(a, 0) == kind(a[1])) }
        f["deepEqual"] = TemplateFunction([.any, .any]) { a, _ in .bool(deepEqual(a[0], a[1])) }
        return f
    }
}
