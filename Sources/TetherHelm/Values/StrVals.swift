import TetherModel
package import TetherTemplate

/// Helm's `pkg/strvals`: the `key=value` language of `--set`, `--set-string`, `--set-file`,
/// `--set-json` and `--set-literal`, parsed into an existing values map exactly as Helm does.
///
/// - `a.b=1,c=x` sets nested keys; `,` separates assignments; `\` escapes the next character
///   (`a\.b=1` is the key `a.b`, `x=a\,b` the string `a,b`).
/// - `a[0]=x`, `a[1].b=y`, `a[0][1]=z` set list items; missing items before the index are `null`.
/// - `a={x,y}` is a list of two values.
/// - `--set` infers types: `true`/`false`/`null` (any case), `0`, and integers that do not start
///   with `0` (int64); everything else is a string. `--set-string` keeps strings; `--set-file`
///   reads each value as a file name and uses the file's text; `--set-json` reads JSON values
///   (numbers float64); `--set-literal` takes the whole rest after the first `=` verbatim.
package struct StrVals {
    /// What the value part of an assignment means.
    package enum Mode: Sendable {
        /// `--set`: typed as Helm's `typedVal`.
        case typed
        /// `--set-string`: always a string.
        case string
        /// `--set-file`: a file name; the value is the file's text.
        case file(read: @Sendable (String) throws(HelmError) -> String)
        /// `--set-json`: a JSON value.
        case json
        /// `--set-literal`: the rest of the text, unparsed.
        case literal
    }

    /// Helm's `MaxIndex`: the largest list index an expression may name.
    static let maxIndex = 65536
    /// Helm's `MaxNestedNameLevel`: the deepest `a.b.c` nesting.
    static let maxNestedNameLevel = 30

    /// Parses `expression` into `values`.
    /// - Throws: a ``Failure`` with Helm's wording (without the `failed parsing --set data: ` prefix).
    package static func parse(_ expression: String, into values: inout [String: TemplateValue], mode: Mode) throws(Failure) {
        var parser = StrVals(scalars: Array(expression.unicodeScalars), mode: mode)
        if case .literal = mode {
            while try parser.literalKey(&values, level: 0) {}
        } else {
            while try parser.key(&values, level: 0) {}
        }
    }

    /// A strvals error, worded as Helm's.
    package struct Failure: Error, Sendable {
        package var message: String
        init(_ message: String) { self.message = message }
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private let mode: Mode

    private init(scalars: [Unicode.Scalar], mode: Mode) {
        self.scalars = scalars
        self.mode = mode
    }

    private var isJSON: Bool { if case .json = mode { return true } else { return false } }

    // MARK: reading runes

    private mutating func readRune() -> Unicode.Scalar? {
        guard position < scalars.count else { return nil }
        defer { position += 1 }
        return scalars[position]
    }

    /// Helm's `runesUntil`: the runes up to one of `stop` (consumed), `\` escaping the next
    /// rune; `last` is nil at the end of the text.
    private mutating func runes(until stop: Set<Unicode.Scalar>, escapes: Bool = true) -> (text: String, last: Unicode.Scalar?) {
        var out = String.UnicodeScalarView()
        while let r = readRune() {
            if stop.contains(r) { return (String(out), r) }
            if escapes && r == "\\" {
                guard let next = readRune() else { return (String(out), nil) }
                out.append(next)
            } else {
                out.append(r)
            }
        }
        return (String(out), nil)
    }

    // MARK: the parser of --set, --set-string, --set-file, --set-json

    /// One assignment into `data`; false when the text is used up (Go's `io.EOF`).
    private mutating func key(_ data: inout [String: TemplateValue], level: Int) throws(Failure) -> Bool {
        let stop: Set<Unicode.Scalar> = ["=", "[", ",", "."]
        let (k, last) = runes(until: stop)
        switch last {
        case nil:
            if k.isEmpty { return false }
            throw Failure("key \(goQuote(k)) has no value")
        case "[":
            guard let i = try keyIndex() else { return false }
            var list: [TemplateValue] = []
            if let existing = data[k] { list = try Self.asList(existing) }
            var more = true
            do {
                more = try listItem(&list, index: i, level: level)
            } catch {
                Self.set(&data, k, .list(list))
                throw error
            }
            Self.set(&data, k, .list(list))
            return more
        case "=":
            if isJSON {
                if emptyValue() {
                    Self.set(&data, k, .null)
                    return true
                }
                Self.set(&data, k, try jsonValue())
                _ = emptyValue()
                return true
            }
            switch try valueList() {
            case .list(let items):
                Self.set(&data, k, .list(items))
                return true
            case .end:
                Self.set(&data, k, .string(""))
                return false
            case .notList:
                let text = value()
                Self.set(&data, k, try read(text))
                return true
            }
        case ",":
            Self.set(&data, k, .string(""))
            throw Failure("key \(goQuote(k)) has no value (cannot end with ,)")
        default:  // "."
            let level = level + 1
            guard level <= Self.maxNestedNameLevel else {
                throw Failure("value name nested level is greater than maximum supported nested level of \(Self.maxNestedNameLevel)")
            }
            var inner: [String: TemplateValue] = [:]
            if let existing = data[k] { inner = try Self.asMap(existing) }
            let more: Bool
            do {
                more = try key(&inner, level: level)
            } catch {
                if !inner.isEmpty { Self.set(&data, k, .map(inner)) }
                throw error
            }
            if more && inner.isEmpty { throw Failure("key map \(goQuote(k)) has no value") }
            if !inner.isEmpty { Self.set(&data, k, .map(inner)) }
            return more
        }
    }

    /// Helm's `keyIndex`: the number up to `]`; nil when the text ends first (Helm's wrapped
    /// `io.EOF`, which ends parsing without an error).
    private mutating func keyIndex() throws(Failure) -> Int? {
        let (v, last) = runes(until: ["]"], escapes: !isLiteral)
        guard last != nil else { return nil }
        guard let i = Self.atoi(v) else {
            throw Failure("error parsing index: strconv.Atoi: parsing \(goQuote(v)): \(Self.isIntegerSyntax(v) ? "value out of range" : "invalid syntax")")
        }
        return i
    }

    private var isLiteral: Bool { if case .literal = mode { return true } else { return false } }

    /// Helm's `listItem`: what follows `name[i]`, stored at `index` of `list`.
    private mutating func listItem(_ list: inout [TemplateValue], index i: Int, level: Int) throws(Failure) -> Bool {
        guard i >= 0 else { throw Failure("negative \(i) index not allowed") }
        let (k, last) = runes(until: ["[", ".", "="], escapes: !isLiteral)
        if !k.isEmpty { throw Failure("unexpected data at end of array index: \(Self.quotedRunes(k))") }
        switch last {
        case nil:
            return false
        case "=":
            if isLiteral {
                try Self.setIndex(&list, i, .string(rest()))
                return true
            }
            if isJSON {
                if emptyValue() {
                    try Self.setIndex(&list, i, .null)
                    return true
                }
                try Self.setIndex(&list, i, try jsonValue())
                _ = emptyValue()
                return true
            }
            switch try valueList() {
            case .list(let items):
                try Self.setIndex(&list, i, .list(items))
            case .end:
                try Self.setIndex(&list, i, .string(""))
            case .notList:
                let text = value()
                try Self.setIndex(&list, i, try read(text))
            }
            return true
        case "[":
            guard let next = try keyIndex() else { return false }
            var inner: [TemplateValue] = []
            // a non-list item there (a null before it was set) starts a new list, as in Helm v4
            if list.count > i, case .list(let items, _) = list[i] { inner = items }
            let more = try listItem(&inner, index: next, level: level)
            try Self.setIndex(&list, i, .list(inner))
            return more
        default:  // "."
            var inner: [String: TemplateValue] = [:]
            if list.count > i {
                // indices out of order: a non-map item is replaced by an empty map
                if case .map(let m, _) = list[i] { inner = m.entries }
            }
            let more = isLiteral ? try literalKey(&inner, level: level) : try key(&inner, level: level)
            try Self.setIndex(&list, i, .map(inner))
            return more
        }
    }

    private enum ValueList {
        case list([TemplateValue])
        case end
        case notList
    }

    /// Helm's `valList`: `{a,b}` as a list, `.notList` when the value does not start with `{`.
    private mutating func valueList() throws(Failure) -> ValueList {
        guard let r = readRune() else { return .end }
        guard r == "{" else {
            position -= 1
            return .notList
        }
        var list: [TemplateValue] = []
        while true {
            let (text, last) = runes(until: [",", "}"])
            switch last {
            case nil:
                throw Failure("list must terminate with '}'")
            case "}":
                if let r = readRune(), r != "," { position -= 1 }
                list.append(try read(text))
                return .list(list)
            default:
                list.append(try read(text))
            }
        }
    }

    /// Helm's `val`: the runes up to `,`.
    private mutating func value() -> String {
        runes(until: [","]).text
    }

    /// Helm's `emptyVal`: skips blanks; true at the end or a `,` (consumed), false before any
    /// other rune (left unread).
    private mutating func emptyValue() -> Bool {
        while let r = readRune() {
            if r == "," { return true }
            if !r.properties.isWhitespace {
                position -= 1
                return false
            }
        }
        return true
    }

    /// The value a reader makes of `text`.
    private func read(_ text: String) throws(Failure) -> TemplateValue {
        switch mode {
        case .typed: return Self.typedValue(text)
        case .string, .literal, .json: return .string(text)
        case .file(let readFile):
            do {
                return .string(try readFile(text))
            } catch {
                throw Failure(error.message)
            }
        }
    }

    /// One JSON value read from the current position as Go's `json.Decoder` does (numbers
    /// float64); the position moves past it.
    private mutating func jsonValue() throws(Failure) -> TemplateValue {
        let restText = String(String.UnicodeScalarView(scalars[position...]))
        let bytes = Array(restText.utf8)
        let end = JSONPrefix.end(of: bytes)
        let value: Value
        do {
            value = try JSONParsing().value(from: Array(bytes[..<end]))
        } catch {
            // Go's decoder says only this when the text ends inside the value
            throw Failure(end == bytes.count ? "unexpected EOF" : error.message)
        }
        // move past the consumed bytes, counted in scalars
        position += String(decoding: bytes[..<end], as: UTF8.self).unicodeScalars.count
        return HelmValues.templateValue(value)
    }

    private mutating func rest() -> String {
        defer { position = scalars.count }
        return String(String.UnicodeScalarView(scalars[position...]))
    }

    // MARK: the parser of --set-literal

    /// Helm's `literalParser.key`: as ``key(_:level:)``, without escapes or `,`, the value the
    /// rest of the text.
    private mutating func literalKey(_ data: inout [String: TemplateValue], level: Int) throws(Failure) -> Bool {
        let (k, last) = runes(until: ["=", "[", "."], escapes: false)
        switch last {
        case nil:
            if k.isEmpty { return false }
            throw Failure("key \(goQuote(k)) has no value")
        case "=":
            Self.set(&data, k, .string(rest()))
            return true
        case ".":
            let level = level + 1
            guard level <= Self.maxNestedNameLevel else {
                throw Failure("value name nested level is greater than maximum supported nested level of \(Self.maxNestedNameLevel)")
            }
            var inner: [String: TemplateValue] = [:]
            if let existing = data[k] { inner = try Self.asMap(existing) }
            let more = try literalKey(&inner, level: level)
            if more && inner.isEmpty { throw Failure("key map \(goQuote(k)) has no value") }
            if !inner.isEmpty { Self.set(&data, k, .map(inner)) }
            return more
        default:  // "["
            guard let i = try keyIndex() else { return false }
            var list: [TemplateValue] = []
            if let existing = data[k] { list = try Self.asList(existing) }
            let more = try listItem(&list, index: i, level: level)
            Self.set(&data, k, .list(list))
            return more
        }
    }

    // MARK: helpers

    /// Helm's `typedVal` for `--set`.
    static func typedValue(_ text: String) -> TemplateValue {
        switch text.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        case "0": return .int(0, .int64)
        default: break
        }
        if let first = text.utf8.first, first != UInt8(ascii: "0"), let i = parseInt64(text) {
            return .int(i, .int64)
        }
        return .string(text)
    }

    /// Go's `strconv.ParseInt(s, 10, 64)`: an optional sign and decimal digits only.
    private static func parseInt64(_ text: String) -> Int64? {
        var digits = Substring(text)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(text.first == "+" ? String(text.dropFirst()) : text)
    }

    /// Go's `strconv.Atoi`.
    private static func atoi(_ text: String) -> Int? {
        parseInt64(text).flatMap { Int(exactly: $0) }
    }

    private static func isIntegerSyntax(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Go's `%q` of a `[]rune`: each rune as a quoted character, `['a' 'b']`.
    private static func quotedRunes(_ text: String) -> String {
        let items = text.unicodeScalars.map { c -> String in
            if c == "'" { return #"'\''"# }
            if c == "\"" { return "'\"'" }
            return "'" + goQuote(String(c)).dropFirst().dropLast() + "'"
        }
        return "[" + items.joined(separator: " ") + "]"
    }

    /// Helm's `set`: an empty key is not set.
    private static func set(_ data: inout [String: TemplateValue], _ key: String, _ value: TemplateValue) {
        guard !key.isEmpty else { return }
        data[key] = value
    }

    /// Helm's `setIndex`: grows the list with `null`s to reach `index`.
    private static func setIndex(_ list: inout [TemplateValue], _ index: Int, _ value: TemplateValue) throws(Failure) {
        guard index >= 0 else { throw Failure("negative \(index) index not allowed") }
        guard index <= maxIndex else { throw Failure("index of \(index) is greater than maximum supported index of \(maxIndex)") }
        while list.count <= index { list.append(.null) }
        list[index] = value
    }

    /// The map an existing value must be to go on with `a.b`; Helm's failed type assertion otherwise.
    private static func asMap(_ value: TemplateValue) throws(Failure) -> [String: TemplateValue] {
        guard case .map(let m, _) = value else { throw conversion(value, "map[string]interface {}") }
        return m.entries
    }

    /// The list an existing value must be to go on with `a[i]`.
    private static func asList(_ value: TemplateValue) throws(Failure) -> [TemplateValue] {
        guard case .list(let items, _) = value else { throw conversion(value, "[]interface {}") }
        return items
    }

    private static func conversion(_ value: TemplateValue, _ wanted: String) -> Failure {
        let have = value.isNull ? "nil" : value.typeName
        return Failure("unable to parse key: interface conversion: interface {} is \(have), not \(wanted)")
    }
}

/// Where the first JSON value of a text ends, as Go's `json.Decoder` finds it: leading blanks,
/// one object, array, string, literal or number (the longest that fits JSON's grammar). The
/// value itself is checked by the parser it is handed to.
enum JSONPrefix {
    static func end(of b: [UInt8]) -> Int {
        var i = 0
        func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        while i < b.count, isBlank(b[i]) { i += 1 }
        guard i < b.count else { return i }
        switch b[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var inString = false
            while i < b.count {
                let c = b[i]
                i += 1
                if inString {
                    if c == UInt8(ascii: "\\") { i += 1 } else if c == UInt8(ascii: "\"") { inString = false }
                } else if c == UInt8(ascii: "\"") {
                    inString = true
                } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    depth += 1
                } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { return i }
                }
            }
            return b.count
        case UInt8(ascii: "\""):
            i += 1
            while i < b.count {
                if b[i] == UInt8(ascii: "\\") { i += 2; continue }
                if b[i] == UInt8(ascii: "\"") { return i + 1 }
                i += 1
            }
            return b.count
        case UInt8(ascii: "t"), UInt8(ascii: "n"): return min(b.count, i + 4)
        case UInt8(ascii: "f"): return min(b.count, i + 5)
        default:
            if b[i] == UInt8(ascii: "-") { i += 1 }
            if i < b.count, b[i] == UInt8(ascii: "0") {
                i += 1
            } else {
                while i < b.count, isDigit(b[i]) { i += 1 }
            }
            if i + 1 < b.count, b[i] == UInt8(ascii: "."), isDigit(b[i + 1]) {
                i += 1
                while i < b.count, isDigit(b[i]) { i += 1 }
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                var j = i + 1
                if j < b.count, b[j] == UInt8(ascii: "+") || b[j] == UInt8(ascii: "-") { j += 1 }
                if j < b.count, isDigit(b[j]) {
                    while j < b.count, isDigit(b[j]) { j += 1 }
                    i = j
                }
            }
            return max(i, 1)
        }
    }
}
