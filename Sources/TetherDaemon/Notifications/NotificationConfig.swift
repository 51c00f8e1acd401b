import Foundation
package import TetherEngine
package import TetherModel

/// The `notifications:` section of `tether.yaml`:
///
/// ```yaml
/// notifications:
///   on: [synced, failed, drift]      # default: all three
///   providers:
///   - type: slack                    # webhook, slack, teams, github, gitlab
///     urlFile: /etc/tether/slack-url # the incoming-webhook URL is a secret: keep it in a file
///     severity: error                # info (default) or error: failures only
///   - type: webhook
///     url: https://hooks.example.com/tether
///     secretFile: /etc/tether/hmac-key
///   - type: github
///     repository: acme/platform-config
///     tokenFile: /etc/tether/github-token
///     url: https://api.github.com    # default; GitHub Enterprise: https://HOST/api/v3
///     context: tether/prod           # default tether/TARGET
///   - type: gitlab
///     repository: acme/platform-config   # or the numeric project id
///     tokenFile: /etc/tether/gitlab-token
///     url: https://gitlab.com/api/v4
/// ```
package struct NotificationConfig: Sendable {
    package var kinds: Set<Notification.Kind> = Set(Notification.Kind.allCases)
    package var sinks: [NotificationSink] = []

    package init(kinds: Set<Notification.Kind> = Set(Notification.Kind.allCases), sinks: [NotificationSink] = []) {
        self.kinds = kinds
        self.sinks = sinks
    }

    static let fields: Set<String> = ["type", "url", "urlFile", "secretFile", "tokenFile", "repository", "severity", "context"]

    /// The `notifications:` section of a decoded `tether.yaml` (none: an empty config);
    /// `TargetsFile.parse` reads the file once and calls this.
    /// - Throws: `EngineError` `invalidConfig` with `file:line:column` and what to fix.
    package static func parse(_ document: YAMLDocument) throws(EngineError) -> NotificationConfig {
        guard case .map(let section)? = document.value["notifications"] else {
            if document.value["notifications"] == nil { return NotificationConfig() }
            throw EngineError(.invalidConfig, "\(document.location(of: "/notifications")): 'notifications' must be a map with 'providers'")
        }
        var config = NotificationConfig()
        for key in section.keys where key != "on" && key != "providers" {
            throw EngineError(.invalidConfig, "\(document.location(of: "/notifications/" + key)): unknown field '\(key)'",
                              hint: "Allowed: on, providers.")
        }
        if let on = section["on"] {
            let names = on.listValue?.compactMap(\.scalarText) ?? on.scalarText.map { $0.split(separator: ",").map(String.init) } ?? []
            config.kinds = try kinds(names, at: "\(document.location(of: "/notifications/on"))")
        }
        for (index, item) in (section["providers"]?.listValue ?? []).enumerated() {
            config.sinks.append(try sink(item, document: document, pointer: "/notifications/providers/\(index)"))
        }
        return config
    }

    /// Parses `on:` names (`synced`, `failed`, `drift`, `all`).
    package static func kinds(_ names: [String], at location: String) throws(EngineError) -> Set<Notification.Kind> {
        var kinds = Set<Notification.Kind>()
        for name in names.map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            if name == "all" { kinds.formUnion(Notification.Kind.allCases); continue }
            guard let kind = Notification.Kind(rawValue: name) else {
                throw EngineError(.invalidConfig, "\(location): unknown notification event '\(name)'", hint: "Use synced, failed, drift or all.")
            }
            kinds.insert(kind)
        }
        return kinds
    }

    static func sink(_ item: Value, document: YAMLDocument, pointer: String) throws(EngineError) -> NotificationSink {
        let location = "\(document.location(of: pointer))"
        guard case .map(let fields) = item else { throw EngineError(.invalidConfig, "\(location): each provider must be a map with 'type'") }
        let strings = try ConfigFields.strings(fields, allowed: Self.fields, at: pointer, in: document)
        guard let type = strings["type"], let service = NotificationSink.Service(rawValue: type) else {
            throw EngineError(.invalidConfig, "\(location): 'type' must be one of \(NotificationSink.Service.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return try sink(service, strings, location: location)
    }

    /// A sink from its fields (also how the `--notify-*` flags build one).
    package static func sink(_ service: NotificationSink.Service, _ fields: [String: String], location: String) throws(EngineError) -> NotificationSink {
        var urlText = fields["url"]
        if let file = fields["urlFile"] {
            guard urlText == nil else { throw EngineError(.invalidConfig, "\(location): give 'url' or 'urlFile', not both") }
            urlText = try secret(file, what: "URL", location: location).value
        }
        switch service {
        case .github: urlText = urlText ?? "https://api.github.com"
        case .gitlab: urlText = urlText ?? "https://gitlab.com/api/v4"
        default: break
        }
        guard let urlText, let url = URL(string: urlText), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw EngineError(.invalidConfig, "\(location): \(service.rawValue) needs an http(s) 'url' or 'urlFile'")
        }
        var sink = NotificationSink(service: service, url: url, location: location)
        if let file = fields["secretFile"] ?? fields["tokenFile"] { sink.secret = try secret(file, what: "secret", location: location) }
        sink.repository = fields["repository"]
        sink.context = fields["context"]
        if let severity = fields["severity"] {
            guard let value = Notification.Severity(rawValue: severity) else {
                throw EngineError(.invalidConfig, "\(location): 'severity' must be info or error")
            }
            sink.severity = value
        }
        if sink.isCommitStatus, sink.repository == nil || sink.secret == nil {
            throw EngineError(.invalidConfig, "\(location): \(service.rawValue) commit statuses need 'repository' and 'tokenFile'")
        }
        return sink
    }

    static func secret(_ path: String, what: String, location: String) throws(EngineError) -> NotificationSink.Redacted {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw EngineError(.invalidConfig, "\(location): cannot read the \(what) file \(path)", hint: "Check the path and its permissions.", cause: error)
        }
        guard !text.isEmpty else { throw EngineError(.invalidConfig, "\(location): the \(what) file \(path) is empty") }
        return NotificationSink.Redacted(text)
    }
}
