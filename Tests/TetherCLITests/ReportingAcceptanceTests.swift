import Foundation
import Glibc
import Testing

/// Issue 19's reporting acceptance: the built `tether run` against `tether emulator` and
/// stand-ins on 127.0.0.1 for a generic webhook, Slack, Teams, GitHub, GitLab and an OTLP
/// collector (`Tests/Receivers/report_receivers.py`, which checks each request as the
/// real service documents it, the HMAC with Python's own `hmac`, and decodes traces with
/// PyPI's `opentelemetry-proto`), with kubectl reading the Events.
@Suite("tether run reporting: notifications, OTLP traces, Kubernetes Events", .serialized, .timeLimit(.minutes(3)))
struct ReportingAcceptanceTests {
    static let webhookKey = "hmac-key-for-tests"
    static let githubToken = "ghp_token-for-tests"
    static let gitlabToken = "glpat-token-for-tests"
    static let secretValue = "hunter2-notify-test"

    /// `.venv/bin/python` (or `$TETHER_PYTHON`) when it has opentelemetry-proto.
    static let python: String? = {
        let local = CLI.repositoryRoot.appendingPathComponent(".venv/bin/python").path
        let candidates: [String?] = [ProcessInfo.processInfo.environment["TETHER_PYTHON"], local]
        for case let path? in candidates where FileManager.default.isExecutableFile(atPath: path) {
            if let out = try? CLI.run(URL(fileURLWithPath: path), ["-c", "import opentelemetry.proto.collector.trace.v1.trace_service_pb2"]),
               out.status == 0 {
                return path
            }
        }
        return nil
    }()

    /// The receivers process and the files holding the keys, tokens and webhook URLs.
    final class Receivers {
        let process = Process()
        let directory: URL
        let base: String

        init(python: String, slow: Double = 60) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-receivers-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try ReportingAcceptanceTests.webhookKey.write(to: directory.appendingPathComponent("webhook-key"), atomically: true, encoding: .utf8)
            try (ReportingAcceptanceTests.githubToken + "\n").write(to: directory.appendingPathComponent("github-token"), atomically: true, encoding: .utf8)
            try ReportingAcceptanceTests.gitlabToken.write(to: directory.appendingPathComponent("gitlab-token"), atomically: true, encoding: .utf8)
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [CLI.repositoryRoot.appendingPathComponent("Tests/Receivers/report_receivers.py").path,
                                 "--webhook-key", directory.appendingPathComponent("webhook-key").path,
                                 "--github-token", directory.appendingPathComponent("github-token").path,
                                 "--gitlab-token", directory.appendingPathComponent("gitlab-token").path, "--slow", "\(slow)"]
            let text = try CLI.startReadingFirstLine(process)
            guard let range = text.range(of: "listening on ") else { throw SyncCommandTests.CLIError("receivers did not start: \(text)") }
            base = "http://" + text[range.upperBound...].prefix { !$0.isWhitespace }
            try (base + "/slack/services/T0001/B0001/slack-url-secret").write(to: directory.appendingPathComponent("slack-url"), atomically: true, encoding: .utf8)
            try (base + "/teams/workflows/teams-url-secret").write(to: directory.appendingPathComponent("teams-url"), atomically: true, encoding: .utf8)
        }

        deinit {
            // SIGKILL: Python inherits the test thread's blocked SIGTERM and would not stop.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }

        func file(_ name: String) -> String { directory.appendingPathComponent(name).path }

        /// Every request received so far, in order.
        func records() throws -> [[String: Any]] {
            let out = try CLI.run(URL(fileURLWithPath: "/usr/bin/curl"), ["-sf", base + "/records"]).stdout
            return (try JSONSerialization.jsonObject(with: Data(out.utf8))) as? [[String: Any]] ?? []
        }

        func records(_ service: String) -> [[String: Any]] {
            ((try? records()) ?? []).filter { ($0["service"] as? String) == service }
        }

        /// The bodies of `service`'s requests.
        func bodies(_ service: String) -> [[String: Any]] { records(service).compactMap { $0["body"] as? [String: Any] } }

        /// Every span received, in order.
        func spans() -> [[String: Any]] { bodies("otlp").flatMap { $0["spans"] as? [[String: Any]] ?? [] } }
    }

