import Foundation
import Testing

/// Issue 17's acceptance runs for the one reconcile pipeline: the webhook follows `--ref`,
/// and `tether sync` and one `tether run` cycle send the cluster the same requests.
@Suite("issue 17 acceptance: webhook on the --ref branch, tether sync and tether run send the same requests", .serialized,
       .timeLimit(.minutes(4)))
struct PipelineAcceptanceTests {
    static let git = URL(fileURLWithPath: "/usr/bin/git")

    static func git(_ arguments: [String], in repository: URL) throws {
        let out = try CLI.run(git, ["-c", "user.email=t@example.com", "-c", "user.name=t"] + arguments, in: repository)
        #expect(out.status == 0, "git \(arguments.joined(separator: " ")): \(out.stderr)")
    }

    @Test("tether run --ref release: a signed webhook for release triggers a sync within 2 s; one for main triggers none")
    func webhookTriggersOnlyTheTrackedRef() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try SyncCommandTests.Emulator()
        let repository = try RunCommandTests.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        try Self.git(["checkout", "-q", "-b", "release"], in: repository)
        let secret = repository.appendingPathComponent(".hook-secret")
        try "s3cret-for-tests".write(to: secret, atomically: true, encoding: .utf8)
        // Polling is off in effect (300 s): only the startup sync and webhooks sync.
        let daemon = try RunCommandTests.Daemon(["--source", "file://" + repository.path, "--ref", "release", "--path", "overlays/aws",
                                                 "--server", emulator.url, "--interval", "300", "--webhook-secret-file", secret.path,
                                                 "--cache-dir", repository.appendingPathComponent(".cache").path])
        #expect(RunCommandTests.eventually(within: 15) { emulator.replicas() == "3" } != nil, "startup sync: \(daemon.output.suffix(800))")
        #expect(RunCommandTests.eventually(within: 5) { (try? daemon.get("/readyz").status) == "200" } != nil)

        // One commit on release, waiting to be synced; main changes too, differently.
        try SyncCommandTests.edit(repository.appendingPathComponent("overlays/aws/kustomization.yaml"), "count: 3", "count: 4")
        try Self.git(["commit", "-qam", "four replicas on release"], in: repository)
        try Self.git(["checkout", "-q", "main"], in: repository)
        try SyncCommandTests.edit(repository.appendingPathComponent("overlays/aws/kustomization.yaml"), "count: 3", "count: 7")
        try Self.git(["commit", "-qam", "seven replicas on main"], in: repository)

        func push(_ ref: String, _ delivery: String) throws -> String {
            let body = #"{"ref":"\#(ref)","after":"0000000000000000000000000000000000000000"}"#
            return try daemon.post("/hooks/github", body: body, headers: [
                "X-GitHub-Event: push", "X-GitHub-Delivery: \(delivery)", "Content-Type: application/json",
                "X-Hub-Signature-256: sha256=" + RunCommandTests.hmac(body, "s3cret-for-tests"),
            ])
        }
        try emulator.resetAudit()
        #expect(try push("refs/heads/main", "m1") == "200", "a push to another branch is answered, not accepted: \(daemon.output.suffix(600))")
        Thread.sleep(forTimeInterval: 3)
        #expect(emulator.replicas() == "3", "a push to main syncs nothing (release's commit stays unapplied)")
        let afterMain = try emulator.audit().filter { ($0["userAgent"] as? String ?? "").hasPrefix("tether/") && ($0["verb"] as? String) != "watch" }
        #expect(afterMain.isEmpty, "no request for a push to main: \(afterMain.map { "\($0["verb"] ?? "") \($0["path"] ?? "")" })")

