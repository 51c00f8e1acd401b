/// HTML text helpers shared by every HTML the product writes (the markdown report's
/// `<details>` summaries, the dashboard's pages).
package enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'`, for text and attribute values alike.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
