/// A token of template text, as Go's `text/template/parse` lexer produces it.
struct Item: Sendable {
    enum Kind: Sendable, Equatable {
        case error, bool, char, charConstant, comment, complex, assign, declare, eof, field
        case identifier, leftDelim, leftParen, number, pipe, rawString, rightDelim, rightParen
        case space, string, text, variable
        // Keywords.
        case block, breakKeyword, continueKeyword, dot, define, elseKeyword, end, ifKeyword
        case nilKeyword, range, template, with

        var isKeyword: Bool {
            switch self {
            case .block, .breakKeyword, .continueKeyword, .dot, .define, .elseKeyword, .end, .ifKeyword,
                .nilKeyword, .range, .template, .with:
                return true
            default:
                return false
            }
        }
    }

    var kind: Kind
    var pos: Int
    var value: String
    var line: Int

    /// Go's `item.String()`, used in "unexpected X in Y" messages.
    var description: String {
        switch kind {
        case .eof: return "EOF"
        case .error: return value
        default:
            if kind.isKeyword { return "<\(value)>" }
            let bytes = Array(value.utf8)
            if bytes.count > 10 {
                // %.10q: quote the first 10 runes.
                let prefix = String(value.unicodeScalars.prefix(10).map(Character.init))
                return goQuote(prefix) + "..."
            }
            return goQuote(value)
        }
    }
}

/// Go's lexer, run to the end at once: the result ends with `.eof` or `.error`.
struct Lexer {
    private let input: [UInt8]
    private let leftDelim: [UInt8]
    private let rightDelim: [UInt8]
    private let breakOK: Bool
    private let continueOK: Bool
    private var pos = 0
    private var start = 0
    private var width = 0
    private var lineCursor = (pos: 0, line: 1)
    private var parenDepth = 0
    private var items: [Item] = []

    private static let trimMarker = UInt8(ascii: "-")
    private static let leftComment = Array("/*".utf8)
    private static let rightComment = Array("*/".utf8)

    static func lex(_ text: String, leftDelim: String, rightDelim: String, breakOK: Bool, continueOK: Bool) -> [Item] {
        var lexer = Lexer(
            input: Array(text.utf8),
            leftDelim: Array((leftDelim.isEmpty ? "{{" : leftDelim).utf8),
            rightDelim: Array((rightDelim.isEmpty ? "}}" : rightDelim).utf8),
            breakOK: breakOK, continueOK: continueOK)
        lexer.run()
        return lexer.items
    }

    private init(input: [UInt8], leftDelim: [UInt8], rightDelim: [UInt8], breakOK: Bool, continueOK: Bool) {
        self.input = input
        self.leftDelim = leftDelim
        self.rightDelim = rightDelim
        self.breakOK = breakOK
        self.continueOK = continueOK
    }

    private enum State { case text, leftDelim, comment, rightDelim, insideAction, done }

    private mutating func run() {
        var state = State.text
        while state != .done {
            switch state {
            case .text: state = lexText()
            case .leftDelim: state = lexLeftDelim()
            case .comment: state = lexComment()
            case .rightDelim: state = lexRightDelim()
            case .insideAction: state = lexInsideAction()
            case .done: break
            }
        }
    }

    // MARK: primitives

    private static let eof: UInt32 = 0xFFFF_FFFF

    private mutating func next() -> UInt32 {
        guard pos < input.count else {
            width = 0
            return Self.eof
        }
        let (scalar, w) = decodeRune(input, at: pos)
        width = w
        pos += w
        return scalar
    }

    private mutating func peek() -> UInt32 {
        let r = next()
        backup()
        return r
    }

    private mutating func backup() {
        pos -= width
    }

    /// The 1-based line of byte `index`; items start at non-decreasing positions, so the
    /// count carries on from the previous call.
    private mutating func lineAt(_ index: Int) -> Int {
        if index < lineCursor.pos { lineCursor = (0, 1) }
        var line = lineCursor.line
        for i in lineCursor.pos..<index where input[i] == 0x0A { line += 1 }
        lineCursor = (index, line)
        return line
    }

    private func text(_ from: Int, _ to: Int) -> String {
        String(decoding: input[from..<to], as: UTF8.self)
    }

