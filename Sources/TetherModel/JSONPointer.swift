/// RFC 6901 JSON pointer helpers, used in error locations and patches.
package enum JSONPointer {
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

    /// Splits a pointer into unescaped tokens; `nil` when it does not start
    /// with `/` (the empty pointer gives no tokens).
    package static func tokens(_ pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { token in
            var out = ""
            var escaping = false
            for ch in token.unicodeScalars {
                if escaping {
                    out += ch == "1" ? "/" : (ch == "0" ? "~" : "~" + String(ch))
                    escaping = false
                } else if ch == "~" {
                    escaping = true
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
            if escaping { out += "~" }
            return out
        }
    }
}
