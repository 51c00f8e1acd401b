/// Parses JSON (RFC 8259) into `Value`s: maps keep key order, integers that
/// fit stay integers, other numbers become floats normalised as kustomize
/// normalises them. Recursion is bounded by `maxDepth`.
package struct JSONParsing: Sendable {
    package var maxDepth = 512

    package init() {}

    /// Parses one JSON value that fills the whole input (whitespace aside).
    /// - Throws: `ModelError` (`.invalidJSON`) naming the byte offset of the
    ///   first problem.
    package func value(from bytes: [UInt8]) throws(ModelError) -> Value {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(ModelError) -> Value in try value(from: buffer) }
        }
        return try result.get()
    }

    /// Parses JSON text.
    package func value(from text: String) throws(ModelError) -> Value {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(ModelError) -> Value in try value(from: buffer) }
        }
        return try result.get()
    }

    /// Parses JSON from a buffer valid for the duration of the call.
    package func value(from buffer: UnsafeBufferPointer<UInt8>) throws(ModelError) -> Value {
        var parser = Parser(input: buffer, maxDepth: maxDepth)
        parser.skipWhitespace()
        let v = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == buffer.count else { throw parser.error("unexpected data after the JSON value") }
        return v
    }
}

private struct Parser {
    let input: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var position = 0

    init(input: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.input = input
        self.maxDepth = maxDepth
    }

    func error(_ message: String) -> ModelError {
        ModelError(.invalidJSON, "invalid JSON at byte \(position): \(message)")
    }

    mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(ModelError) -> Value {
        guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
        guard position < input.count else { throw error("unexpected end of input") }
        switch input[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try parseNumber()
        }
    }

    mutating func literal(_ word: StaticString) throws(ModelError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= input.count else { throw error("unexpected end of input") }
        for i in 0..<count where input[position + i] != word.utf8Start[i] {
            throw error("unexpected character")
        }
        position += count
    }

    mutating func parseObject(depth: Int) throws(ModelError) -> Value {
        position += 1
        var map = OrderedMap()
        skipWhitespace()
        if position < input.count, input[position] == UInt8(ascii: "}") {
            position += 1
            return .map(map)
        }
        while true {
            skipWhitespace()
            guard position < input.count, input[position] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard position < input.count, input[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
            position += 1
            skipWhitespace()
            let v = try parseValue(depth: depth + 1)
            // Go's decoder keeps the last of duplicate keys.
            map[key] = v
            skipWhitespace()
            guard position < input.count else { throw error("unexpected end of input in an object") }
            if input[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard input[position] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
            position += 1
            return .map(map)
        }
    }

    mutating func parseArray(depth: Int) throws(ModelError) -> Value {
        position += 1
        var items: [Value] = []
        skipWhitespace()
        if position < input.count, input[position] == UInt8(ascii: "]") {
            position += 1
            return .list(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard position < input.count else { throw error("unexpected end of input in an array") }
            if input[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard input[position] == UInt8(ascii: "]") else { throw error("expected ',' or ']'") }
            position += 1
            return .list(items)
        }
    }

    mutating func parseString() throws(ModelError) -> String {
        position += 1
        let start = position
        // Fast path: no escapes.
        var ascii = true
        while position < input.count {
            let b = input[position]
            if b == UInt8(ascii: "\"") {
                let bytes = UnsafeBufferPointer(rebasing: input[start..<position])
                // ASCII is valid UTF-8: skip the generic validating initialiser (metadata
                // look-ups on every call), which showed up in every response decoded.
                let s = ascii ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
                position += 1
                guard let s else { throw error("invalid UTF-8 in a string") }
                return s
            }
            ascii = ascii && b < 0x80
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character in a string") }
            position += 1
        }
        var bytes = Array(input[start..<position])
        while position < input.count {
            let b = input[position]
            position += 1
            switch b {
            case UInt8(ascii: "\""):
                guard let s = String(validating: bytes, as: UTF8.self) else { throw error("invalid UTF-8 in a string") }
                return s
            case UInt8(ascii: "\\"):
                guard position < input.count else { throw error("unexpected end of input in a string") }
                let e = input[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""): bytes.append(0x22)
                case UInt8(ascii: "\\"): bytes.append(0x5C)
                case UInt8(ascii: "/"): bytes.append(0x2F)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800 && scalar < 0xDC00 {
                        // A surrogate pair; a lone surrogate becomes U+FFFD as in Go.
                        if position + 1 < input.count, input[position] == UInt8(ascii: "\\"),
                            input[position + 1] == UInt8(ascii: "u")
                        {
                            position += 2
                            let low = try hex4()
                            scalar = (low >= 0xDC00 && low < 0xE000) ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
                        } else {
                            scalar = 0xFFFD
                        }
                    } else if scalar >= 0xDC00 && scalar < 0xE000 {
                        scalar = 0xFFFD
                    }
                    let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    bytes.append(contentsOf: String(u).utf8)
                default:
                    throw error("invalid escape '\\\(Unicode.Scalar(e))'")
                }
            default:
                if b < 0x20 { throw error("control character in a string") }
                bytes.append(b)
            }
        }
        throw error("unterminated string")
    }

    mutating func hex4() throws(ModelError) -> UInt32 {
        guard position + 4 <= input.count else { throw error("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = input[position]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 55)
            default: throw error("invalid \\u escape")
            }
            v = v << 4 | d
            position += 1
        }
        return v
    }

    mutating func parseNumber() throws(ModelError) -> Value {
        let start = position
        var isInteger = true
        if position < input.count, input[position] == UInt8(ascii: "-") { position += 1 }
        let digitsStart = position
        while position < input.count, ScalarResolver.isDigit(input[position]) { position += 1 }
        guard position > digitsStart else { throw error("unexpected character") }
        if input[digitsStart] == UInt8(ascii: "0") && position - digitsStart > 1 { throw error("leading zero in a number") }
        if position < input.count, input[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            let f = position
            while position < input.count, ScalarResolver.isDigit(input[position]) { position += 1 }
            guard position > f else { throw error("expected digits after '.'") }
        }
        if position < input.count, input[position] == UInt8(ascii: "e") || input[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < input.count, input[position] == UInt8(ascii: "+") || input[position] == UInt8(ascii: "-") { position += 1 }
            let e = position
            while position < input.count, ScalarResolver.isDigit(input[position]) { position += 1 }
            guard position > e else { throw error("expected digits in the exponent") }
        }
        let text = Array(input[start..<position])
        if isInteger, let v = ScalarResolver.parseInteger(text) {
            // parseInteger reads a leading 0 as octal; JSON has none past "0".
            return v
        }
        guard let d = Double(String(decoding: text, as: UTF8.self)) else { throw error("number out of range") }
        return GoFloat.normalized(d)
    }
}