    private mutating func emit(_ kind: Item.Kind) {
        items.append(Item(kind: kind, pos: start, value: text(start, pos), line: lineAt(start)))
        start = pos
    }

    private mutating func ignore() {
        start = pos
    }

    private mutating func errorf(_ message: String) -> State {
        items.append(Item(kind: .error, pos: start, value: message, line: lineAt(start)))
        return .done
    }

    private func hasPrefix(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index + prefix.count <= input.count else { return false }
        for i in 0..<prefix.count where input[index + i] != prefix[i] { return false }
        return true
    }

    private static func isSpace(_ r: UInt32) -> Bool { r == 0x20 || r == 0x09 || r == 0x0D || r == 0x0A }

    private func hasLeftTrimMarker(at index: Int) -> Bool {
        index + 1 < input.count && input[index] == Self.trimMarker && Self.isSpace(UInt32(input[index + 1]))
    }

    private func hasRightTrimMarker(at index: Int) -> Bool {
        index + 1 < input.count && Self.isSpace(UInt32(input[index])) && input[index + 1] == Self.trimMarker
    }

    private func atRightDelim() -> (delim: Bool, trim: Bool) {
        if hasRightTrimMarker(at: pos) && hasPrefix(rightDelim, at: pos + 2) { return (true, true) }
        if hasPrefix(rightDelim, at: pos) { return (true, false) }
        return (false, false)
    }

    private func leftTrimLength(from index: Int) -> Int {
        var i = index
        while i < input.count && Self.isSpace(UInt32(input[i])) { i += 1 }
        return i - index
    }

    // MARK: states

    private mutating func lexText() -> State {
        width = 0
        if let x = find(leftDelim, from: pos) {
            var trimLength = 0
            if hasLeftTrimMarker(at: x + leftDelim.count) {
                var i = x
                while i > start && Self.isSpace(UInt32(input[i - 1])) { i -= 1 }
                trimLength = x - i
            }
            pos = x - trimLength
            if pos > start {
                emit(.text)
            }
            pos += trimLength
            ignore()
            return .leftDelim
        }
        pos = input.count
        if pos > start {
            emit(.text)
            return .text
        }
        emit(.eof)
        return .done
    }

    private func find(_ needle: [UInt8], from index: Int) -> Int? {
        guard !needle.isEmpty, input.count >= needle.count else { return nil }
        var i = index
        let first = needle[0]
        while i + needle.count <= input.count {
            if input[i] == first && hasPrefix(needle, at: i) { return i }
            i += 1
        }
        return nil
    }

    private mutating func lexLeftDelim() -> State {
        pos += leftDelim.count
        let trimSpace = hasLeftTrimMarker(at: pos)
        let afterMarker = trimSpace ? 2 : 0
        if hasPrefix(Self.leftComment, at: pos + afterMarker) {
            pos += afterMarker
            ignore()
            return .comment
        }
        emit(.leftDelim)
        pos += afterMarker
        ignore()
        parenDepth = 0
        return .insideAction
    }

    private mutating func lexComment() -> State {
        pos += Self.leftComment.count
        guard let i = find(Self.rightComment, from: pos) else { return errorf("unclosed comment") }
        pos = i + Self.rightComment.count
        let (delim, trimSpace) = atRightDelim()
        if !delim { return errorf("comment ends before closing delimiter") }
        if trimSpace { pos += 2 }
        pos += rightDelim.count
        if trimSpace { pos += leftTrimLength(from: pos) }
        ignore()
        return .text
    }

    private mutating func lexRightDelim() -> State {
        let trimSpace = hasRightTrimMarker(at: pos)
        if trimSpace {
            pos += 2
            ignore()
        }
        pos += rightDelim.count
        emit(.rightDelim)
        if trimSpace {
            pos += leftTrimLength(from: pos)
            ignore()
        }
        return .text
    }

