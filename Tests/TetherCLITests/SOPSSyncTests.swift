import Foundation
import Testing

/// SOPS-encrypted Secrets through `diff`, `sync`, `sync --config` and `run` against
/// `tether emulator`: decrypted with the same key flags and sops environment variables as
/// `tether render`, applied with their plaintext data, and never printed.
@Suite("SOPS-encrypted Secrets through diff, sync and run against the emulator", .serialized, .timeLimit(.minutes(4)))
struct SOPSSyncTests {
    typealias Emulator = SyncCommandTests.Emulator

    static let identity = SOPSCommandTests.identity
    static let wrongIdentity = SOPSCommandTests.fixtures.appendingPathComponent("age/test-identity-2.txt").path

    /// Every decrypted value of the fixtures (and the encrypted comment), plain and as
    /// base64 without padding (how Secret `data` carries them): none may be printed.
    static let plaintexts: [String] = {
        let values = ["s3cr3t-pa55w0rd", "tether-user", "hunter2 with spaces", "hunter2", "rotates monthly"]
        return values + values.map { Data($0.utf8).base64EncodedString().trimmingCharacters(in: ["="]) }
    }()

    /// A kustomization with an encrypted Secret resource and an encrypted dotenv
    /// `secretGenerator` source, in namespace `apps`.
    static func tree() throws -> URL {
        let dir = try SOPSCommandTests.tree()
        try """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: apps
            """.write(to: dir.appendingPathComponent("namespace.yaml"), atomically: true, encoding: .utf8)
        try """
            resources:
            - namespace.yaml
            - secret.enc.yaml
            secretGenerator:
            - name: app
              namespace: apps
              envs:
              - app.enc.env
            """.write(to: dir.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    /// An empty HOME, so that no `~/.config/sops/age/keys.txt` of the machine is read.
    static func isolatedHome() throws -> URL {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tether-sops-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return home
    }

    /// No sops key from the machine's environment or home: only what a test gives.
    static func environment(home: URL) -> [String: String] {
        ["HOME": home.path, "XDG_CONFIG_HOME": "", "SOPS_AGE_KEY_FILE": "", "SOPS_AGE_KEY": ""]
    }

    static func tether(_ verb: String, _ tree: URL, _ emulator: Emulator, _ extra: [String], home: URL,
                       environment: [String: String] = [:]) throws -> CLI.Output {
        try CLI.run([verb, "--source", tree.path, "--name", "sops-demo", "--server", emulator.url] + extra,
                    environment: environment.merging(Self.environment(home: home)) { old, _ in old })
    }

    static func writes(_ emulator: Emulator) throws -> [String] {
        try emulator.audit().filter { ["POST", "PUT", "PATCH", "DELETE"].contains($0["method"] as? String ?? "") }
            .map { "\($0["method"] ?? "") \($0["path"] ?? "")" }
    }

    /// Each plaintext found in `text`, for the failure message (the test output is the
    /// one place a leak may be named).
    static func leaks(in text: String) -> [String] {
        plaintexts.filter { text.contains($0) }
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    @Test("sync creates the Secrets with their plaintext data; a second sync writes nothing; the wrong key fails and changes nothing")
    func syncEncryptedSecret() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try Emulator()
        let tree = try Self.tree()
        let home = try Self.isolatedHome()
        defer { try? FileManager.default.removeItem(at: tree); try? FileManager.default.removeItem(at: home) }

        let first = try Self.tether("sync", tree, emulator, ["--age-key-file", Self.identity], home: home)
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        let password = try emulator.kubectl(["get", "secret/db-credentials", "-n", "apps", "-o", "jsonpath={.data.password}"])
        #expect(password.stdout == Self.base64("s3cr3t-pa55w0rd"), "the Secret holds the decrypted value")
        let names = try emulator.kubectl(["get", "secrets", "-n", "apps", "-o", "name"]).stdout.split(separator: "\n")
        let generated = try #require(names.first { $0.hasPrefix("secret/app-") }, "generated Secret: \(names)")
        let env = try emulator.kubectl(["get", String(generated), "-n", "apps", "-o", "jsonpath={.data.DB_PASSWORD}"])
        #expect(env.stdout == Self.base64("hunter2 with spaces"), "the dotenv generator was decrypted before hashing")

        // Steady state: nothing to write.
        try emulator.resetAudit()
        let second = try Self.tether("sync", tree, emulator, ["--age-key-file", Self.identity, "--output", "json"], home: home)
        #expect(second.status == 0, "\(second.stderr)")
        let steady = try Self.writes(emulator)
        #expect(steady.isEmpty, "second sync wrote: \(steady)")

        // The sops environment conventions, as sops and Flux read them.
        let byFile = try Self.tether("diff", tree, emulator, [], home: home, environment: ["SOPS_AGE_KEY_FILE": Self.identity])
        #expect(byFile.status == 0, "SOPS_AGE_KEY_FILE: \(byFile.stdout)\n\(byFile.stderr)")
        let key = try String(contentsOfFile: Self.identity, encoding: .utf8)
        let byValue = try Self.tether("diff", tree, emulator, [], home: home, environment: ["SOPS_AGE_KEY": key])
        #expect(byValue.status == 0, "SOPS_AGE_KEY: \(byValue.stdout)\n\(byValue.stderr)")
        let keysTxt = home.appendingPathComponent(".config/sops/age")
        try FileManager.default.createDirectory(at: keysTxt, withIntermediateDirectories: true)
        try key.write(to: keysTxt.appendingPathComponent("keys.txt"), atomically: true, encoding: .utf8)
        let byHome = try Self.tether("diff", tree, emulator, [], home: home)
        #expect(byHome.status == 0, "~/.config/sops/age/keys.txt: \(byHome.stdout)\n\(byHome.stderr)")
        try FileManager.default.removeItem(at: keysTxt.appendingPathComponent("keys.txt"))

        // The wrong key: refused before anything is written, naming the file and its recipient.
        try emulator.resetAudit()
        let wrong = try Self.tether("sync", tree, emulator, ["--age-key-file", Self.wrongIdentity, "--prune", "--output", "json"], home: home)
        #expect(wrong.status == 2, "\(wrong.stdout)\n\(wrong.stderr)")
        #expect(wrong.stderr.contains("secret.enc.yaml") && wrong.stderr.contains("age1r3san5rqtrmjezzdz2lt4lhj23fnnuhxkxkmdkz2cjxkrlkxadysgau4mv"),
                "\(wrong.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(wrong.stdout.utf8)) as? [String: Any]
        #expect(report?["stage"] as? String == "render", "\(wrong.stdout)")
        let refusedWrites = try Self.writes(emulator)
        #expect(refusedWrites.isEmpty, "a failed decryption wrote: \(refusedWrites)")
        #expect(try emulator.kubectl(["get", "secret/db-credentials", "-n", "apps"]).status == 0, "nothing pruned")

        // No key at all.
        let none = try Self.tether("diff", tree, emulator, [], home: home)
        #expect(none.status == 2 && none.stderr.contains("secret.enc.yaml"), "\(none.stderr)")
        // A key file that does not exist names the file.
        let missing = try Self.tether("diff", tree, emulator, ["--age-key-file", "/nonexistent/keys.txt"], home: home)
        #expect(missing.status == 2 && missing.stderr.contains("/nonexistent/keys.txt"), "\(missing.stderr)")
    }

    @Test("sync --config decrypts each target with the command's keys and the target's ageKeyFile")
    func syncConfigTargets() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try Emulator()
        let tree = try Self.tree()
        let home = try Self.isolatedHome()
        defer { try? FileManager.default.removeItem(at: tree); try? FileManager.default.removeItem(at: home) }
        let config = tree.appendingPathComponent("tether.yaml")
        try """
            targets:
            - name: demo
              path: .
              server: \(emulator.url)
              ageKeyFile: \(Self.identity)
            """.write(to: config, atomically: true, encoding: .utf8)
        let environment = Self.environment(home: home)
        let out = try CLI.run(["sync", "--source", tree.path, "--config", config.path, "--output", "json"], environment: environment)
        #expect(out.status == 0, "\(out.stdout)\n\(out.stderr)")
        let password = try emulator.kubectl(["get", "secret/db-credentials", "-n", "apps", "-o", "jsonpath={.data.password}"])
        #expect(password.stdout == Self.base64("s3cr3t-pa55w0rd"))
        #expect(Self.leaks(in: out.stdout + out.stderr).isEmpty, "leaked: \(Self.leaks(in: out.stdout + out.stderr))")

        // Without the target's key the target fails on its own row (exit 2), naming the file.
        try """
            targets:
            - name: demo
              path: .
              server: \(emulator.url)
            """.write(to: config, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["sync", "--source", tree.path, "--config", config.path], environment: environment)
        #expect(refused.status == 2, "\(refused.stdout)\n\(refused.stderr)")
        #expect(refused.stderr.contains("secret.enc.yaml"), "\(refused.stderr)")
        // With --age-key-file on the command line it goes through.
        let flagged = try CLI.run(["sync", "--source", tree.path, "--config", config.path, "--age-key-file", Self.identity],
                                  environment: environment)
        #expect(flagged.status == 0, "\(flagged.stdout)\n\(flagged.stderr)")
    }

    @Test("no decrypted value in any output: diff text/JSON/markdown, saved plan, sync text/JSON, trace logs, errors, run's logs and /status; diff masks Secret data as kubectl diff does")
    func neverShown() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try Emulator()
        let tree = try Self.tree()
        let home = try Self.isolatedHome()
        defer { try? FileManager.default.removeItem(at: tree); try? FileManager.default.removeItem(at: home) }
        let keys = ["--age-key-file", Self.identity, "--log-level", "trace"]
        var outputs: [(String, String)] = []
        func record(_ label: String, _ out: CLI.Output) { outputs.append((label, out.stdout + "\n" + out.stderr)) }

        // Before the first sync: everything is a create.
        let plan = home.appendingPathComponent("plan.json")
        for format in ["text", "json", "markdown"] {
            let diff = try Self.tether("diff", tree, emulator, keys + ["--output", format, "--save-plan", plan.path], home: home)
            #expect(diff.status == 1, "diff \(format): \(diff.stderr)")
            record("diff --output \(format) (create)", diff)
            outputs.append(("saved plan (\(format))", try String(contentsOf: plan, encoding: .utf8)))
        }
        let created = try Self.tether("diff", tree, emulator, keys, home: home)
        #expect(created.stdout.contains("+  password: '***'") || created.stdout.contains("+  password: ***"), "masked on create: \(created.stdout)")
        for format in ["text", "json"] {
            let dryRun = try Self.tether("sync", tree, emulator, keys + ["--dry-run", "--output", format], home: home)
            #expect(dryRun.status == 0, "\(dryRun.stderr)")
            record("sync --dry-run --output \(format)", dryRun)
        }
        let sync = try Self.tether("sync", tree, emulator, keys, home: home)
        #expect(sync.status == 0, "\(sync.stderr)")
        record("sync", sync)
        let json = try Self.tether("sync", tree, emulator, keys + ["--output", "json"], home: home)
        #expect(json.status == 0, "\(json.stderr)")
        record("sync --output json", json)
        #expect(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) is [String: Any])

        // A value changed in the cluster: the diff shows the changed key, masked as kubectl
        // diff masks it, and the unchanged one as ***.
        let patch = #"{"data":{"password":"\#(Self.base64("changed-in-cluster"))"}}"#
        #expect(try emulator.kubectl(["patch", "secret/db-credentials", "-n", "apps", "--type", "merge", "-p", patch]).status == 0)
        for format in ["text", "json", "markdown"] {
            let diff = try Self.tether("diff", tree, emulator, keys + ["--output", format], home: home)
            #expect(diff.status == 1, "diff \(format) after a change: \(diff.stderr)")
            record("diff --output \(format) (update)", diff)
            #expect(!diff.stdout.contains("changed-in-cluster") && !diff.stdout.contains(Self.base64("changed-in-cluster")))
            if format == "text" {
                #expect(diff.stdout.contains("-  password: '*** (before)'") || diff.stdout.contains("-  password: *** (before)"), "\(diff.stdout)")
                #expect(diff.stdout.contains("+  password: '*** (after)'") || diff.stdout.contains("+  password: *** (after)"), "\(diff.stdout)")
                #expect(diff.stdout.contains("username: '***'") || diff.stdout.contains("username: ***"), "\(diff.stdout)")
            }
        }

        // Errors: the wrong key, in text and JSON.
        for format in ["text", "json"] {
            let wrong = try Self.tether("sync", tree, emulator, ["--age-key-file", Self.wrongIdentity, "--log-level", "trace", "--output", format], home: home)
            #expect(wrong.status == 2)
            record("sync with the wrong key --output \(format)", wrong)
        }

        // The daemon: trace logs, /status and /metrics after it applied the Secret.
        let fresh = try Emulator()
        let daemon = try RunCommandTests.Daemon(["--source", tree.path, "--name", "sops-demo", "--server", fresh.url, "--interval", "30",
                                                 "--cache-dir", home.appendingPathComponent("cache").path] + keys,
                                                environment: Self.environment(home: home))
        let applied = RunCommandTests.eventually(within: 15) {
            (try? fresh.kubectl(["get", "secret/db-credentials", "-n", "apps", "-o", "jsonpath={.data.password}"]).stdout) == Self.base64("s3cr3t-pa55w0rd")
        }
        #expect(applied != nil, "run applied the decrypted Secret: \(daemon.output.suffix(800))")
        _ = RunCommandTests.eventually(within: 5) { (try? daemon.get("/readyz").status) == "200" }
        outputs.append(("run /status", try daemon.get("/status").body))
        outputs.append(("run /metrics", try daemon.get("/metrics").body))
        daemon.process.terminate()
        daemon.process.waitUntilExit()
        outputs.append(("run logs", daemon.output))

        for (label, text) in outputs {
            #expect(Self.leaks(in: text).isEmpty, "\(label) shows decrypted values: \(Self.leaks(in: text))")
        }
        #expect(outputs.count == 18, "every output collected")
    }
}
