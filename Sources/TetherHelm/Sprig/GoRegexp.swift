import Foundation

/// A Go `regexp` (RE2 syntax, leftmost-first matching) as Sprig's regex functions use it.
///
/// The pattern is parsed with Go's grammar and refused where Go refuses it (look-around,
/// back-references, unknown escapes, bad repeats), with Go's error text. What Go accepts is
/// rewritten into an ICU pattern with the same meaning: `\d \s \w \b`, `.`, `^`, `$` and
/// POSIX classes keep their ASCII, `\n`-only RE2 meanings; classes are re-emitted with every
/// member escaped (ICU's nested sets and `&&` do not exist in RE2); `(?U)` swaps greediness.
/// For a pattern without back-references ICU's backtracking answers the same leftmost-first
/// match as Go's automaton. `findAll`, `replaceAll` and `split` follow Go's loops exactly,
/// including how empty matches next to a previous match are skipped.
struct GoRegexp {
    /// Go's `*syntax.Error` text: `error parsing regexp: CODE: `EXPR``.
    struct SyntaxError: Error, CustomStringConvertible {
        var code: String
        var expr: String
        var description: String { "error parsing regexp: \(code): `\(expr)`" }
    }

    let expression: String
    /// Capture group names by group number (index 0 is the whole match, named "").
    let groupNames: [String]
    private let icu: NSRegularExpression

    init(_ expression: String) throws {
        self.expression = expression
        var translator = Translator(Array(expression.unicodeScalars))
        let pattern = try translator.translate()
        self.groupNames = translator.names
        do {
            self.icu = try NSRegularExpression(pattern: pattern, options: [])
        } catch {
            throw SyntaxError(code: "invalid or unsupported Perl syntax", expr: expression)
        }
    }