    private mutating func lexInsideAction() -> State {
        let (delim, _) = atRightDelim()
        if delim {
            if parenDepth == 0 { return .rightDelim }
            return errorf("unclosed left paren")
        }
        let r = next()
        switch r {
        case Self.eof:
            return errorf("unclosed action")
        case _ where Self.isSpace(r):
            backup()
            return lexSpace()
        case UInt32(UInt8(ascii: "=")):
            emit(.assign)
        case UInt32(UInt8(ascii: ":")):
            if next() != UInt32(UInt8(ascii: "=")) { return errorf("expected :=") }
            emit(.declare)
        case UInt32(UInt8(ascii: "|")):
            emit(.pipe)
        case UInt32(UInt8(ascii: "\"")):
            return lexQuote()
        case UInt32(UInt8(ascii: "`")):
            return lexRawQuote()
        case UInt32(UInt8(ascii: "$")):
            return lexVariable()
        case UInt32(UInt8(ascii: "'")):
            return lexChar()
        case UInt32(UInt8(ascii: ".")):
            if pos < input.count {
                let c = input[pos]
                if c < UInt8(ascii: "0") || c > UInt8(ascii: "9") { return lexFieldOrVariable(.field) }
            }
            backup()
            return lexNumber()
        case UInt32(UInt8(ascii: "+")), UInt32(UInt8(ascii: "-")), 0x30...0x39:
            backup()
            return lexNumber()
        case _ where isAlphaNumeric(r):
            backup()
            return lexIdentifier()
        case UInt32(UInt8(ascii: "(")):
            emit(.leftParen)
            parenDepth += 1
        case UInt32(UInt8(ascii: ")")):
            emit(.rightParen)
            parenDepth -= 1
            if parenDepth < 0 { return errorf("unexpected right paren \(goRuneU(r))") }
        case 0x20...0x7E:
            emit(.char)
        default:
            return errorf("unrecognized character in action: \(goRuneU(r))")
        }
        return .insideAction
    }

    private mutating func lexSpace() -> State {
        var numSpaces = 0
        while Self.isSpace(peek()) {
            _ = next()
            numSpaces += 1
        }
        if hasRightTrimMarker(at: pos - 1) && hasPrefix(rightDelim, at: pos - 1 + 2) {
            backup()
            if numSpaces == 1 { return .rightDelim }
        }
        emit(.space)
        return .insideAction
    }

    private mutating func lexIdentifier() -> State {
        while true {
            let r = next()
            if isAlphaNumeric(r) { continue }
            backup()
            let word = text(start, pos)
            if !atTerminator() { return errorf("bad character \(goRuneU(r))") }
            if let keyword = Self.keywords[word] {
                if (keyword == .breakKeyword && !breakOK) || (keyword == .continueKeyword && !continueOK) {
                    emit(.identifier)
                } else {
                    emit(keyword)
                }
            } else if word.hasPrefix(".") {
                emit(.field)
            } else if word == "true" || word == "false" {
                emit(.bool)
            } else {
                emit(.identifier)
            }
            return .insideAction
        }
    }

    private static let keywords: [String: Item.Kind] = [
        ".": .dot, "block": .block, "break": .breakKeyword, "continue": .continueKeyword,
        "define": .define, "else": .elseKeyword, "end": .end, "if": .ifKeyword, "range": .range,
        "nil": .nilKeyword, "template": .template, "with": .with,
    ]

    private mutating func lexVariable() -> State {
        if atTerminator() {
            emit(.variable)
            return .insideAction
        }
        return lexFieldOrVariable(.variable)
    }

    private mutating func lexFieldOrVariable(_ kind: Item.Kind) -> State {
        if atTerminator() {
            emit(kind == .variable ? .variable : .dot)
            return .insideAction
        }
        var r: UInt32
        repeat {
            r = next()
        } while isAlphaNumeric(r)
        backup()
        if !atTerminator() { return errorf("bad character \(goRuneU(r))") }
        emit(kind)
        return .insideAction
    }

    private mutating func atTerminator() -> Bool {
        let r = peek()
        if Self.isSpace(r) { return true }
        switch r {
        case Self.eof, 0x2E, 0x2C, 0x7C, 0x3A, 0x29, 0x28: return true  // . , | : ) (
        default: break
        }
        return hasPrefix(rightDelim, at: pos)
    }