        let sent = Date()
        #expect(try push("refs/heads/release", "r1") == "202", "a push to the --ref branch is accepted: \(daemon.output.suffix(600))")
        let applied = RunCommandTests.eventually(within: 2) { emulator.replicas() == "4" }
        #expect(applied != nil, "release's commit applied within 2 s of its webhook: \(daemon.output.suffix(800))")
        print("webhook for release: applied \(String(format: "%.2f", Date().timeIntervalSince(sent))) s after it was sent")
        Thread.sleep(forTimeInterval: 1)
        #expect(emulator.replicas() == "4", "main's commit is never applied")
        daemon.process.terminate()
        daemon.process.waitUntilExit()
        #expect(daemon.process.terminationStatus == 0, "\(daemon.output.suffix(600))")
    }

    /// One request as compared: verb, path and query, without what differs between two
    /// clusters (resourceVersions, continue tokens).
    static func request(_ entry: [String: Any]) -> String {
        let query = (entry["query"] as? String ?? "").split(separator: "&")
            .filter { !$0.hasPrefix("resourceVersion=") && !$0.hasPrefix("continue=") }.joined(separator: "&")
        return "\(entry["method"] ?? "") \(entry["path"] ?? "")\(query.isEmpty ? "" : "?" + query) -> \(entry["code"] ?? "")"
    }

    /// tether's requests up to and including its last write: the whole of one sync (a
    /// `tether run` cycle starts its watches only after it). Reads between two writes are
    /// sorted: the inventory lists run concurrently, so only their set is the pipeline's,
    /// while writes (one at a time with `--concurrency 1`) keep their order.
    static func syncRequests(_ audit: [[String: Any]]) -> [String] {
        // Events are `tether run`'s reports after the sync (ReportingAcceptanceTests), not the pipeline's.
        let own = audit.filter { ($0["userAgent"] as? String ?? "").hasPrefix("tether/") && ($0["verb"] as? String) != "watch"
            && ($0["resource"] as? String) != "events" }
        guard let last = own.lastIndex(where: { ($0["write"] as? Bool) == true }) else { return [] }
        var sequence: [String] = []
        var reads: [String] = []
        for entry in own[...last] {
            if (entry["method"] as? String) == "GET" {
                reads.append(request(entry))
            } else {
                sequence += reads.sorted() + [request(entry)]
                reads = []
            }
        }
        return sequence
    }

    @Test("the same Git-to-cluster scenario through tether sync and through one tether run cycle sends the same requests (audit logs)")
    func syncAndRunSendTheSameRequests() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        // Each way: a first sync into an empty cluster, then a second commit that changes
        // one object and drops another (an apply and a prune).
        var sequences: [String: [[String]]] = [:]
        for way in ["sync", "run"] {
            let repository = try RunCommandTests.repository()
            defer { try? FileManager.default.removeItem(at: repository) }
            let emulator = try SyncCommandTests.Emulator()
            // One request at a time, so the order is the pipeline's, not the scheduler's.
            let arguments = ["--source", "file://" + repository.path, "--path", "overlays/aws", "--prune", "--concurrency", "1",
                             "--server", emulator.url, "--cache-dir", repository.appendingPathComponent(".cache").path]
            var rounds: [[String]] = []
            for round in 1...2 {
                if round == 2 {
                    try SyncCommandTests.edit(repository.appendingPathComponent("overlays/aws/kustomization.yaml"), "count: 3", "count: 5")
                    try Self.dropOneResource(repository)
                    try Self.git(["commit", "-qam", "five replicas, one object fewer"], in: repository)
                }
                try emulator.resetAudit()
                if way == "sync" {
                    let out = try CLI.run(["sync"] + arguments)
                    #expect(out.status == 0, "tether sync, round \(round): \(out.stderr.suffix(600))")
                } else {
                    let daemon = try RunCommandTests.Daemon(arguments + ["--interval", "300"])
                    let synced = RunCommandTests.eventually(within: 30) { daemon.output.contains("sync finished") }
                    #expect(synced != nil && !daemon.output.contains("sync failed"), "tether run, round \(round): \(daemon.output.suffix(800))")
                    daemon.process.terminate()
                    daemon.process.waitUntilExit()
                    #expect(daemon.process.terminationStatus == 0, "\(daemon.output.suffix(600))")
                }
                rounds.append(Self.syncRequests(try emulator.audit()))
            }
            sequences[way] = rounds
        }
        let sync = sequences["sync"] ?? [], run = sequences["run"] ?? []
        #expect(sync.count == 2 && run.count == 2)
        for (index, (a, b)) in zip(sync, run).enumerated() {
            #expect(a.contains { $0.hasPrefix("PATCH ") }, "round \(index + 1): tether sync applied something: \(a)")
            if index == 1 { #expect(a.contains { $0.hasPrefix("DELETE ") }, "round 2 prunes: \(a)") }
            if a != b {
                let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
                Issue.record("""
                    round \(index + 1): the request sequences differ at request \(first + 1) \
                    (sync sent \(a.count), run sent \(b.count)):
                    sync: \(a[first...].prefix(6).joined(separator: "\n      "))
                    run:  \(b[first...].prefix(6).joined(separator: "\n      "))
                    """)
            }
            print("round \(index + 1): \(a.count) requests from tether sync, \(b.count) from one tether run cycle")
        }
    }

    /// Drops the PodDisruptionBudget from the base, so the next sync prunes it.
    static func dropOneResource(_ repository: URL) throws {
        try SyncCommandTests.edit(repository.appendingPathComponent("base/app/kustomization.yaml"), "- pdb.yaml\n", "")
    }
}
