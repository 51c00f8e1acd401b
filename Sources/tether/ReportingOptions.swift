import ArgumentParser
import Foundation
import Logging
import TetherDaemon
import TetherEngine
import TetherKube
import TetherModel

/// `tether run`'s reporting flags: Kubernetes Events, notifications (the flag form of
/// tether.yaml's `notifications:` section) and OTLP traces (docs/notifications.md).
struct ReportingOptions: ParsableArguments {
    @Flag(name: .long, inversion: .prefixedNo, help: "Record Kubernetes Events on the ApplySet parent and on the objects a sync changes.")
    var events = true

    @Option(name: .long, help: ArgumentHelp("Notify on these events: synced, failed, drift or all, comma-separated (default: tether.yaml's on:, else all).",
                                            valueName: "events"))
    var notifyOn: String?

    @Option(name: .long, help: ArgumentHelp("POST each notification as JSON to this URL (the generic webhook).", valueName: "url"))
    var notifyWebhook: String?

    @Option(name: .long, help: ArgumentHelp("File holding the HMAC-SHA256 key that signs --notify-webhook bodies (X-Signature: sha256=HEX).",
                                            valueName: "file"))
    var notifyWebhookSecretFile: String?

    @Option(name: .long, help: ArgumentHelp("File holding a Slack incoming-webhook URL to notify.", valueName: "file"))
    var notifySlackURLFile: String?

    @Option(name: .long, help: ArgumentHelp("File holding a Microsoft Teams incoming-webhook (Workflows) URL to notify.", valueName: "file"))
    var notifyTeamsURLFile: String?

    @Option(name: .long, help: ArgumentHelp("Set commit statuses on this GitHub repository (OWNER/REPO); needs --notify-github-token-file.",
                                            valueName: "owner/repo"))
    var notifyGithub: String?

    @Option(name: .long, help: ArgumentHelp("File holding the GitHub token for --notify-github.", valueName: "file"))
    var notifyGithubTokenFile: String?

    @Option(name: .long, help: ArgumentHelp("GitHub API base for --notify-github (GitHub Enterprise: https://HOST/api/v3).", valueName: "url"))
    var notifyGithubURL: String?

    @Option(name: .long, help: ArgumentHelp("Set commit statuses on this GitLab project (id or group/name); needs --notify-gitlab-token-file.",
                                            valueName: "project"))
    var notifyGitlab: String?

    @Option(name: .long, help: ArgumentHelp("File holding the GitLab token for --notify-gitlab.", valueName: "file"))
    var notifyGitlabTokenFile: String?

    @Option(name: .long, help: ArgumentHelp("GitLab API base for --notify-gitlab (default https://gitlab.com/api/v4).", valueName: "url"))
    var notifyGitlabURL: String?

    @Option(name: .long, help: ArgumentHelp("Export each sync and drift correction as an OpenTelemetry trace to this OTLP/HTTP collector (e.g. http://127.0.0.1:4318).",
                                            valueName: "url"))
    var otlpEndpoint: String?

    func validate() throws {
        let pairs: [(String?, String?, String, String)] = [
            (notifyWebhookSecretFile, notifyWebhook, "--notify-webhook-secret-file", "--notify-webhook"),
            (notifyGithubTokenFile, notifyGithub, "--notify-github-token-file", "--notify-github"),
            (notifyGithubURL, notifyGithub, "--notify-github-url", "--notify-github"),
            (notifyGitlabTokenFile, notifyGitlab, "--notify-gitlab-token-file", "--notify-gitlab"),
            (notifyGitlabURL, notifyGitlab, "--notify-gitlab-url", "--notify-gitlab"),
        ]
        for (given, needed, flag, other) in pairs where given != nil && needed == nil {
            throw ValidationError("\(flag) needs \(other).")
        }
        if notifyGithub != nil, notifyGithubTokenFile == nil { throw ValidationError("--notify-github needs --notify-github-token-file.") }
        if notifyGitlab != nil, notifyGitlabTokenFile == nil { throw ValidationError("--notify-gitlab needs --notify-gitlab-token-file.") }
        if let otlpEndpoint, Self.httpURL(otlpEndpoint) == nil {
            throw ValidationError("--otlp-endpoint '\(otlpEndpoint)' is not an http(s) URL. Give the collector's base, e.g. http://127.0.0.1:4318.")
        }
    }

    static func httpURL(_ text: String) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else { return nil }
        return url
    }

    /// `file` (tether.yaml's `notifications:` section) with the flags' sinks added and
    /// `--notify-on` in place of its `on:`.
    /// - Throws: `EngineError` `invalidConfig` for a file that cannot be read or a bad value.
    func notifications(_ file: NotificationConfig = NotificationConfig(sinks: [])) throws -> NotificationConfig {
        var config = file
        if let notifyOn {
            config.kinds = try NotificationConfig.kinds(notifyOn.split(separator: ",").map(String.init), at: "--notify-on")
        }
        let flags: [(NotificationSink.Service, [String: String?], String)] = [
            (.webhook, ["url": notifyWebhook, "secretFile": notifyWebhookSecretFile], "--notify-webhook"),
            (.slack, ["urlFile": notifySlackURLFile], "--notify-slack-url-file"),
            (.teams, ["urlFile": notifyTeamsURLFile], "--notify-teams-url-file"),
            (.github, ["repository": notifyGithub, "tokenFile": notifyGithubTokenFile, "url": notifyGithubURL], "--notify-github"),
            (.gitlab, ["repository": notifyGitlab, "tokenFile": notifyGitlabTokenFile, "url": notifyGitlabURL], "--notify-gitlab"),
        ]
        for (service, fields, flag) in flags {
            let given = fields.compactMapValues { $0 }
            guard !given.isEmpty else { continue }
            config.sinks.append(try NotificationConfig.sink(service, given, location: flag))
        }
        return config
    }

    /// The reporters of one target.
    /// - Parameters:
    ///   - engine: the target's options (its name and ApplySet parent).
    ///   - notifications: `notifications(_:)`, read before the daemon starts.
    func reporting(engine: EngineOptions, notifications: NotificationConfig, instance: String, client: KubeClient,
                   logger: Logger) -> DaemonReporting {
        var configuration = DaemonReporting.Configuration(
            target: engine.name, parent: ResourceID(group: "", kind: "ConfigMap", namespace: engine.parentNamespace, name: engine.parentName),
            instance: instance)
        configuration.events = events
        configuration.notifications = notifications
        configuration.otlpEndpoint = otlpEndpoint.flatMap(Self.httpURL)
        configuration.version = TetherVersion.current
        return DaemonReporting(configuration: configuration, client: client, logger: logger)
    }
}
