import TetherTemplate

/// Sprig's regex functions (regex.go) over Go's RE2 `regexp`. The plain ones panic on a bad
/// pattern (`regexp.MustCompile`'s text) except `regexMatch`, which answers false; the
/// `must*` ones return the compile error.
extension Sprig {
    static var regex: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        f["regexMatch"] = TemplateFunction([.string, .string]) { a, _ in
            .bool((try? GoRegexp(str(a, 0)))?.matches(str(a, 1)) ?? false)
        }
        f["mustRegexMatch"] = TemplateFunction([.string, .string]) { a, _ in .bool(try GoRegexp(str(a, 0)).matches(str(a, 1))) }
        regexPair(&f, "regexFindAll", [.string, .string, .int]) { r, a in stringList(r.findAll(str(a, 1), int(a, 2)) ?? []) }
        regexPair(&f, "regexFind", [.string, .string]) { r, a in .string(r.find(str(a, 1))) }
        regexPair(&f, "regexReplaceAll", [.string, .string, .string]) { r, a in
            .string(r.replaceAll(str(a, 1), str(a, 2), literal: false))
        }
        regexPair(&f, "regexReplaceAllLiteral", [.string, .string, .string]) { r, a in
            .string(r.replaceAll(str(a, 1), str(a, 2), literal: true))
        }
        regexPair(&f, "regexSplit", [.string, .string, .int]) { r, a in stringList(r.split(str(a, 1), int(a, 2)) ?? []) }
        f["regexQuoteMeta"] = stringFunction(GoRegexp.quoteMeta)
        return f
    }

    /// Registers `name` (compiling as `regexp.MustCompile` does) and `mustName` (returning the
    /// compile error) over one body taking the compiled pattern (argument 0) and the arguments.
    private static func regexPair(_ f: inout [String: TemplateFunction], _ name: String, _ params: [TemplateType],
                                  _ body: @escaping @Sendable (GoRegexp, [TemplateValue]) throws -> TemplateValue) {
        f[name] = TemplateFunction(params) { a, _ in
            let r: GoRegexp
            do { r = try GoRegexp(str(a, 0)) } catch {
                throw SprigError("regexp: Compile(\(mustCompileQuote(str(a, 0)))): \(error)")
            }
            return try body(r, a)
        }
        f["must" + name.prefix(1).uppercased() + name.dropFirst()] = TemplateFunction(params) { a, _ in
            try body(try GoRegexp(str(a, 0)), a)
        }
    }

    /// `regexp`'s `quote`: back-quoted when `strconv.CanBackquote`, else `strconv.Quote`.
    private static func mustCompileQuote(_ s: String) -> String {
        let canBackquote = s.unicodeScalars.allSatisfy { c in
            c != "`" && c != "\u{FEFF}" && (c == "\t" || (c.value >= 0x20 && c.value != 0x7F))
        }
        return canBackquote ? "`" + s + "`" : goQuote(s)
    }
}