    static func git(_ arguments: [String], in repository: URL) throws -> String {
        let out = try CLI.run(URL(fileURLWithPath: "/usr/bin/git"), ["-c", "user.email=t@example.com", "-c", "user.name=t"] + arguments, in: repository)
        guard out.status == 0 else { throw SyncCommandTests.CLIError("git \(arguments.joined(separator: " ")): \(out.stderr)") }
        return out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func attributes(_ span: [String: Any]) -> [String: Any] { span["attributes"] as? [String: Any] ?? [:] }

    static func int(_ value: Any?) -> Int { (value as? Int) ?? (value as? NSNumber)?.intValue ?? -1 }

    @Test("notifications reach a webhook (HMAC), Slack, Teams, GitHub and GitLab; one OTLP trace per sync with stage spans; kubectl shows the Events; no Secret value leaves")
    func notificationsTracesAndEvents() throws {
        guard CLI.kubectl != nil, let python = Self.python else {
            print("notice: kubectl or a Python with opentelemetry-proto (.venv, scripts/install-deps.sh) missing; skipping")
            return
        }
        let receivers = try Receivers(python: python)
        let emulator = try SyncCommandTests.Emulator()
        let repository = try RunCommandTests.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        let first = try Self.git(["rev-parse", "HEAD"], in: repository)
        let daemon = try RunCommandTests.Daemon([
            "--source", "file://" + repository.path, "--path", "overlays/aws", "--server", emulator.url, "--interval", "1",
            "--cache-dir", repository.appendingPathComponent(".cache").path, "--prune", "--wait", "--timeout", "60",
            "--notify-webhook", receivers.base + "/webhook", "--notify-webhook-secret-file", receivers.file("webhook-key"),
            "--notify-slack-url-file", receivers.file("slack-url"), "--notify-teams-url-file", receivers.file("teams-url"),
            "--notify-github", "acme/platform-config", "--notify-github-token-file", receivers.file("github-token"),
            "--notify-github-url", receivers.base + "/github",
            "--notify-gitlab", "acme/platform-config", "--notify-gitlab-token-file", receivers.file("gitlab-token"),
            "--notify-gitlab-url", receivers.base + "/gitlab",
            "--otlp-endpoint", receivers.base,
        ])

        // First sync: one message per chat sink, a commit status on each forge, a trace.
        let everyone = ["webhook", "slack", "teams", "github", "gitlab"]
        let arrived = RunCommandTests.eventually(within: 20) { everyone.allSatisfy { !receivers.records($0).isEmpty } }
        #expect(arrived != nil, "first sync notified every sink: \((try? receivers.records())?.map { $0["path"] ?? "" } ?? []) \(daemon.output.suffix(1500))")
        let hook = try #require(receivers.bodies("webhook").first)
        #expect(hook["kind"] as? String == "synced" && hook["reason"] as? String == "Synced" && hook["target"] as? String == "overlays-aws")
        #expect(hook["revision"] as? String == first, "\(hook)")
        #expect(Self.int((hook["counts"] as? [String: Any])?["created"]) > 0, "\(hook)")
        #expect((hook["changes"] as? [[String: Any]])?.contains { $0["object"] as? String == "Deployment.apps/shop/storefront" } == true)
        let github = try #require(receivers.records("github").first)
        #expect(github["path"] as? String == "/github/repos/acme/platform-config/statuses/\(first)")
        #expect((github["body"] as? [String: Any])?["state"] as? String == "success")
        #expect((github["body"] as? [String: Any])?["context"] as? String == "tether/overlays-aws")
        let gitlab = try #require(receivers.records("gitlab").first)
        #expect(gitlab["path"] as? String == "/gitlab/projects/acme%2Fplatform-config/statuses/\(first)")
        #expect((gitlab["body"] as? [String: Any])?["state"] as? String == "success")

        // The trace of the first sync: a root `sync` span and its stages as children
        // (`wait` from --wait).
        #expect(RunCommandTests.eventually(within: 10) { receivers.spans().contains { $0["name"] as? String == "sync" } } != nil)
        let spans = receivers.spans()
        let root = try #require(spans.first { $0["name"] as? String == "sync" && Self.attributes($0)["tether.objects.created"] != nil })
        #expect(Self.attributes(root)["tether.revision"] as? String == first)
        #expect(Self.attributes(root)["tether.target"] as? String == "overlays-aws")
        #expect(Self.int(Self.attributes(root)["tether.objects.created"]) > 0)
        #expect((root["resource"] as? [String: Any])?["service.name"] as? String == "tether")
        let children = spans.filter { $0["traceId"] as? String == root["traceId"] as? String && $0["parentSpanId"] as? String == root["spanId"] as? String }
        #expect(Set(children.compactMap { $0["name"] as? String }).isSuperset(of: ["fetch", "render", "plan", "apply", "prune", "wait"]),
                "stage spans: \(children.map { $0["name"] ?? "" })")

        // Polls that find the revision applied send no message and no status, but each
        // sync is still a trace of its own.
        let syncs = { RunAcceptanceTests.metric((try? daemon.get("/metrics").body) ?? "", "tether_sync_total") }
        #expect(RunCommandTests.eventually(within: 10) { syncs() >= 3 } != nil)
        #expect(RunCommandTests.eventually(within: 5) {
            Double(receivers.spans().filter { $0["name"] as? String == "sync" }.count) >= syncs() - 1
        } != nil, "one trace per sync")
        let roots = receivers.spans().filter { $0["name"] as? String == "sync" }
        #expect(Set(roots.compactMap { $0["traceId"] as? String }).count == roots.count, "each sync its own trace id")
        #expect(receivers.records("webhook").count == 1 && receivers.records("github").count == 1, "no-op polls notify nothing")

        // Drift: corrected, notified (not as a commit status), traced, and recorded as Events.
        let scale = try emulator.kubectl(["scale", "deployment/storefront", "-n", "shop", "--replicas", "7"])
        #expect(scale.status == 0, "\(scale.stderr)")
        let drift = RunCommandTests.eventually(within: 10) { receivers.bodies("webhook").contains { $0["reason"] as? String == "DriftCorrected" } }
        #expect(drift != nil, "drift notified: \(receivers.bodies("webhook").map { $0["reason"] ?? "" })")
        #expect(emulator.replicas() == "3")
        let driftHook = receivers.bodies("webhook").first { $0["reason"] as? String == "DriftCorrected" }
        #expect(driftHook?["kind"] as? String == "drift")
        #expect((driftHook?["changes"] as? [[String: Any]])?.first?["object"] as? String == "Deployment.apps/shop/storefront")
        #expect(RunCommandTests.eventually(within: 5) {
            receivers.spans().contains { $0["name"] as? String == "drift.correct" && Self.attributes($0)["tether.object"] as? String == "Deployment.apps/shop/storefront" }
        } != nil, "the correction is a span of its own")
        #expect(receivers.records("github").count == 1, "drift sets no commit status")

        #expect(RunCommandTests.eventually(within: 10) {
            let out = (try? emulator.kubectl(["get", "events", "-n", "tether-system"]))?.stdout ?? ""
            return out.contains("Synced") && out.contains("DriftCorrected")
        } != nil, "kubectl get events: \((try? emulator.kubectl(["get", "events", "-n", "tether-system"]))?.stdout ?? "")")
        let events = try emulator.kubectl(["get", "events", "-n", "tether-system"])
        #expect(events.stdout.contains("configmap/tether-overlays-aws"), "\(events.stdout)")
        let parent = try emulator.kubectl(["describe", "configmap", "tether-overlays-aws", "-n", "tether-system"])
        let parentEvents = parent.stdout.components(separatedBy: "Events:").last ?? ""
        #expect(parent.stdout.contains("Events:") && parentEvents.contains("Synced") && parentEvents.contains("DriftCorrected")
                && parentEvents.contains("Applied revision \(first.prefix(12))"), "kubectl describe: \(parent.stdout)")
        let deployment = try emulator.kubectl(["describe", "deployment", "storefront", "-n", "shop"])
        let deploymentEvents = deployment.stdout.components(separatedBy: "Events:").last ?? ""
        #expect(deploymentEvents.contains("DriftCorrected") && deploymentEvents.contains("Synced"), "kubectl describe deployment: \(deployment.stdout.suffix(800))")

        // A commit adding a Secret: notified by name, its value nowhere.
        let overlay = repository.appendingPathComponent("overlays/aws")
        try "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  password: \(Self.secretValue)\n"
            .write(to: overlay.appendingPathComponent("db-secret.yaml"), atomically: true, encoding: .utf8)
        try SyncCommandTests.edit(overlay.appendingPathComponent("kustomization.yaml"), "- ../../base\n", "- ../../base\n- db-secret.yaml\n")
        _ = try Self.git(["add", "-A"], in: repository)
        _ = try Self.git(["commit", "-qm", "Add the database Secret"], in: repository)
        let second = try Self.git(["rev-parse", "HEAD"], in: repository)
        #expect(RunCommandTests.eventually(within: 10) {
            receivers.bodies("webhook").contains { $0["revision"] as? String == second && $0["kind"] as? String == "synced" }
                && receivers.records("github").contains { ($0["path"] as? String ?? "").hasSuffix(second) }
        } != nil, "second commit notified: \(daemon.output.suffix(1000))")
        let secondHook = receivers.bodies("webhook").first { $0["revision"] as? String == second }
        #expect((secondHook?["changes"] as? [[String: Any]])?.contains { $0["object"] as? String == "Secret/shop/db" && $0["outcome"] as? String == "created" } == true,
                "\(secondHook ?? [:])")
        #expect((secondHook?["commit"] as? [String: Any])?["subject"] as? String == "Add the database Secret")

        // A commit that cannot render: a failure everywhere, a failed status on its commit.
        try SyncCommandTests.edit(overlay.appendingPathComponent("kustomization.yaml"), "- db-secret.yaml\n", "- db-secret.yaml\n- missing.yaml\n")
        _ = try Self.git(["commit", "-qam", "Reference a file that is not there"], in: repository)
        let third = try Self.git(["rev-parse", "HEAD"], in: repository)
        #expect(RunCommandTests.eventually(within: 10) {
            receivers.records("github").contains { ($0["path"] as? String ?? "").hasSuffix(third) }
                && receivers.records("gitlab").contains { ($0["path"] as? String ?? "").hasSuffix(third) }
                && receivers.bodies("webhook").contains { $0["kind"] as? String == "failed" }
        } != nil, "failure notified: \(daemon.output.suffix(1000))")
        let failedStatus = receivers.records("github").first { ($0["path"] as? String ?? "").hasSuffix(third) }
        #expect((failedStatus?["body"] as? [String: Any])?["state"] as? String == "failure", "\(failedStatus ?? [:])")
        let failedGitlab = receivers.records("gitlab").first { ($0["path"] as? String ?? "").hasSuffix(third) }
        #expect((failedGitlab?["body"] as? [String: Any])?["state"] as? String == "failed")
        let failedHook = receivers.bodies("webhook").first { $0["kind"] as? String == "failed" }
        #expect(failedHook?["reason"] as? String == "SyncFailed" && failedHook?["severity"] as? String == "error")
        #expect(receivers.bodies("slack").contains { (($0["attachments"] as? [[String: Any]])?.first?["color"] as? String) == "danger" })

        // Every request passed its service's checks, and none carried the Secret's value.
        let all = try receivers.records()
        for record in all {
            #expect((record["errors"] as? [String] ?? []).isEmpty, "\(record["service"] ?? ""): \(record["errors"] ?? "")")
            #expect((200...299).contains(Self.int(record["status"])), "\(record["service"] ?? "") answered \(record["status"] ?? "")")
        }
        let encoded = Data(Self.secretValue.utf8).base64EncodedString()
        let leaks = all.filter { ($0["raw"] as? String ?? "").contains(Self.secretValue) || ($0["raw"] as? String ?? "").contains(encoded) }
        #expect(leaks.isEmpty, "a request carried the Secret's value: \(leaks.map { $0["service"] ?? "" })")
        let allEvents = try emulator.kubectl(["get", "events", "-A", "-o", "json"]).stdout
        #expect(!allEvents.contains(Self.secretValue) && !allEvents.contains(encoded))
        #expect(!daemon.output.contains(Self.githubToken) && !daemon.output.contains("slack-url-secret"))
    }

    @Test("bad notification and trace flags stop tether run before it syncs, exit 2, naming the flag", arguments: [
        (["--notify-webhook-secret-file", "/etc/hostname"], "--notify-webhook-secret-file needs --notify-webhook"),
        (["--notify-github", "acme/config"], "--notify-github needs --notify-github-token-file"),
        (["--notify-github", "acme/config", "--notify-github-token-file", "/nonexistent/token"], "--notify-github: cannot read the secret file /nonexistent/token"),
        (["--notify-slack-url-file", "EMPTY"], "--notify-slack-url-file: the URL file EMPTY is empty"),
        (["--notify-webhook", "ftp://example.com/hook"], "--notify-webhook: webhook needs an http(s) 'url'"),
        (["--notify-on", "synced,weekly", "--notify-webhook", "http://127.0.0.1:1/"], "--notify-on: unknown notification event 'weekly'"),
        (["--otlp-endpoint", "127.0.0.1:4318"], "--otlp-endpoint '127.0.0.1:4318' is not an http(s) URL"),
    ])
    func badFlags(flags: [String], message: String) throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("tether-empty-\(UUID().uuidString)")
        try Data().write(to: empty)
        defer { try? FileManager.default.removeItem(at: empty) }
        let message = message.replacingOccurrences(of: "EMPTY", with: empty.path)
        let out = try CLI.run(["run", "--source", CLI.repositoryRoot.appendingPathComponent("overlays-example").path, "--path", "overlays/aws",
                               "--server", "http://127.0.0.1:1", "--listen", "127.0.0.1:0"] + flags.map { $0 == "EMPTY" ? empty.path : $0 })
        #expect(out.status == 2, "\(out.stderr)")
        #expect(out.stderr.contains(message), "\(out.stderr)")
    }

    @Test("a notification receiver that is down and ones that hang (chat, forge, OTLP) delay neither a sync, nor drift correction, nor shutdown")
    func receiversDownOrSlow() throws {
        guard CLI.kubectl != nil, let python = Self.python else {
            print("notice: kubectl or a Python with opentelemetry-proto (.venv, scripts/install-deps.sh) missing; skipping")
            return
        }
        let receivers = try Receivers(python: python, slow: 60)
        try (receivers.base + "/slow/services/T/B/X").write(to: URL(fileURLWithPath: receivers.file("slack-url")), atomically: true, encoding: .utf8)
        let down = try freePort()
        let emulator = try SyncCommandTests.Emulator()
        let repository = try RunCommandTests.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        let started = Date()
        let daemon = try RunCommandTests.Daemon([
            "--source", "file://" + repository.path, "--path", "overlays/aws", "--server", emulator.url, "--interval", "1",
            "--cache-dir", repository.appendingPathComponent(".cache").path, "--prune",
            "--notify-webhook", "http://127.0.0.1:\(down)/webhook", "--notify-slack-url-file", receivers.file("slack-url"),
            "--notify-github", "acme/platform-config", "--notify-github-token-file", receivers.file("github-token"),
            "--notify-github-url", receivers.base + "/slow",
            "--otlp-endpoint", receivers.base + "/slow",
        ])
        let firstSync = RunCommandTests.eventually(within: 20) { emulator.replicas() == "3" }
        print("down/slow receivers: first sync applied \(String(format: "%.2f", Date().timeIntervalSince(started))) s after start")
        #expect(firstSync != nil && Date().timeIntervalSince(started) < 15, "\(daemon.output.suffix(1500))")
        #expect(RunCommandTests.eventually(within: 5) { receivers.records("slow").count >= 2 } != nil, "the hanging receivers were called")

        // While those requests hang, a new commit is applied within one interval and drift
        // is corrected as fast as without notifications (RunAcceptanceTests' budgets).
        try SyncCommandTests.edit(repository.appendingPathComponent("overlays/aws/kustomization.yaml"), "count: 3", "count: 4")
        try RunCommandTests.commit(repository, "four replicas")
        let applied = RunCommandTests.eventually(within: 1 + 3) { emulator.replicas() == "4" }
        print("down/slow receivers: pushed commit applied after \(applied.map { String(format: "%.2f s", $0) } ?? "never")")
        #expect(applied != nil, "\(daemon.output.suffix(1500))")
        _ = try emulator.kubectl(["scale", "deployment/storefront", "-n", "shop", "--replicas", "9"])
        let healed = RunCommandTests.eventually(within: 2) { emulator.replicas() == "4" }
        print("down/slow receivers: drift corrected after \(healed.map { String(format: "%.2f s", $0) } ?? "never")")
        #expect(healed != nil)

        // Shutdown gives the queues a bounded 1 s, not the receivers' 60 s.
        let stopping = Date()
        daemon.process.terminate()
        daemon.process.waitUntilExit()
        let stopped = Date().timeIntervalSince(stopping)
        print("down/slow receivers: exit \(daemon.process.terminationStatus) after \(String(format: "%.2f", stopped)) s")
        #expect(daemon.process.terminationStatus == 0 && stopped < 10, "\(daemon.output.suffix(800))")
    }
}
