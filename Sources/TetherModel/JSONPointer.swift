/// A JSON pointer (RFC 6901), such as `/spec/containers/0/image`: JSON patches address
/// values with it, and error locations are written as one.
package struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens; empty for the whole document.
    package var tokens: [String]

    /// A pointer made of unescaped tokens.
    package init(tokens: [String]) {
        self.tokens = tokens
    }

    /// Parses a pointer strictly.
    /// - Parameter text: `""` for the whole document, otherwise `/`-separated tokens with
    ///   `~1` for `/` and `~0` for `~`.
    /// - Throws: `ModelError` `.invalidPointer` when the text does not start with `/` or
    ///   has a `~` not followed by `0` or `1`.
    package init(_ text: String) throws(ModelError) {
        guard !text.isEmpty else {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw ModelError(.invalidPointer, "a JSON pointer must be empty or start with \"/\". Write it as \"/\(text)\".")
        }
        var tokens: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var chars = raw.makeIterator()
            while let c = chars.next() {
                guard c == "~" else {
                    token.append(c)
                    continue
                }
                switch chars.next() {
                case "0": token.append("~")
                case "1": token.append("/")
                default:
                    throw ModelError(.invalidPointer, "\"~\" must be followed by \"0\" or \"1\" in a JSON pointer. Escape \"~\" as \"~0\".")
                }
            }
            tokens.append(token)
        }
        self.tokens = tokens
    }

    package var description: String {
        tokens.map { "/" + Self.escape($0) }.joined()
    }

    /// Escapes one reference token (`~` → `~0`, `/` → `~1`).
    package static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        var out = ""
        for ch in token.unicodeScalars {
            switch ch {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// The value the pointer names in `document`, or `nil` when absent.
    package func value(in document: Value) -> Value? {
        var current = document
        for token in tokens {
            switch current {
            case .map(let m):
                guard let next = m[token] else { return nil }
                current = next
            case .list(let l):
                guard let i = Self.index(token, count: l.count), i < l.count else { return nil }
                current = l[i]
            default:
                return nil
            }
        }
        return current
    }

    /// An array index token: digits without leading zeros.
    package static func index(_ token: String, count: Int) -> Int? {
        guard !token.isEmpty, token.allSatisfy(\.isASCII), token.allSatisfy(\.isNumber),
            token == "0" || !token.hasPrefix("0")
        else { return nil }
        return Int(token)
    }
}
