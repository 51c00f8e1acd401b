import TetherTemplate

/// Sprig's string functions (strings.go, functions.go).
extension Sprig {
    static var strings: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        f["hello"] = TemplateFunction { _, _ in .string("Hello!") }
        f["abbrev"] = TemplateFunction([.int, .string]) { a, _ in .string(abbrev(int(a, 0), str(a, 1))) }
        f["abbrevboth"] = TemplateFunction([.int, .int, .string]) { a, _ in
            let left = int(a, 0), right = int(a, 1), s = str(a, 2)
            if right < 4 || (left > 0 && right < 7) { return .string(s) }
            return .string(abbreviate(s, offset: left, width: right))
        }
        f["trunc"] = TemplateFunction([.int, .string]) { a, _ in
            let c = int(a, 0), b = Array(str(a, 1).utf8)
            if c < 0 && b.count + c > 0 { return .string(String(decoding: b[(b.count + c)...], as: UTF8.self)) }
            if c >= 0 && b.count > c { return .string(String(decoding: b[..<c], as: UTF8.self)) }
            return a[1]
        }
        f["trim"] = stringFunction { trimSpace($0) }
        f["upper"] = stringFunction { String(String.UnicodeScalarView($0.unicodeScalars.map(upper))) }
        f["lower"] = stringFunction { String(String.UnicodeScalarView($0.unicodeScalars.map(lower))) }
        f["title"] = stringFunction(title)
        f["untitle"] = stringFunction(untitle)
        f["substr"] = TemplateFunction([.int, .int, .string]) { a, _ in
            let start = int(a, 0), end = int(a, 1), b = Array(str(a, 2).utf8)
            let range: Range<Int>
            if start < 0 { range = 0..<end } else if end < 0 || end > b.count { range = start..<b.count } else { range = start..<end }
            guard range.lowerBound >= 0, range.upperBound <= b.count, range.lowerBound <= range.upperBound else {
                throw SprigError("runtime error: slice bounds out of range [\(range.lowerBound):\(range.upperBound)] with length \(b.count)")
            }
            return .string(String(decoding: b[range], as: UTF8.self))
        }
        f["repeat"] = TemplateFunction([.int, .string]) { a, _ in
            let n = int(a, 0)
            guard n >= 0 else { throw SprigError("strings: negative Repeat count") }
            return .string(String(repeating: str(a, 1), count: n))
        }
        let trimAll = TemplateFunction([.string, .string]) { a, _ in .string(trim(str(a, 1), set: str(a, 0))) }
        f["trimAll"] = trimAll
        f["trimall"] = trimAll
        f["trimSuffix"] = TemplateFunction([.string, .string]) { a, _ in
            let s = str(a, 1), x = str(a, 0)
            return .string(s.hasSuffix(x) && !x.isEmpty ? String(decoding: Array(s.utf8).dropLast(x.utf8.count), as: UTF8.self) : s)
        }
        f["trimPrefix"] = TemplateFunction([.string, .string]) { a, _ in
            let s = str(a, 1), x = str(a, 0)
            return .string(s.hasPrefix(x) && !x.isEmpty ? String(decoding: Array(s.utf8).dropFirst(x.utf8.count), as: UTF8.self) : s)
        }
        f["nospace"] = stringFunction { String(String.UnicodeScalarView($0.unicodeScalars.filter { !isSpace($0) })) }
        f["initials"] = stringFunction { s in
            String(String.UnicodeScalarView(fields(s).compactMap { $0.unicodeScalars.first }))
        }
        f["swapcase"] = stringFunction { s in
            String(String.UnicodeScalarView(s.unicodeScalars.map { c in
                c.properties.isUppercase ? lower(c) : (c.properties.isLowercase ? upper(c) : c)
            }))
        }
        f["snakecase"] = stringFunction { caseWords($0, separator: "_") }
        f["kebabcase"] = stringFunction { caseWords($0, separator: "-") }
        f["camelcase"] = stringFunction(camelcase)
        f["shuffle"] = stringFunction { String(String.UnicodeScalarView($0.unicodeScalars.shuffled())) }
        f["wrap"] = TemplateFunction([.int, .string]) { a, _ in .string(wrap(str(a, 1), int(a, 0), newline: "\n", long: false)) }
        f["wrapWith"] = TemplateFunction([.int, .string, .string]) { a, _ in
            .string(wrap(str(a, 2), int(a, 0), newline: str(a, 1), long: true))
        }
        f["contains"] = TemplateFunction([.string, .string]) { a, _ in .bool(contains(str(a, 1), str(a, 0))) }
        f["hasPrefix"] = TemplateFunction([.string, .string]) { a, _ in .bool(str(a, 1).utf8.starts(with: str(a, 0).utf8)) }
        f["hasSuffix"] = TemplateFunction([.string, .string]) { a, _ in .bool(str(a, 1).utf8.reversed().starts(with: str(a, 0).utf8.reversed())) }
        f["quote"] = TemplateFunction(variadic: .any) { a, _ in
            .string(a.filter { !$0.isNull }.map { goQuote(strval($0)) }.joined(separator: " "))
        }
        f["squote"] = TemplateFunction(variadic: .any) { a, _ in
            .string(a.filter { !$0.isNull }.map { "'" + strval($0) + "'" }.joined(separator: " "))
        }
        f["cat"] = TemplateFunction(variadic: .any) { a, _ in
            let kept = a.filter { !$0.isNull }
            return .string(GoFormat.sprintf(Array(repeating: "%v", count: kept.count).joined(separator: " "), kept))
        }
        f["indent"] = TemplateFunction([.int, .string]) { a, _ in .string(indent(int(a, 0), str(a, 1))) }
        f["nindent"] = TemplateFunction([.int, .string]) { a, _ in .string("\n" + indent(int(a, 0), str(a, 1))) }
        f["replace"] = TemplateFunction([.string, .string, .string]) { a, _ in
            .string(replaceAll(str(a, 2), str(a, 0), str(a, 1)))
        }
        f["plural"] = TemplateFunction([.string, .string, .int]) { a, _ in int(a, 2) == 1 ? a[0] : a[1] }
        f["toString"] = TemplateFunction([.any]) { a, _ in .string(strval(a[0])) }
        f["split"] = TemplateFunction([.string, .string]) { a, _ in indexed(split(str(a, 1), str(a, 0), limit: -1)) }
        f["splitn"] = TemplateFunction([.string, .int, .string]) { a, _ in indexed(split(str(a, 2), str(a, 0), limit: int(a, 1))) }
        f["splitList"] = TemplateFunction([.string, .string]) { a, _ in stringList(split(str(a, 1), str(a, 0), limit: -1)) }
        f["toStrings"] = TemplateFunction([.any]) { a, _ in stringList(strslice(a[0])) }
        f["join"] = TemplateFunction([.string, .any]) { a, _ in .string(strslice(a[1]).joined(separator: str(a, 0))) }
        f["sortAlpha"] = TemplateFunction([.any]) { a, _ in
            guard a[0].listValue != nil else { return stringList([strval(a[0])]) }
            return stringList(strslice(a[0]).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }
        f["randAlphaNum"] = randomString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        f["randAlpha"] = randomString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        f["randNumeric"] = randomString("0123456789")
        f["randAscii"] = randomString(String(String.UnicodeScalarView((32...126).compactMap(Unicode.Scalar.init))))
        return f
    }