    /// Go's `regexp.QuoteMeta`.
    static func quoteMeta(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if "\\.+*?()|[]{}^$".unicodeScalars.contains(c) { out.append("\\") }
            out.unicodeScalars.append(c)
        }
        return out
    }

    /// One match: group ranges in UTF-16 offsets of the searched text (`nil` for a group that
    /// did not take part).
    typealias Match = [NSRange?]

    private func match(in text: NSString, from position: Int) -> Match? {
        let range = NSRange(location: position, length: text.length - position)
        guard let m = icu.firstMatch(in: text as String, options: [.withTransparentBounds, .withoutAnchoringBounds], range: range) else {
            return nil
        }
        return (0..<m.numberOfRanges).map { i in
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : r
        }
    }

    private static func width(_ text: NSString, at position: Int) -> Int {
        guard position < text.length else { return 0 }
        let unit = text.character(at: position)
        return (0xD800...0xDBFF).contains(unit) && position + 1 < text.length ? 2 : 1
    }

    /// Go's `MatchString`.
    func matches(_ s: String) -> Bool {
        match(in: s as NSString, from: 0) != nil
    }

    /// Go's `FindStringSubmatch`: the match and its groups ("" for a group that did not take
    /// part), or `nil`.
    func submatches(_ s: String) -> [String]? {
        let text = s as NSString
        guard let m = match(in: text, from: 0) else { return nil }
        return m.map { $0.map { text.substring(with: $0) } ?? "" }
    }

    /// Go's `FindString`.
    func find(_ s: String) -> String {
        let text = s as NSString
        guard let m = match(in: text, from: 0), let r = m[0] else { return "" }
        return text.substring(with: r)
    }

    /// Go's `allMatches`: up to `n` matches (all when `n < 0`), an empty match right after a
    /// previous match skipped.
    func allMatches(_ text: NSString, _ n: Int) -> [Match] {
        let limit = n < 0 ? text.length + 1 : n
        var out: [Match] = []
        var position = 0, previousEnd = -1
        while out.count < limit, position <= text.length {
            guard let m = match(in: text, from: position), let whole = m[0] else { break }
            var accept = true
            let end = whole.location + whole.length
            if end == position {
                if whole.location == previousEnd { accept = false }
                position += position < text.length ? Self.width(text, at: position) : 1
            } else {
                position = end
            }
            previousEnd = end
            if accept { out.append(m) }
        }
        return out
    }

    /// Go's `FindAllString`: `nil` (Go's nil slice) when nothing matches.
    func findAll(_ s: String, _ n: Int) -> [String]? {
        if n == 0 { return nil }
        let text = s as NSString
        let found = allMatches(text, n)
        return found.isEmpty ? nil : found.map { text.substring(with: $0[0]!) }
    }

    /// Go's `Split`.
    func split(_ s: String, _ n: Int) -> [String]? {
        if n == 0 { return nil }
        if !expression.isEmpty && s.isEmpty { return [""] }
        let text = s as NSString
        var parts: [String] = []
        var begin = 0, end = 0
        for m in allMatches(text, n) {
            if n > 0 && parts.count == n - 1 { break }
            let whole = m[0]!
            end = whole.location
            if whole.location + whole.length != 0 {
                parts.append(text.substring(with: NSRange(location: begin, length: end - begin)))
            }
            begin = whole.location + whole.length
        }
        if end != text.length {
            parts.append(text.substring(from: begin))
        }
        return parts
    }

    /// Go's `ReplaceAllString` (`literal == false`, `$1`/`${name}` expanded) and
    /// `ReplaceAllLiteralString`.
    func replaceAll(_ s: String, _ replacement: String, literal: Bool) -> String {
        let text = s as NSString
        var out = ""
        var lastEnd = 0, position = 0
        while position <= text.length {
            guard let m = match(in: text, from: position), let whole = m[0] else { break }
            let end = whole.location + whole.length
            out += text.substring(with: NSRange(location: lastEnd, length: whole.location - lastEnd))
            if end > lastEnd || whole.location == 0 {
                out += literal ? replacement : expand(replacement, m, text)
            }
            lastEnd = end
            let width = Self.width(text, at: position)
            if position + width > end {
                position += width
            } else if position + 1 > end {
                position += 1
            } else {
                position = end
            }
        }
        out += text.substring(from: lastEnd)
        return out
    }

    /// Go's `Regexp.expand`: `$$`, `$N`, `${N}`, `$name`, `${name}`; a malformed `$` is kept.
    private func expand(_ template: String, _ m: Match, _ text: NSString) -> String {
        var out = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                out += "$"
                rest = rest.dropFirst()
                continue
            }
            guard let (name, remainder) = Self.extract(rest) else {
                out += "$"
                continue
            }
            rest = remainder
            var group: Int?
            if let number = Int(name), name.allSatisfy(\.isASCII), !(name.first == "0" && name.count > 1), number < 100_000_000 {
                group = number
            } else if !name.allSatisfy({ $0.isASCII && $0.isNumber }) || name.first == "0" {
                group = groupNames.firstIndex(of: name)
            }
            if let group, group < m.count, let r = m[group] {
                out += text.substring(with: r)
            }
        }
        return out + rest
    }

    private static func extract(_ s: Substring) -> (String, Substring)? {
        var rest = s
        let brace = rest.first == "{"
        if brace { rest = rest.dropFirst() }
        let name = rest.prefix { c in c == "_" || c.unicodeScalars.allSatisfy { CharacterSet.letters.contains($0) || CharacterSet.decimalDigits.contains($0) } }
        guard !name.isEmpty else { return nil }
        rest = rest[name.endIndex...]
        if brace {
            guard rest.first == "}" else { return nil }
            rest = rest.dropFirst()
        }
        return (String(name), rest)
    }
}

/// Parses RE2 syntax and writes the equivalent ICU pattern.
private struct Translator {
    struct Flags { var i = false, m = false, s = false, u = false }

    let p: [Unicode.Scalar]
    var pos = 0
    var out = ""
    var names: [String] = [""]
    /// The flags in force, one entry per open group (the group's flags at its start).
    var stack: [Flags] = []
    var flags = Flags()
    /// Whether the last thing written can take a repetition operator, and where it starts.
    var lastAtomStart: String.Index?
    var lastWasRepeat = false
    var repeatStart = 0

    init(_ p: [Unicode.Scalar]) { self.p = p }

    var expr: String { String(String.UnicodeScalarView(p)) }

    func error(_ code: String, _ from: Int, _ to: Int? = nil) -> GoRegexp.SyntaxError {
        let end = min(to ?? p.count, p.count)
        return GoRegexp.SyntaxError(code: code, expr: String(String.UnicodeScalarView(p[from..<end])))
    }

    static let word = "0-9A-Za-z_"
    static let perlClasses: [Unicode.Scalar: (String, Bool)] = [
        "d": ("0-9", false), "D": ("0-9", true),
        "s": ("\\t\\n\\f\\r ", false), "S": ("\\t\\n\\f\\r ", true),
        "w": (word, false), "W": (word, true),
    ]
    static let posixClasses: [String: String] = [
        "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x{0}-\\x{7F}", "blank": "\\t ",
        "cntrl": "\\x{0}-\\x{1F}\\x{7F}", "digit": "0-9", "graph": "!-~", "lower": "a-z",
        "print": " -~", "punct": "!-/:-@\\[-`{-~", "space": "\\t\\n\\x{0B}\\f\\r ", "upper": "A-Z",
        "word": word, "xdigit": "0-9A-Fa-f",
    ]

