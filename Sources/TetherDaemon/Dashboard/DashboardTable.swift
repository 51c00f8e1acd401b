import TetherEngine
import TetherModel

/// A table of the dashboard: its columns name fields of an API document's `items`, so the
/// server renders it (pages work without JavaScript) and the page's script refills it
/// from the same API URL (`data-src`) when the server-sent events say something changed.
struct DashboardTable: Sendable {
    enum Style: String, Sendable {
        /// Plain text.
        case text
        /// A coloured badge (`badge v-VALUE`).
        case badge
        /// Shown only where it differs from the row above (namespace → kind tree).
        case group
        /// Monospaced.
        case code
    }

    struct Column: Sendable {
        var key: String
        var title: String
        var style: Style = .text
        /// The item field holding the URL this cell links to.
        var link: String?
    }

    var id: String
    var source: String
    var columns: [Column]
    var empty: String

    /// The table with `items` (an API document's `items`) as its rows.
    func html(_ items: [Value]) -> String {
        var out = "<table id=\"\(HTML.escape(id))\" data-src=\"\(HTML.escape(source))\" data-empty=\"\(HTML.escape(empty))\"><thead><tr>"
        for column in columns {
            out += "<th data-key=\"\(HTML.escape(column.key))\" data-style=\"\(column.style.rawValue)\""
            if let link = column.link { out += " data-link=\"\(HTML.escape(link))\"" }
            out += ">\(HTML.escape(column.title))</th>"
        }
        out += "</tr></thead><tbody>"
        if items.isEmpty { out += "<tr><td class=\"empty\" colspan=\"\(columns.count)\">\(HTML.escape(empty))</td></tr>" }
        var previous: Value?
        for item in items {
            out += "<tr>"
            // A group cell repeats the row above until one group cell differs (a tree).
            var sameGroup = previous != nil
            for column in columns {
                let text = item[column.key]?.scalarText ?? ""
                out += "<td>"
                if column.style == .group {
                    sameGroup = sameGroup && previous?[column.key]?.scalarText == text
                    if sameGroup {
                        out += "</td>"
                        continue
                    }
                }
                var inner = HTML.escape(text)
                switch column.style {
                case .badge: inner = "<span class=\"badge v-\(HTML.slug(text))\">\(inner)</span>"
                case .code: inner = "<code>\(inner)</code>"
                case .group: inner = "<strong>\(inner)</strong>"
                case .text: break
                }
                if let link = column.link, let url = item[link]?.stringValue, !url.isEmpty {
                    inner = "<a href=\"\(HTML.escape(url))\">\(inner)</a>"
                }
                out += inner + "</td>"
            }
            out += "</tr>"
            previous = item
        }
        return out + "</tbody></table>"
    }
}

extension HTML {
    /// A CSS class fragment: lowercase letters and digits, other characters as `-`.
    static func slug(_ text: String) -> String {
        String(text.lowercased().map { $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII ? $0 : "-" })
    }
}
