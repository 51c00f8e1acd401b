import Foundation
import TetherEngine
package import TetherModel

/// The dashboard's pages, rendered on the server from the API documents: every page is
/// complete without JavaScript; with it, `dashboard.js` keeps the tables and fields
/// current from the server-sent events.
extension Dashboard {
    static let targetColumns: [DashboardTable.Column] = [
        .init(key: "name", title: "Target", link: "url"),
        .init(key: "syncState", title: "Sync", style: .badge),
        .init(key: "health", title: "Health", style: .badge),
        .init(key: "revisionShort", title: "Revision", style: .code),
        .init(key: "message", title: "Commit"),
        .init(key: "lastSyncAt", title: "Last sync"),
        .init(key: "lastSyncDuration", title: "Took"),
        .init(key: "created", title: "Created"), .init(key: "updated", title: "Updated"),
        .init(key: "pruned", title: "Pruned"), .init(key: "unchanged", title: "Unchanged"),
    ]

    static let resourceColumns: [DashboardTable.Column] = [
        .init(key: "namespace", title: "Namespace", style: .group),
        .init(key: "kind", title: "Kind", style: .group),
        .init(key: "name", title: "Name", link: "diffURL"),
        .init(key: "health", title: "Health", style: .badge),
        .init(key: "healthMessage", title: "Why"),
        .init(key: "drift", title: "Drift", style: .badge),
    ]

    static let driftColumns: [DashboardTable.Column] = [
        .init(key: "detectedAt", title: "Detected"),
        .init(key: "object", title: "Object", link: "diffURL"),
        .init(key: "what", title: "What"),
        .init(key: "state", title: "Correction", style: .badge),
        .init(key: "correctedAt", title: "Corrected at"),
        .init(key: "failure", title: "Error"),
    ]

    static let historyColumns: [DashboardTable.Column] = [
        .init(key: "number", title: "#"),
        .init(key: "startedAt", title: "Started"),
        .init(key: "trigger", title: "Trigger"),
        .init(key: "revisionShort", title: "Revision", style: .code),
        .init(key: "message", title: "Commit"),
        .init(key: "result", title: "Result", style: .badge),
        .init(key: "duration", title: "Took"),
        .init(key: "changesText", title: "Changes"),
        .init(key: "error", title: "Error"),
    ]

    /// `/`: one row per target.
    package func overviewPage() -> String {
        let table = DashboardTable(id: "targets", source: "/api/v1/targets", columns: Self.targetColumns, empty: "no target")
        let items = targetsDocument()["items"]?.listValue ?? []
        return Self.layout(title: "Tether", body: "<h1>Targets</h1>" + table.html(items))
    }

    /// `/targets/NAME`: the summary, the actions, the resource tree, drift and history.
    package func targetPage() -> String {
        let objects = objects()
        let summary = summaryDocument(objects: objects)
        var body = "<h1>\(HTML.escape(target.name))</h1>"
        body += "<dl class=\"summary\" data-src=\"\(HTML.escape(apiPath))\">"
        let fields: [(String, String, DashboardTable.Style)] = [
            ("syncState", "Sync", .badge), ("health", "Health", .badge), ("syncError", "Error", .text),
            ("source", "Source", .code), ("ref", "Ref", .code), ("path", "Path", .code),
            ("revision", "Revision", .code), ("author", "Author", .text), ("message", "Commit", .text), ("committedAt", "Committed", .text),
            ("lastSyncAt", "Last sync", .text), ("lastSyncTrigger", "Trigger", .text), ("lastSyncDuration", "Took", .text),
            ("created", "Created", .text), ("updated", "Updated", .text), ("pruned", "Pruned", .text), ("unchanged", "Unchanged", .text),
            ("objects", "Objects", .text), ("outOfSync", "Out of sync", .text), ("driftCorrected", "Drift corrected", .text),
        ]
        for (key, title, style) in fields {
            let text = summary[key]?.scalarText ?? ""
            let inner = style == .badge ? "<span class=\"badge v-\(HTML.slug(text))\">\(HTML.escape(text))</span>"
                : style == .code ? "<code>\(HTML.escape(text))</code>" : HTML.escape(text)
            body += "<div><dt>\(title)</dt><dd data-field=\"\(key)\" data-style=\"\(style.rawValue)\">\(inner)</dd></div>"
        }
        body += "</dl>"
        if access.actionsEnabled {
            body += "<div class=\"actions\">"
            for (action, label) in [("sync", "Sync now"), ("refresh", "Refresh")] {
                body += "<form method=\"post\" action=\"\(HTML.escape(apiPath))/\(action)\">"
                    + "<input type=\"hidden\" name=\"csrf\" value=\"\(access.csrfToken)\"><button type=\"submit\">\(label)</button></form>"
            }
            body += "</div>"
        }
        let resources = DashboardTable(id: "resources", source: apiPath + "/resources", columns: Self.resourceColumns, empty: "no object applied yet")
        let drift = DashboardTable(id: "drift", source: apiPath + "/drift", columns: Self.driftColumns, empty: "no drift seen")
        let history = DashboardTable(id: "history", source: apiPath + "/history", columns: Self.historyColumns, empty: "no sync yet")
        body += "<h2>Resources</h2>" + resources.html(resourcesDocument(objects: objects)["items"]?.listValue ?? [])
        body += "<h2>Drift</h2>" + drift.html(driftDocument()["items"]?.listValue ?? [])
        body += "<h2>Sync history</h2>" + history.html(historyDocument()["items"]?.listValue ?? [])
        return Self.layout(title: target.name + " · Tether", body: body)
    }

    /// `/targets/NAME/diff/ID`: one object's diff, Secret values masked.
    package func diffPage(_ id: ResourceID, sync: Int?) -> String? {
        guard let (source, text) = diff(of: id, sync: sync) else { return nil }
        var body = "<p><a href=\"\(HTML.escape(pagePath))\">← \(HTML.escape(target.name))</a></p>"
        body += "<h1>\(HTML.escape(id.description))</h1><p>Diff from \(HTML.escape(source)) (live → as applied).</p>"
        if text.isEmpty {
            body += "<p>No difference.</p>"
        } else {
            body += "<pre class=\"diff\">"
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let kind = line.hasPrefix("+++") || line.hasPrefix("---") ? "file" : line.hasPrefix("+") ? "add"
                    : line.hasPrefix("-") ? "del" : line.hasPrefix("@@") ? "hunk" : "ctx"
                body += "<span class=\"\(kind)\">\(HTML.escape(String(line)))</span>\n"
            }
            body += "</pre>"
        }
        return Self.layout(title: id.description + " · Tether", body: body, live: false)
    }

    static func layout(title: String, body: String, live: Bool = true) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title><link rel="stylesheet" href="/dashboard/dashboard.css">
        \(live ? "<noscript><meta http-equiv=\"refresh\" content=\"15\"></noscript><script src=\"/dashboard/dashboard.js\" defer></script>" : "")
        </head><body><header><a class="brand" href="/">Tether</a>\(live ? "<span id=\"live\" class=\"live\">reloads every 15 s</span>" : "")</header>
        <main>\(body)</main></body></html>

        """
    }
}
