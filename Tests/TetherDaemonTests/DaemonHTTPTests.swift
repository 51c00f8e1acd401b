import Foundation
import InMemoryLogging
import Logging
import Testing
import TetherModel
@testable import TetherDaemon
import TestSupport

@Suite("Daemon HTTP endpoints and webhooks on loopback (curl as the client)", .serialized, .timeLimit(.minutes(1)), .capturedLogs)
struct DaemonHTTPTests {
    static let secretText = "correct-horse-battery-staple"
    static let secret = try! WebhookSecret(bytes: Array(secretText.utf8))

    static func push(_ ref: String, after: String = "c0ffee") -> [UInt8] {
        Array(#"{"ref":"\#(ref)","after":"\#(after)","repository":{"default_branch":"main"}}"#.utf8)
    }

    func githubHeaders(_ body: [UInt8], delivery: String, key: String = secretText) async throws -> [(String, String)] {
        [("X-GitHub-Event", "push"), ("X-GitHub-Delivery", delivery), ("Content-Type", "application/json"),
         ("X-Hub-Signature-256", "sha256=" + (try await opensslHMAC(key: key, message: body)))]
    }

    @Test("healthz, readyz before and after the first sync, status JSON and metrics")
    func endpoints() async throws {
        let daemon = try await RunningDaemon(secret: nil)
        let health = try await curl(daemon.url + "/healthz")
        #expect(health.status == 200 && health.body == "ok\n")
        let unready = try await curl(daemon.url + "/readyz")
        #expect(unready.status == 503)
        #expect(unready.body.contains("no sync has succeeded yet"))

        daemon.recorder.script([.succeeded(revision: "abc123", objectsManaged: 7, driftCorrections: 2,
                                           objects: [.init(id: "apps/Deployment/web/api", state: "unchanged")])])
        daemon.scheduler.trigger(SyncTrigger(.poll))
        try await waitUntil("the sync is recorded") { await daemon.status.lastSuccess != nil }
        #expect(try await curl(daemon.url + "/readyz").status == 200)

        let status = try await curl(daemon.url + "/status")
        #expect(status.status == 200)
        #expect(status.headers["content-type"] == "application/json")
        let document = try JSONParsing().value(from: status.body)
        #expect(document["ready"] == .bool(true))
        #expect(document["revision"] == "abc123")
        #expect(document["objectsManaged"] == .int(7))
        #expect(document[path: ["lastSync", "result"]] == "success")
        #expect(document[path: ["lastSync", "trigger"]] == "poll")
        #expect(document["objects"]?.listValue?.first?["id"] == "apps/Deployment/web/api")

        let metrics = try await curl(daemon.url + "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.body.contains(#"tether_sync_total{result="success"} 1"#))
        #expect(metrics.body.contains(#"tether_last_applied_revision_info{revision="abc123"} 1.0"#))
        #expect(metrics.body.contains("tether_objects_managed 7.0"))
        #expect(metrics.body.contains("tether_drift_corrections_total 2"))
        #expect(metrics.body.contains(#"tether_sync_duration_seconds_count{result="success"} 1"#))
        #expect(metrics.body.contains("# HELP tether_sync_total Syncs finished"))
        #expect(metrics.body.contains("# TYPE tether_sync_duration_seconds histogram"))
        let webhooks = try await curl(daemon.url + "/hooks/github", method: "POST", body: Array("{}".utf8))
        #expect(webhooks.status == 404)
        #expect(webhooks.body.contains("--webhook-secret-file"))
        try await daemon.stop()
    }

    @Test("readyz turns unready when the last success is older than the staleness window")
    func staleness() async throws {
        var configuration = RunningDaemon.quietScheduler()
        configuration.backoff = Backoff(base: .milliseconds(20), maximum: .milliseconds(40), jitter: 0)
        let daemon = try await RunningDaemon(secret: nil, scheduler: configuration, staleAfter: .milliseconds(400))
        daemon.recorder.script([.succeeded(revision: "r1")] + Array(repeating: .failed("git server unreachable"), count: 1000))
        daemon.scheduler.trigger(SyncTrigger(.poll))
        try await waitUntil("the first sync succeeds") { await daemon.status.lastSuccess != nil }
        #expect(try await curl(daemon.url + "/readyz").status == 200)
        daemon.scheduler.trigger(SyncTrigger(.poll))
        try await waitUntil("readyz reports stale") { try await curl(daemon.url + "/readyz").status == 503 }
        let body = try await curl(daemon.url + "/readyz").body
        #expect(body.contains("longer than the staleness window"))
        let metrics = try await curl(daemon.url + "/metrics").body
        #expect(metrics.contains(#"tether_sync_total{result="failure"}"#))
        // The revision stays the last one applied while syncs fail.
        #expect(metrics.contains(#"tether_last_applied_revision_info{revision="r1"} 1.0"#))
        let status = try JSONParsing().value(from: try await curl(daemon.url + "/status").body)
        #expect(status["revision"] == "r1")
        #expect(status[path: ["lastSync", "message"]] == "git server unreachable")
        try await daemon.stop()
    }

    @Test("GitHub: a signed push syncs; a replay, a wrong or missing signature and another branch do not")
    func github() async throws {
        let daemon = try await RunningDaemon(secret: Self.secret)
        let body = Self.push("refs/heads/main")
        let accepted = try await curl(daemon.url + "/hooks/github", method: "POST",
                                      headers: try await githubHeaders(body, delivery: "d-1"), body: body)
        #expect(accepted.status == 202)
        try await waitUntil("the webhook's sync ran") { daemon.recorder.finished == 1 }
        #expect(daemon.recorder.calls == [SyncTrigger(.webhook)])

        let replay = try await curl(daemon.url + "/hooks/github", method: "POST",
                                    headers: try await githubHeaders(body, delivery: "d-1"), body: body)
        #expect(replay.status == 409)
        let wrong = try await curl(daemon.url + "/hooks/github", method: "POST",
                                   headers: try await githubHeaders(body, delivery: "d-2", key: "guess"), body: body)
        #expect(wrong.status == 401)
        #expect(wrong.body.contains("signature does not match"))
        let unsigned = try await curl(daemon.url + "/hooks/github", method: "POST",
                                      headers: [("X-GitHub-Event", "push"), ("X-GitHub-Delivery", "d-3")], body: body)
        #expect(unsigned.status == 401)
        let otherBranch = Self.push("refs/heads/feature")
        let ignored = try await curl(daemon.url + "/hooks/github", method: "POST",
                                     headers: try await githubHeaders(otherBranch, delivery: "d-4"), body: otherBranch)
        #expect(ignored.status == 200)
        #expect(ignored.body.contains("not the tracked ref"))
        var ping = try await githubHeaders(Array("{}".utf8), delivery: "d-5")
        ping[0] = ("X-GitHub-Event", "ping")
        #expect(try await curl(daemon.url + "/hooks/github", method: "POST", headers: ping, body: Array("{}".utf8)).status == 200)
        // A delivery refused for its signature was not remembered: signed properly, it is accepted.
        let retried = try await curl(daemon.url + "/hooks/github", method: "POST",
                                     headers: try await githubHeaders(body, delivery: "d-2"), body: body)
        #expect(retried.status == 202)
        try await waitUntil("the second webhook's sync ran") { daemon.recorder.finished == 2 }
        let metrics = try await curl(daemon.url + "/metrics").body
        #expect(metrics.contains(#"tether_webhook_requests_total{provider="github",result="accepted"} 2"#))
        #expect(metrics.contains(#"tether_webhook_requests_total{provider="github",result="unauthorized"} 2"#))
        #expect(metrics.contains(#"tether_webhook_requests_total{provider="github",result="replayed"} 1"#))
        #expect(metrics.contains(#"tether_webhook_requests_total{provider="github",result="ignored"} 2"#))
        try await daemon.stop()
        #expect(daemon.recorder.calls.count == 2)
    }

    @Test("GitLab token and the signed generic endpoint; stale generic timestamps are refused")
    func gitlabAndGeneric() async throws {
        let daemon = try await RunningDaemon(secret: Self.secret)
        let gitlabBody = Array(#"{"object_kind":"push","ref":"refs/heads/main","checkout_sha":"abc"}"#.utf8)
        let gitlab = try await curl(daemon.url + "/hooks/gitlab", method: "POST", headers: [
            ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", Self.secretText), ("X-Gitlab-Event-UUID", "g-1"),
        ], body: gitlabBody)
        #expect(gitlab.status == 202)
        let badToken = try await curl(daemon.url + "/hooks/gitlab", method: "POST", headers: [
            ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", "nope"), ("X-Gitlab-Event-UUID", "g-2"),
        ], body: gitlabBody)
        #expect(badToken.status == 401)

        let body = Array(#"{"ref":"refs/heads/main"}"#.utf8)
        let now = Int64(Date().timeIntervalSince1970)
        func generic(_ timestamp: Int64, _ delivery: String) async throws -> CurlResult {
            let signed = Array("\(timestamp).\(delivery).".utf8) + body
            return try await curl(daemon.url + "/hooks/generic", method: "POST", headers: [
                ("X-Tether-Timestamp", String(timestamp)), ("X-Tether-Delivery", delivery),
                ("X-Tether-Signature-256", "sha256=" + (try await opensslHMAC(key: Self.secretText, message: signed))),
            ], body: body)
        }
        #expect(try await generic(now, "n-1").status == 202)
        #expect(try await generic(now, "n-1").status == 409)
        let stale = try await generic(now - 3600, "n-2")
        #expect(stale.status == 401)
        // 3600 s, or 3601 if the second turned between signing and checking.
        #expect(stale.body.contains("X-Tether-Timestamp is 3600 s away") || stale.body.contains("X-Tether-Timestamp is 3601 s away"))
        try await waitUntil("both accepted webhooks synced (possibly merged into one)") {
            daemon.recorder.finished >= 1 && !daemon.recorder.calls.isEmpty
        }
        try await daemon.stop()
        #expect(daemon.recorder.calls.allSatisfy { $0 == SyncTrigger(.webhook) })
        #expect((1...2).contains(daemon.recorder.calls.count))
    }

    @Test("size bound (413) and rate bound (429 with Retry-After) do no work")
    func bounds() async throws {
        var limits = WebhookReceiver.Configuration()
        limits.maxBodyBytes = 1024
        limits.rate = 0.2
        limits.burst = 3
        let daemon = try await RunningDaemon(secret: Self.secret, webhook: limits)
        let big = Self.push("refs/heads/main") + Array(repeating: 0x20, count: 2000)
        let tooLarge = try await curl(daemon.url + "/hooks/github", method: "POST",
                                      headers: try await githubHeaders(big, delivery: "big"), body: big)
        #expect(tooLarge.status == 413)
        let chunked = try await curl(daemon.url + "/hooks/github", method: "POST",
                                     headers: try await githubHeaders(big, delivery: "big-chunked") + [("Transfer-Encoding", "chunked")],
                                     body: big)
        #expect(chunked.status == 413)
        let body = Self.push("refs/heads/main")
        #expect(try await curl(daemon.url + "/hooks/github", method: "POST",
                               headers: try await githubHeaders(body, delivery: "r-1"), body: body).status == 202)
        let limited = try await curl(daemon.url + "/hooks/github", method: "POST",
                                     headers: try await githubHeaders(body, delivery: "r-2"), body: body)
        #expect(limited.status == 429)
        #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1)
        try await daemon.stop()
        #expect(daemon.recorder.calls.count == 1)
    }

    @Test("a standby replica is ready, says so, and answers webhooks 503 without syncing")
    func standby() async throws {
        let daemon = try await RunningDaemon(secret: Self.secret)
        await daemon.status.setLeading(false)
        let ready = try await curl(daemon.url + "/readyz")
        #expect(ready.status == 200 && ready.body == "ok (standby)\n")
        let body = Self.push("refs/heads/main")
        let hook = try await curl(daemon.url + "/hooks/github", method: "POST",
                                  headers: try await githubHeaders(body, delivery: "s-1"), body: body)
        #expect(hook.status == 503)
        #expect(hook.body.contains("standby replica"))
        #expect(try JSONParsing().value(from: try await curl(daemon.url + "/status").body)["role"] == "standby")
        await daemon.status.setLeading(true)
        let unready = try await curl(daemon.url + "/readyz")
        #expect(unready.status == 503)
        let accepted = try await curl(daemon.url + "/hooks/github", method: "POST",
                                      headers: try await githubHeaders(body, delivery: "s-1"), body: body)
        #expect(accepted.status == 202)
        try await daemon.stop()
        #expect(daemon.recorder.calls == [SyncTrigger(.webhook)])
    }

    @Test("no log line carries the webhook secret or a signature")
    func logsHaveNoSecrets() async throws {
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "test") { _ in handler }
        logger.logLevel = .trace
        let daemon = try await RunningDaemon(secret: Self.secret, logger: logger)
        let body = Self.push("refs/heads/main")
        let headers = try await githubHeaders(body, delivery: "log-1")
        _ = try await curl(daemon.url + "/hooks/github", method: "POST", headers: headers, body: body)
        _ = try await curl(daemon.url + "/hooks/gitlab", method: "POST", headers: [
            ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", Self.secretText + "x"), ("X-Gitlab-Event-UUID", "log-2"),
        ], body: body)
        try await waitUntil("the sync ran") { daemon.recorder.finished == 1 }
        try await daemon.stop()
        let signature = String(headers.first { $0.0 == "X-Hub-Signature-256" }!.1.dropFirst(7))
        #expect(handler.entries.contains { $0.message.description == "webhook accepted" })
        for entry in handler.entries {
            let text = "\(entry.message) \(entry.metadata)"
            #expect(!text.contains(Self.secretText))
            #expect(!text.contains(signature))
        }
    }
}