    mutating func translate() throws -> String {
        while pos < p.count {
            let c = p[pos]
            switch c {
            case "(":
                try openGroup()
            case ")":
                guard !stack.isEmpty else { throw error("unexpected )", 0) }
                flags = stack.removeLast()
                out += ")"
                atomEnded(at: nil)
                pos += 1
            case "|":
                out += "|"
                noAtom()
                pos += 1
            case "*", "+", "?", "{":
                if c == "{", !isRepeat(at: pos) {
                    literal(c)
                    pos += 1
                } else {
                    try repetition()
                }
            case "[":
                let start = out.endIndex
                try characterClass()
                atomEnded(at: start)
            case ".":
                let start = out.endIndex
                out += flags.s ? "(?s:.)" : "[^\\n]"
                atomEnded(at: start)
                pos += 1
            case "^":
                out += flags.m ? "(?:\\A|(?<=\\n))" : "\\A"
                atomEnded(at: nil)
                pos += 1
            case "$":
                out += flags.m ? "(?=\\n|\\z)" : "\\z"
                atomEnded(at: nil)
                pos += 1
            case "\\":
                try escape()
            default:
                let start = out.endIndex
                literal(c)
                atomEnded(at: start)
                pos += 1
            }
        }
        guard stack.isEmpty else { throw error("missing closing )", 0) }
        return out
    }

    mutating func atomEnded(at start: String.Index?) {
        lastAtomStart = start ?? out.endIndex
        lastWasRepeat = false
    }

    mutating func noAtom() {
        lastAtomStart = nil
        lastWasRepeat = false
    }

    mutating func literal(_ c: Unicode.Scalar) {
        if c.isASCII && !(CharacterSet.alphanumerics.contains(c)) {
            out += "\\"
            out.unicodeScalars.append(c)
        } else if c.isASCII {
            out.unicodeScalars.append(c)
        } else {
            out += "\\x{" + String(c.value, radix: 16) + "}"
        }
    }

    func isRepeat(at i: Int) -> Bool { repeatBounds(at: i) != nil }

