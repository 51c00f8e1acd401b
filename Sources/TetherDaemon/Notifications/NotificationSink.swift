package import Foundation
package import TetherModel

/// One place notifications go, and the HTTP request each service documents.
///
/// - `webhook`: the generic JSON body (`payload`), signed with HMAC-SHA256 over the body
///   in `X-Signature: sha256=HEX` (as Flux's `generic-hmac` provider) when a key is set.
/// - `slack`: a Slack incoming webhook (`text` plus a coloured attachment); Mattermost and
///   Rocket.Chat take the same body.
/// - `teams`: a Microsoft Teams incoming webhook (Workflows): a message with one Adaptive
///   Card.
/// - `github` / `gitlab`: a commit status on the synced revision (`POST
///   /repos/OWNER/REPO/statuses/SHA`, `POST /projects/ID/statuses/SHA`), so a pull or
///   merge request shows whether its commit reached the cluster.
package struct NotificationSink: Sendable {
    package enum Service: String, Sendable, CaseIterable {
        case webhook, slack, teams, github, gitlab
    }

    package var service: Service
    /// The webhook URL, or the API base (`https://api.github.com`, `https://gitlab.com/api/v4`).
    package var url: URL
    /// HMAC key (webhook) or API token (github, gitlab), read from a file.
    package var secret: Redacted?
    /// `OWNER/REPO` (github) or the project's id or `group/name` path (gitlab).
    package var repository: String?
    /// The lowest severity sent (`error`: failures only).
    package var severity: Notification.Severity = .info
    /// The commit status's context (github) or name (gitlab); `tether/TARGET` by default.
    package var context: String?
    /// Where the config declared it, for messages.
    package var location: String

    package init(service: Service, url: URL, secret: Redacted? = nil, repository: String? = nil, location: String) {
        self.service = service
        self.url = url
        self.secret = secret
        self.repository = repository
        self.location = location
    }

    /// A secret that never prints.
    package struct Redacted: Sendable, CustomStringConvertible {
        package let value: String
        package init(_ value: String) { self.value = value }
        package var description: String { "<redacted>" }
    }

    /// Whether this sink reports commit statuses (rather than messages).
    package var isCommitStatus: Bool { service == .github || service == .gitlab }

    /// The request announcing `notification`; nil when this sink does not send it (a
    /// commit status needs a revision).
    package func request(for notification: Notification) throws -> HTTPDelivery.Request? {
        switch service {
        case .webhook:
            let body = try JSONEncoding().bytes(Self.payload(notification))
            var headers = ["Content-Type": "application/json", "User-Agent": "tether"]
            if let secret { headers["X-Signature"] = "sha256=" + Hex.encode(HMACSHA256.mac(key: Array(secret.value.utf8), message: body)) }
            return .init(url: url, headers: headers, body: Data(body), what: "webhook notification")
        case .slack:
            return .init(url: url, headers: ["Content-Type": "application/json"], body: Data(try JSONEncoding().bytes(Self.slack(notification))),
                         what: "Slack notification")
        case .teams:
            return .init(url: url, headers: ["Content-Type": "application/json"], body: Data(try JSONEncoding().bytes(Self.teams(notification))),
                         what: "Teams notification")
        case .github, .gitlab:
            return commitStatus(notification)
        }
    }

    func commitStatus(_ notification: Notification) -> HTTPDelivery.Request? {
        guard let sha = notification.revision, let repository, let secret, notification.kind != .drift else { return nil }
        let context = context ?? "tether/\(notification.target)"
        let succeeded = notification.kind == .synced
        let description = String((succeeded ? "Applied to \(notification.target)" : notification.message).prefix(140))
        if service == .github {
            let body: Value = ["state": succeeded ? "success" : "failure", "description": .string(description), "context": .string(context)]
            return .init(url: url.appendingPathComponent("repos/\(repository)/statuses/\(sha)"),
                         headers: ["Authorization": "Bearer \(secret.value)", "Accept": "application/vnd.github+json",
                                   "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json", "User-Agent": "tether"],
                         body: Data((try? JSONEncoding().bytes(body)) ?? []), what: "GitHub commit status")
        }
        let project = repository.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? repository
        let body: Value = ["state": succeeded ? "success" : "failed", "name": .string(context), "description": .string(description)]
        // appendingPathComponent would decode %2F; build the path text instead.
        let target = URL(string: url.absoluteString.trimmingSuffix("/") + "/projects/\(project)/statuses/\(sha)") ?? url
        return .init(url: target, headers: ["PRIVATE-TOKEN": secret.value, "Content-Type": "application/json", "User-Agent": "tether"],
                     body: Data((try? JSONEncoding().bytes(body)) ?? []), what: "GitLab commit status")
    }

    /// The generic webhook's JSON body (docs/notifications.md).
    package static func payload(_ n: Notification) -> Value {
        var map = OrderedMap()
        map["apiVersion"] = "tether.dev/v1"
        map["kind"] = .string(n.kind.rawValue)
        map["severity"] = .string(n.severity.rawValue)
        map["reason"] = .string(n.reason)
        map["target"] = .string(n.target)
        map["revision"] = n.revision.map { .string($0) } ?? .null
        if let subject = n.commitSubject { map["commit"] = ["subject": .string(subject), "author": .string(n.commitAuthor ?? "")] }
        map["message"] = .string(n.message)
        if let trigger = n.trigger { map["trigger"] = .string(trigger) }
        var counts = OrderedMap()
        for key in n.counts.keys.sorted() { counts[key] = .int(n.counts[key] ?? 0) }
        map["counts"] = .map(counts)
        map["changes"] = .list(n.changes.map { ["object": .string($0.object), "outcome": .string($0.outcome)] })
        map["timestamp"] = .string(n.time.formatted(.iso8601))
        return .map(map)
    }

    static func slack(_ n: Notification) -> Value {
        let fields: [Value] = [["title": "Target", "value": .string(n.target), "short": true],
                               ["title": "Revision", "value": .string(n.shortRevision), "short": true]]
        return ["text": .string(n.title),
                "attachments": [["color": n.severity == .error ? "danger" : "good", "title": .string(n.reason), "text": .string(Self.chatText(n)),
                                 "fields": .list(fields), "footer": "tether"]]]
    }

    static func teams(_ n: Notification) -> Value {
        let facts: [Value] = [["title": "Target", "value": .string(n.target)], ["title": "Revision", "value": .string(n.shortRevision)],
                              ["title": "Reason", "value": .string(n.reason)]]
        let card: Value = ["type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "version": "1.4",
                           "body": [["type": "TextBlock", "text": .string(n.title), "weight": "Bolder", "wrap": true,
                                     "color": n.severity == .error ? "Attention" : "Good"],
                                    ["type": "TextBlock", "text": .string(Self.chatText(n)), "wrap": true],
                                    ["type": "FactSet", "facts": .list(facts)]]]
        return ["type": "message", "attachments": [["contentType": "application/vnd.microsoft.card.adaptive", "content": card]]]
    }

    /// The message and the first changes, for chat.
    static func chatText(_ n: Notification) -> String {
        var lines = [n.message]
        if let subject = n.commitSubject { lines.append("Commit: \(subject)") }
        let shown = n.changes.prefix(10)
        lines += shown.map { "• \($0.object) \($0.outcome)" }
        if n.changes.count > shown.count { lines.append("… and \(n.changes.count - shown.count) more") }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