    private mutating func lexChar() -> State {
        while true {
            switch next() {
            case 0x5C:  // backslash
                let r = next()
                if r != Self.eof && r != 0x0A { continue }
                return errorf("unterminated character constant")
            case Self.eof, 0x0A:
                return errorf("unterminated character constant")
            case 0x27:
                emit(.charConstant)
                return .insideAction
            default:
                continue
            }
        }
    }

    private mutating func lexNumber() -> State {
        if !scanNumber() { return errorf("bad number syntax: \(goQuote(text(start, pos)))") }
        let sign = peek()
        if sign == 0x2B || sign == 0x2D {
            if !scanNumber() || input[pos - 1] != UInt8(ascii: "i") {
                return errorf("bad number syntax: \(goQuote(text(start, pos)))")
            }
            emit(.complex)
        } else {
            emit(.number)
        }
        return .insideAction
    }

    private mutating func accept(_ valid: String) -> Bool {
        let r = next()
        if r != Self.eof, let s = Unicode.Scalar(r), valid.unicodeScalars.contains(s) { return true }
        backup()
        return false
    }

    private mutating func acceptRun(_ valid: String) {
        while accept(valid) {}
    }

    private mutating func scanNumber() -> Bool {
        _ = accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") {
                digits = "0123456789abcdefABCDEF_"
            } else if accept("oO") {
                digits = "01234567_"
            } else if accept("bB") {
                digits = "01_"
            }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if digits.count == 11 && accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        if digits.count == 23 && accept("pP") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        _ = accept("i")
        if isAlphaNumeric(peek()) {
            _ = next()
            return false
        }
        return true
    }

    private mutating func lexQuote() -> State {
        while true {
            switch next() {
            case 0x5C:
                let r = next()
                if r != Self.eof && r != 0x0A { continue }
                return errorf("unterminated quoted string")
            case Self.eof, 0x0A:
                return errorf("unterminated quoted string")
            case 0x22:
                emit(.string)
                return .insideAction
            default:
                continue
            }
        }
    }

    private mutating func lexRawQuote() -> State {
        while true {
            switch next() {
            case Self.eof:
                return errorf("unterminated raw quoted string")
            case 0x60:
                emit(.rawString)
                return .insideAction
            default:
                continue
            }
        }
    }

    private func isAlphaNumeric(_ r: UInt32) -> Bool {
        if r == 0x5F { return true }
        if r < 0x80 {
            return (r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5A) || (r >= 0x61 && r <= 0x7A)
        }
        guard r != Self.eof, let s = Unicode.Scalar(r) else { return false }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
            return true
        default:
            return false
        }
    }
}

/// Decodes the UTF-8 rune at `index` as Go does: an invalid byte is U+FFFD of width 1.
func decodeRune(_ bytes: [UInt8], at index: Int) -> (UInt32, Int) {
    let b0 = bytes[index]
    if b0 < 0x80 { return (UInt32(b0), 1) }
    func cont(_ i: Int) -> UInt32? {
        guard index + i < bytes.count, bytes[index + i] & 0xC0 == 0x80 else { return nil }
        return UInt32(bytes[index + i] & 0x3F)
    }
    if b0 >= 0xC2 && b0 <= 0xDF, let c1 = cont(1) {
        return ((UInt32(b0 & 0x1F) << 6) | c1, 2)
    }
    if b0 >= 0xE0 && b0 <= 0xEF, let c1 = cont(1), let c2 = cont(2) {
        let r = (UInt32(b0 & 0x0F) << 12) | (c1 << 6) | c2
        if r >= 0x800 && !(r >= 0xD800 && r <= 0xDFFF) { return (r, 3) }
    }
    if b0 >= 0xF0 && b0 <= 0xF4, let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) {
        let r = (UInt32(b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3
        if r >= 0x10000 && r <= 0x10FFFF { return (r, 4) }
    }
    return (0xFFFD, 1)
}

/// Go's `%#U`: `U+0023 '#'` (the character only when printable).
func goRuneU(_ r: UInt32) -> String {
    var hex = String(r, radix: 16, uppercase: true)
    if hex.count < 4 { hex = String(repeating: "0", count: 4 - hex.count) + hex }
    if let s = Unicode.Scalar(r), GoStrconv.isPrint(s) { return "U+\(hex) '\(Character(s))'" }
    return "U+\(hex)"
}