    /// `{n}`, `{n,}` or `{n,m}` at `i`: the bounds and the index after `}`.
    func repeatBounds(at i: Int) -> (Int, Int?, Int)? {
        var j = i + 1
        func number() -> Int? {
            let start = j
            while j < p.count, ("0"..."9").contains(p[j]) { j += 1 }
            guard j > start else { return nil }
            return Int(String(String.UnicodeScalarView(p[start..<j]))) ?? Int.max
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if j < p.count, p[j] == "," {
            j += 1
            if j < p.count, p[j] == "}" { high = nil } else {
                guard let h = number() else { return nil }
                high = h
            }
        }
        guard j < p.count, p[j] == "}" else { return nil }
        return (low, high, j + 1)
    }

    mutating func repetition() throws {
        let start = pos
        var end = pos + 1
        var op: String
        if p[pos] == "{" {
            let (low, high, after) = repeatBounds(at: pos)!
            end = after
            if low > 1000 || (high ?? 0) > 1000 || (high.map { $0 < low } ?? false) {
                throw error("invalid repeat count", start, end)
            }
            op = "{\(low)," + (high.map(String.init) ?? "") + "}"
            if high == low { op = "{\(low)}" }
        } else {
            op = String(p[pos])
        }
        var lazy = false
        if end < p.count, p[end] == "?" {
            lazy = true
            end += 1
        }
        if lastWasRepeat {
            throw error("invalid nested repetition operator", repeatStart, end)
        }
        guard lastAtomStart != nil else {
            throw error("missing argument to repetition operator", start, end)
        }
        if flags.u { lazy.toggle() }
        out += op + (lazy ? "?" : "")
        pos = end
        lastWasRepeat = true
        repeatStart = start
    }

    mutating func openGroup() throws {
        let start = pos
        if pos + 1 < p.count, p[pos + 1] == "?" {
            var j = pos + 2
            // Named group: (?P<name>re) or (?<name>re).
            if j < p.count, p[j] == "P" || p[j] == "<" {
                if p[j] == "P" { j += 1 }
                guard j < p.count, p[j] == "<" else { throw error("invalid or unsupported Perl syntax", start, j + 1) }
                if j == pos + 2, j + 1 < p.count, p[j + 1] == "=" || p[j + 1] == "!" {
                    throw error("invalid or unsupported Perl syntax", start, j + 2)
                }
                guard let close = p[j...].firstIndex(of: ">") else { throw error("invalid named capture", start) }
                let name = String(String.UnicodeScalarView(p[(j + 1)..<close]))
                guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }) else {
                    throw error("invalid named capture", start, close + 1)
                }
                guard !names.contains(name) else { throw error("duplicate capture group name", start, close + 1) }
                names.append(name)
                stack.append(flags)
                out += "("
                noAtom()
                pos = close + 1
                return
            }
            // Flags: (?flags) or (?flags:re).
            var f = flags
            var negated = false, sawFlag = false
            while j < p.count {
                let c = p[j]
                switch c {
                case "i": f.i = !negated; sawFlag = true
                case "m": f.m = !negated; sawFlag = true
                case "s": f.s = !negated; sawFlag = true
                case "U": f.u = !negated; sawFlag = true
                case "-":
                    guard !negated else { throw error("invalid or unsupported Perl syntax", start, j + 1) }
                    negated = true
                    sawFlag = false
                case ":", ")":
                    if negated && !sawFlag { throw error("invalid or unsupported Perl syntax", start, j + 1) }
                    if c == ")" && j == pos + 2 { throw error("missing argument to repetition operator", start + 1, start + 2) }
                    let icase = f.i ? "i" : "-i"
                    if c == ":" {
                        stack.append(flags)
                        flags = f
                        out += "(?\(icase):"
                        noAtom()
                    } else {
                        flags = f
                        out += "(?\(icase))"
                        noAtom()
                    }
                    pos = j + 1
                    return
                default:
                    throw error("invalid or unsupported Perl syntax", start, j + 1)
                }
                j += 1
            }
            throw error("missing closing )", start)
        }
        names.append("")
        stack.append(flags)
        out += "("
        noAtom()
        pos += 1
    }

    /// An escape outside a class.
    mutating func escape() throws {
        let start = pos
        guard pos + 1 < p.count else { throw error("trailing backslash at end of expression", start, start) }
        let c = p[pos + 1]
        let atom = out.endIndex
        switch c {
        case "A":
            out += "\\A"; pos += 2; atomEnded(at: nil); return
        case "z":
            out += "\\z"; pos += 2; atomEnded(at: nil); return
        case "b":
            out += "(?:(?<=[\(Self.word)])(?![\(Self.word)])|(?<![\(Self.word)])(?=[\(Self.word)]))"
            pos += 2; atomEnded(at: nil); return
        case "B":
            out += "(?:(?<=[\(Self.word)])(?=[\(Self.word)])|(?<![\(Self.word)])(?![\(Self.word)]))"
            pos += 2; atomEnded(at: nil); return
        case "Q":
            pos += 2
            while pos < p.count {
                if p[pos] == "\\", pos + 1 < p.count, p[pos + 1] == "E" { pos += 2; return }
                let s = out.endIndex
                literal(p[pos])
                atomEnded(at: s)
                pos += 1
            }
            return
        case "E":
            pos += 2; return
        default:
            break
        }
        if let (set, negated) = Self.perlClasses[c] {
            out += (negated ? "[^" : "[") + set + "]"
            pos += 2
        } else if c == "p" || c == "P" {
            out += try unicodeClass(negatedInitially: false)
        } else {
            let scalar = try escapedScalar()
            literal(scalar)
        }
        atomEnded(at: atom)
    }

    /// `\pL`, `\p{Greek}`, `\PL`, `\p{^Greek}` at `pos`, as ICU spells them.
    mutating func unicodeClass(negatedInitially: Bool) throws -> String {
        let start = pos
        var negated = p[pos + 1] == "P"
        pos += 2
        guard pos < p.count else { throw error("invalid character class range", start) }
        var name: String
        if p[pos] == "{" {
            guard let close = p[pos...].firstIndex(of: "}") else { throw error("invalid character class range", start) }
            name = String(String.UnicodeScalarView(p[(pos + 1)..<close]))
            pos = close + 1
        } else {
            name = String(p[pos])
            pos += 1
        }
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") }) else {
            throw error("invalid character class range", start, pos)
        }
        if negatedInitially { negated.toggle() }
        if name == "Any" { return negated ? "[^\\x{0}-\\x{10FFFF}]" : "[\\x{0}-\\x{10FFFF}]" }
        return (negated ? "\\P{" : "\\p{") + name + "}"
    }

    /// A single-character escape at `pos` (`\n`, `\x41`, `\x{263a}`, `\123`, `\.`), past it.
    mutating func escapedScalar() throws -> Unicode.Scalar {
        let start = pos
        let c = p[pos + 1]
        pos += 2
        switch c {
        case "a": return "\u{07}"
        case "f": return "\u{0C}"
        case "t": return "\t"
        case "n": return "\n"
        case "r": return "\r"
        case "v": return "\u{0B}"
        case "x":
            guard pos < p.count else { throw error("invalid escape sequence", start) }
            var hex: String
            if p[pos] == "{" {
                guard let close = p[pos...].firstIndex(of: "}") else { throw error("invalid escape sequence", start) }
                hex = String(String.UnicodeScalarView(p[(pos + 1)..<close]))
                pos = close + 1
            } else {
                guard pos + 1 < p.count else { throw error("invalid escape sequence", start) }
                hex = String(String.UnicodeScalarView(p[pos..<(pos + 2)]))
                pos += 2
            }
            guard !hex.isEmpty, let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v), v <= 0x10FFFF else {
                throw error("invalid escape sequence", start, pos)
            }
            return s
        case "0"..."7":
            // A lone \1-\7 is a back-reference, which RE2 refuses; otherwise up to three octal digits.
            if c != "0", pos >= p.count || !("0"..."7").contains(p[pos]) {
                throw error("invalid escape sequence", start, pos)
            }
            var v = c.value - 48
            var digits = 1
            while digits < 3, pos < p.count, ("0"..."7").contains(p[pos]) {
                v = v * 8 + p[pos].value - 48
                pos += 1
                digits += 1
            }
            return Unicode.Scalar(v)!
        default:
            if c.isASCII, !CharacterSet.alphanumerics.contains(c) { return c }
            throw error("invalid escape sequence", start, pos)
        }
    }

    /// `[...]` at `pos`, written as an ICU set whose members are all escaped.
    mutating func characterClass() throws {
        let start = pos
        pos += 1
        var negated = false
        if pos < p.count, p[pos] == "^" {
            negated = true
            pos += 1
        }
        var body = ""
        var first = true
        func hex(_ s: Unicode.Scalar) -> String { "\\x{" + String(s.value, radix: 16) + "}" }
        while true {
            guard pos < p.count else { throw error("missing closing ]", start) }
            let c = p[pos]
            if c == "]" && !first { pos += 1; break }
            first = false
            if c == "[", pos + 1 < p.count, p[pos + 1] == ":" {
                let rest = String(String.UnicodeScalarView(p[(pos + 2)...]))
                if let close = rest.range(of: ":]") {
                    var name = String(rest[..<close.lowerBound])
                    var neg = false
                    if name.hasPrefix("^") { neg = true; name.removeFirst() }
                    guard let set = Self.posixClasses[name] else {
                        throw error("invalid character class range", pos, pos + 2 + name.unicodeScalars.count + (neg ? 1 : 0) + 2)
                    }
                    body += neg ? "[^" + set + "]" : set
                    pos += 2 + rest[..<close.upperBound].unicodeScalars.count
                    continue
                }
            }
            if c == "\\", pos + 1 < p.count {
                let e = p[pos + 1]
                if let (set, neg) = Self.perlClasses[e] {
                    body += neg ? "[^" + set + "]" : set
                    pos += 2
                    continue
                }
                if e == "p" || e == "P" {
                    body += try unicodeClass(negatedInitially: false)
                    continue
                }
            }
            let rangeStart = pos
            let low = try classScalar()
            if pos + 1 < p.count, p[pos] == "-", p[pos + 1] != "]" {
                pos += 1
                let high = try classScalar()
                guard high.value >= low.value else { throw error("invalid character class range", rangeStart, pos) }
                body += hex(low) + "-" + hex(high)
            } else {
                body += hex(low)
            }
        }
        out += (negated ? "[^" : "[") + body + "]"
    }

    /// One member of a class at `pos` (a character or a single-character escape), past it.
    mutating func classScalar() throws -> Unicode.Scalar {
        let c = p[pos]
        if c == "\\" {
            guard pos + 1 < p.count else { throw error("trailing backslash at end of expression", pos, pos) }
            return try escapedScalar()
        }
        pos += 1
        return c
    }
}