    static func randomString(_ alphabet: String) -> TemplateFunction {
        let letters = Array(alphabet)
        return TemplateFunction([.int]) { a, _ in
            var rng = SystemRandomNumberGenerator()
            return .string(String((0..<max(0, int(a, 0))).map { _ in letters.randomElement(using: &rng)! }))
        }
    }

    static func indexed(_ parts: [String]) -> TemplateValue {
        var m: [String: TemplateValue] = [:]
        for (i, p) in parts.enumerated() { m["_\(i)"] = .string(p) }
        return .map(m, .string)
    }

    static func upper(_ c: Unicode.Scalar) -> Unicode.Scalar {
        let m = c.properties.uppercaseMapping.unicodeScalars
        return m.count == 1 ? m.first! : c
    }

    static func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
        let m = c.properties.lowercaseMapping.unicodeScalars
        return m.count == 1 ? m.first! : c
    }

    static func titleCase(_ c: Unicode.Scalar) -> Unicode.Scalar {
        let m = c.properties.titlecaseMapping.unicodeScalars
        return m.count == 1 ? m.first! : c
    }

    /// Go's `unicode.IsSpace`.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        default: return c.value > 0xFF && c.properties.isWhitespace
        }
    }

    static func trimSpace(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// Go's `strings.Trim(s, cutset)`.
    static func trim(_ s: String, set: String) -> String {
        let cut = Set(set.unicodeScalars)
        let scalars = Array(s.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !cut.contains($0) }), let last = scalars.lastIndex(where: { !cut.contains($0) }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// Go's `strings.Fields`.
    static func fields(_ s: String) -> [String] {
        var out: [String] = [], word = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            if isSpace(c) { if !word.isEmpty { out.append(String(word)); word = .init() } } else { word.append(c) }
        }
        if !word.isEmpty { out.append(String(word)) }
        return out
    }

    /// Go's `strings.Title`: the first letter of every word upper-cased (title case).
    static func title(_ s: String) -> String {
        var prev: Unicode.Scalar = " "
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            out.append(isTitleSeparator(prev) ? titleCase(c) : c)
            prev = c
        }
        return String(out)
    }

    static func isTitleSeparator(_ c: Unicode.Scalar) -> Bool {
        if c.value <= 0x7F {
            let ch = Character(c)
            return !(ch.isLetter || ch.isNumber || ch == "_")
        }
        if c.properties.isAlphabetic || c.properties.numericType != nil { return false }
        return isSpace(c)
    }

    /// goutils `Uncapitalize`: the first letter of every whitespace-separated word lower-cased.
    static func untitle(_ s: String) -> String {
        var atStart = true
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            if isSpace(c) { atStart = true; out.append(c) } else { out.append(atStart ? lower(c) : c); atStart = false }
        }
        return String(out)
    }

    static func abbrev(_ width: Int, _ s: String) -> String {
        width < 4 ? s : abbreviate(s, offset: 0, width: width)
    }

    /// goutils `AbbreviateFull` (byte offsets, as in Go).
    static func abbreviate(_ s: String, offset: Int, width: Int) -> String {
        let b = Array(s.utf8)
        if b.isEmpty || width < 4 || b.count <= width { return s }
        var offset = min(offset, b.count)
        if b.count - offset < width - 3 { offset = b.count - (width - 3) }
        if offset <= 4 { return String(decoding: b[..<(width - 3)], as: UTF8.self) + "..." }
        if width < 7 { return "" }
        if offset + width - 3 < b.count {
            return "..." + abbreviate(String(decoding: b[offset...], as: UTF8.self), offset: 0, width: width - 3)
        }
        return "..." + String(decoding: b[(b.count - (width - 3))...], as: UTF8.self)
    }

    static func contains(_ s: String, _ sub: String) -> Bool {
        sub.isEmpty || Array(s.utf8).firstRange(of: Array(sub.utf8)) != nil
    }

    static func replaceAll(_ s: String, _ old: String, _ new: String) -> String {
        if old.isEmpty {
            // Go inserts `new` before every rune and at the end.
            return s.unicodeScalars.map { new + String($0) }.joined() + new
        }
        return split(s, old, limit: -1).joined(separator: new)
    }

    /// Go's `strings.SplitN` (`limit` < 0: all parts); an empty separator splits into runes.
    static func split(_ s: String, _ sep: String, limit: Int) -> [String] {
        if limit == 0 { return [] }
        if sep.isEmpty {
            var parts = s.unicodeScalars.map { String($0) }
            if limit > 0 && parts.count > limit { parts = Array(parts[..<(limit - 1)]) + [parts[(limit - 1)...].joined()] }
            return parts
        }
        let b = Array(s.utf8), p = Array(sep.utf8)
        var out: [String] = [], start = 0, i = 0
        while i + p.count <= b.count, limit < 0 || out.count < limit - 1 {
            if b[i..<(i + p.count)].elementsEqual(p) {
                out.append(String(decoding: b[start..<i], as: UTF8.self))
                i += p.count
                start = i
            } else { i += 1 }
        }
        out.append(String(decoding: b[start...], as: UTF8.self))
        return out
    }

    static func indent(_ n: Int, _ s: String) -> String {
        let pad = String(repeating: " ", count: max(0, n))
        return pad + replaceAll(s, "\n", "\n" + pad)
    }

    /// goutils `WrapCustom`: breaks lines at spaces so they fit `width`; `long` also breaks words.
    static func wrap(_ s: String, _ width: Int, newline: String, long: Bool) -> String {
        let width = max(1, width)
        let b = Array(s.utf8)
        var out: [UInt8] = [], offset = 0
        let nl = Array(newline.utf8)
        while b.count - offset > width {
            if b[offset] == 0x20 { offset += 1; continue }
            let end = min(b.count, offset + width + 1)
            if let space = b[offset..<end].lastIndex(of: 0x20), space >= offset {
                out += b[offset..<space] + nl
                offset = space + 1
            } else if long {
                out += b[offset..<(offset + width)] + nl
                offset += width
            } else if let space = b[(offset + width)...].firstIndex(of: 0x20) {
                out += b[offset..<space] + nl
                offset = space + 1
            } else {
                out += b[offset...]
                offset = b.count
            }
        }
        out += b[offset...]
        return String(decoding: out, as: UTF8.self)
    }

    /// Splits into words the way xstrings does for snake/kebab case: at case changes,
    /// digits-letters boundaries and non-alphanumerics.
    static func caseWords(_ s: String, separator: String) -> String {
        var words: [String] = [], word = ""
        let chars = Array(s)
        for (i, c) in chars.enumerated() {
            if !(c.isLetter || c.isNumber) {
                if !word.isEmpty { words.append(word); word = "" }
                continue
            }
            if c.isUppercase, !word.isEmpty {
                let prev = chars[i - 1]
                let nextLower = i + 1 < chars.count && chars[i + 1].isLowercase
                if prev.isLowercase || prev.isNumber || (prev.isUppercase && nextLower) { words.append(word); word = "" }
            }
            word.append(contentsOf: c.lowercased())
        }
        if !word.isEmpty { words.append(word) }
        return words.joined(separator: separator)
    }

    /// xstrings `ToCamelCase`: `_`-separated words joined, each after the first capitalised.
    /// xstrings' `ToCamelCase`: leading connectors (`_`, `-`, spaces) kept, the rune after a
    /// connector upper-cased, every other rune lower-cased, doubled connectors kept once.
    static func camelcase(_ s: String) -> String {
        func isConnector(_ r: Unicode.Scalar) -> Bool { r == "-" || r == "_" || r.properties.isWhitespace }
        func upper(_ r: Unicode.Scalar) -> String { String(r).uppercased().unicodeScalars.count == 1 ? String(r).uppercased() : String(r) }
        func lower(_ r: Unicode.Scalar) -> String { String(r).lowercased().unicodeScalars.count == 1 ? String(r).lowercased() : String(r) }
        var rest = Substring.UnicodeScalarView(s.unicodeScalars)
        guard !rest.isEmpty else { return "" }
        var out = ""
        var r0: Unicode.Scalar = " ", r0Text = ""
        while let r = rest.popFirst() {
            r0 = r
            if !isConnector(r) { r0Text = upper(r); break }
            out.unicodeScalars.append(r)
            r0Text = String(r)
        }
        if rest.isEmpty {
            return out + r0Text
        }
        while let r = rest.popFirst() {
            let r1 = r0, r1Text = r0Text
            r0 = r
            if isConnector(r0) && isConnector(r1) {
                out += r1Text
                r0Text = String(r0)
                continue
            }
            if isConnector(r1) {
                r0Text = upper(r0)
            } else {
                r0Text = lower(r0)
                out += r1Text
            }
        }
        return out + r0Text
    }
}
