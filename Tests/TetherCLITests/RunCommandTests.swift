import Foundation
import Testing

/// `tether run` end to end: a git repository, `tether emulator` and kubectl as the other actor.
@Suite("tether run against a git repository and the emulator", .serialized, .timeLimit(.minutes(3)))
struct RunCommandTests {
    /// A running `tether run` process.
    final class Daemon {
        let process = Process()
        let address: String
        let log: URL

        /// - Parameter environment: variables added to the test's own (e.g. `POD_NAME`).
        init(_ arguments: [String], environment: [String: String] = [:]) throws {
            log = FileManager.default.temporaryDirectory.appendingPathComponent("tether-run-\(UUID().uuidString).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = CLI.executable
            process.arguments = ["run"] + arguments + ["--listen", "127.0.0.1:0"]
            if !environment.isEmpty {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()
            let deadline = Date().addingTimeInterval(20)
            var found: String?
            while found == nil, Date() < deadline {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: " on http://") {
                    found = String(text[range.upperBound...].prefix { !$0.isWhitespace })
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            guard let found else { throw SyncCommandTests.CLIError("tether run did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")") }
            address = found
        }

        deinit {
            if process.isRunning { process.terminate(); process.waitUntilExit() }
            try? FileManager.default.removeItem(at: log)
        }

        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        func get(_ path: String) throws -> (status: String, body: String) {
            let out = try CLI.run(URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "-w", "\n%{http_code}", "http://\(address)\(path)"]).stdout
            let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
            return (String(lines.last ?? ""), lines.dropLast().joined(separator: "\n"))
        }

        func post(_ path: String, body: String, headers: [String]) throws -> String {
            var arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-d", body]
            for header in headers { arguments += ["-H", header] }
            return try CLI.run(URL(fileURLWithPath: "/usr/bin/curl"), arguments + ["http://\(address)\(path)"]).stdout
        }
    }

    /// A git repository holding a copy of overlays-example.
    static func repository() throws -> URL {
        let tree = try SyncCommandTests.tree()
        for arguments in [["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "init"]] {
            #expect(try CLI.run(URL(fileURLWithPath: "/usr/bin/git"), arguments, in: tree).status == 0)
        }
        return tree
    }

    static func commit(_ repository: URL, _ message: String) throws {
        #expect(try CLI.run(URL(fileURLWithPath: "/usr/bin/git"),
                            ["-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qam", message], in: repository).status == 0)
    }

    /// Polls until `check` holds, for up to `seconds`; returns how long it took.
    static func eventually(within seconds: Double, _ check: () throws -> Bool) rethrows -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if try check() { return Date().timeIntervalSince(start) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }

    static func hmac(_ body: String, _ secret: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("body-\(UUID().uuidString)")
        try body.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let out = try CLI.run(URL(fileURLWithPath: "/usr/bin/openssl"), ["dgst", "-sha256", "-hmac", secret, file.path]).stdout
        return String(out.split(separator: " ").last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a signed webhook applies a push within 2 s, a bad one is refused; drift is healed within 2 s; SIGTERM exits cleanly")
    func daemonEndToEnd() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try SyncCommandTests.Emulator()
        let repository = try Self.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        let secret = repository.appendingPathComponent(".hook-secret")
        try "s3cret-for-tests".write(to: secret, atomically: true, encoding: .utf8)
        let cache = repository.appendingPathComponent(".cache").path
        let daemon = try Daemon(["--source", "file://" + repository.path, "--path", "overlays/aws", "--server", emulator.url,
                                 "--interval", "30", "--webhook-secret-file", secret.path, "--cache-dir", cache, "--prune"])
        let replicas = { try emulator.kubectl(["get", "deployment/storefront", "-n", "shop", "-o", "jsonpath={.spec.replicas}"]).stdout }
        #expect(Self.eventually(within: 10) { (try? replicas()) == "3" } != nil, "first sync: \(daemon.output)")
        #expect(Self.eventually(within: 5) { (try? daemon.get("/readyz").status) == "200" } != nil)

        // A push announced by a signed GitHub webhook.
        try SyncCommandTests.edit(repository.appendingPathComponent("overlays/aws/kustomization.yaml"), "count: 3", "count: 4")
        try Self.commit(repository, "four replicas")
        let body = #"{"ref":"refs/heads/main","after":"0000000000000000000000000000000000000000"}"#
        let unsigned = try daemon.post("/hooks/github", body: body, headers: ["X-GitHub-Event: push", "X-GitHub-Delivery: a1", "Content-Type: application/json"])
        let wrong = try daemon.post("/hooks/github", body: body, headers: ["X-GitHub-Event: push", "X-GitHub-Delivery: a2",
                                                                           "X-Hub-Signature-256: sha256=" + String(repeating: "0", count: 64)])
        #expect(unsigned == "401" && wrong == "401")
        Thread.sleep(forTimeInterval: 1)
        #expect(try replicas() == "3", "a refused webhook triggers nothing")
        let signature = try Self.hmac(body, "s3cret-for-tests")
        let accepted = try daemon.post("/hooks/github", body: body, headers: ["X-GitHub-Event: push", "X-GitHub-Delivery: a3",
                                                                              "X-Hub-Signature-256: sha256=" + signature, "Content-Type: application/json"])
        #expect(accepted == "202")
        let applied = Self.eventually(within: 2) { (try? replicas()) == "4" }
        #expect(applied != nil, "applied within 2 s of the webhook: \(daemon.output)")

        // Drift made with kubectl.
        #expect(try emulator.kubectl(["scale", "deployment/storefront", "-n", "shop", "--replicas=9"]).status == 0)
        #expect(Self.eventually(within: 2) { (try? replicas()) == "4" } != nil, "scale reverted within 2 s")
        #expect(try emulator.kubectl(["delete", "service/storefront", "-n", "shop"]).status == 0)
        #expect(Self.eventually(within: 2) { (try? emulator.kubectl(["get", "service/storefront", "-n", "shop"]).status) == 0 } != nil,
                "deleted object restored within 2 s")
        let metrics = try daemon.get("/metrics").body
        #expect(metrics.contains("tether_drift_corrections_total"), "\(metrics.prefix(400))")

        // SIGTERM: clean exit.
        daemon.process.terminate()
        daemon.process.waitUntilExit()
        #expect(daemon.process.terminationStatus == 0, "\(daemon.output.suffix(600))")
    }

    @Test("with --self-heal=false drift is only reported; polling picks up a pushed commit, and a broken one keeps the daemon up and prunes nothing")
    func reportOnlyAndSourceOutage() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try SyncCommandTests.Emulator()
        let repository = try Self.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        let cache = repository.appendingPathComponent(".cache").path
        let daemon = try Daemon(["--source", "file://" + repository.path, "--path", "overlays/aws", "--server", emulator.url,
                                 "--interval", "1", "--self-heal=false", "--cache-dir", cache, "--prune", "--allow-empty"])
        let replicas = { try emulator.kubectl(["get", "deployment/storefront", "-n", "shop", "-o", "jsonpath={.spec.replicas}"]).stdout }
        #expect(Self.eventually(within: 10) { (try? replicas()) == "3" } != nil)
        #expect(try emulator.kubectl(["scale", "deployment/storefront", "-n", "shop", "--replicas=9"]).status == 0)
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try replicas() == "9", "reported, not corrected")
        #expect(daemon.output.contains("drift detected (reporting only)"))

        // The source breaks: the render fails; the daemon keeps running and prunes nothing.
        try "not: [valid".write(to: repository.appendingPathComponent("overlays/aws/kustomization.yaml"), atomically: true, encoding: .utf8)
        try Self.commit(repository, "broken")
        #expect(Self.eventually(within: 5) { daemon.output.contains("sync failed") } != nil)
        #expect(daemon.process.isRunning)
        #expect(try emulator.kubectl(["get", "deployment/storefront", "-n", "shop"]).status == 0, "nothing pruned")
        let failures = try daemon.get("/metrics").body
        #expect(failures.contains("result=\"failure\"") || failures.contains("result=\"failed\""), "\(failures.prefix(600))")
    }
}
