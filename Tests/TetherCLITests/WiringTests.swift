import Foundation
import Testing

/// Settings reach the code that uses them: a flag that does not apply is refused, never
/// ignored, and every flag an error or help text names exists.
@Suite("wiring of flags to the code that honours them", .serialized, .timeLimit(.minutes(2)))
struct WiringTests {
    static let git = URL(fileURLWithPath: "/usr/bin/git")
    static let commands = ["validate", "emulator", "render", "fetch", "diff", "sync", "run"]

    @Test("--source DIR --ref X: a plain directory refuses the ref (exit 2, naming --ref)")
    func plainDirectoryRefusesRef() throws {
        let tree = try SyncCommandTests.tree()
        defer { try? FileManager.default.removeItem(at: tree) }
        let result = try CLI.run(["fetch", "--source", tree.path, "--ref", "no-such-ref", "--cache-dir", tree.path + "/.cache"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("plain directory") && result.stderr.contains("--ref no-such-ref"), "\(result.stderr)")
    }

    @Test("--source DIR --ref X: a Git work tree honours the ref through Git (and a missing ref is an error)")
    func workTreeHonoursRef() throws {
        let repository = try RunCommandTests.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        let identity = ["-c", "user.email=t@example.com", "-c", "user.name=t"]
        #expect(try CLI.run(Self.git, ["checkout", "-qb", "other"], in: repository).status == 0)
        try "changed\n".write(to: repository.appendingPathComponent("marker.txt"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(Self.git, ["add", "marker.txt"], in: repository).status == 0)
        #expect(try CLI.run(Self.git, identity + ["commit", "-qm", "other"], in: repository).status == 0)
        let other = try CLI.run(Self.git, ["rev-parse", "HEAD"], in: repository).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try CLI.run(Self.git, ["checkout", "-q", "main"], in: repository).status == 0)
        let main = try CLI.run(Self.git, ["rev-parse", "HEAD"], in: repository).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("tether-wiring-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: cache) }

        let fetched = try CLI.run(["fetch", "--source", repository.path, "--ref", "other", "--cache-dir", cache, "--output", "json"])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.stdout.contains(other) && !fetched.stdout.contains(main), "\(fetched.stdout)")
        let missing = try CLI.run(["fetch", "--source", repository.path, "--ref", "no-such-ref", "--cache-dir", cache])
        #expect(missing.status == 2, "\(missing.stderr)")
        // Without --ref the directory is read as it is, at HEAD (main).
        let plain = try CLI.run(["fetch", "--source", repository.path, "--cache-dir", cache, "--output", "json"])
        #expect(plain.status == 0 && plain.stdout.contains(main), "\(plain.stdout) \(plain.stderr)")
    }

    /// The subcommands `tether --help` lists (so a new command is walked without editing this test).
    static func listedCommands() throws -> [String] {
        let help = try CLI.run(["--help"]).stdout
        guard let section = help.range(of: "SUBCOMMANDS:") else { return [] }
        return help[section.upperBound...].split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }.filter { $0 != "help" }
    }

    /// The long flags `tether COMMAND --help` lists, for every command.
    static func knownFlags() throws -> Set<String> {
        var flags: Set<String> = ["--help", "--version"]
        let listed = try listedCommands()
        #expect(Set(commands).isSubset(of: Set(listed)) && listed.count >= commands.count, "tether --help lists \(listed)")
        for command in listed {
            let help = try CLI.run([command, "--help"]).stdout
            for match in help.matches(of: /--[a-z][a-z0-9-]*/) { flags.insert(String(match.output)) }
        }
        return flags
    }

    @Test("every --flag a source file's message names is a flag of some tether command")
    func everyNamedFlagExists() throws {
        let known = try Self.knownFlags()
        let sources = CLI.repositoryRoot.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 50)
        // Flags of other tools that Tether prints for the user to run.
        let foreign: Set<String> = [
            "--token",    // kubectl config set-credentials, in `tether emulator`'s output
            "--homedir",  // gpg and gpgconf, run by TetherSOPS with an isolated keyring
        ]
        var unknown: [String] = []
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                // Comments, and flags of other tools (kubectl, kube-apiserver, git, sops, gpg), are not ours.
                if code.hasPrefix("//") || ["kubectl", "kube-apiserver", "git ", "kustomize", "helm ", "sops ", "gpg"].contains(where: line.contains) { continue }
                for match in line.matches(of: /--[a-z][a-z0-9-]*/) {
                    let flag = String(match.output)
                    let isPrefix = flag.hasSuffix("-") && known.contains { $0.hasPrefix(flag) }
                    if !known.contains(flag), !isPrefix, !foreign.contains(flag) {
                        unknown.append("\(file.path.replacingOccurrences(of: sources.path + "/", with: "")):\(number + 1): \(flag)")
                    }
                }
            }
        }
        #expect(unknown.isEmpty, "flags named in messages that no command has:\n\(unknown.joined(separator: "\n"))")
    }

    @Test("tether run --ref release: a signed push to release triggers a sync, one to main is ignored")
    func webhookFollowsRef() throws {
        let emulator = try SyncCommandTests.Emulator()
        let repository = try RunCommandTests.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        #expect(try CLI.run(Self.git, ["branch", "release"], in: repository).status == 0)
        let secret = repository.appendingPathComponent(".hook-secret")
        try "s3cret-for-tests".write(to: secret, atomically: true, encoding: .utf8)
        let daemon = try RunCommandTests.Daemon(["--source", "file://" + repository.path, "--ref", "release", "--path", "overlays/aws",
                                                 "--server", emulator.url, "--interval", "300", "--webhook-secret-file", secret.path,
                                                 "--cache-dir", repository.appendingPathComponent(".cache").path])
        func push(_ ref: String, _ delivery: String) throws -> String {
            let body = #"{"ref":"\#(ref)","after":"0000000000000000000000000000000000000000"}"#
            return try daemon.post("/hooks/github", body: body, headers: [
                "X-GitHub-Event: push", "X-GitHub-Delivery: \(delivery)", "Content-Type: application/json",
                "X-Hub-Signature-256: sha256=" + RunCommandTests.hmac(body, "s3cret-for-tests"),
            ])
        }
        #expect(try push("refs/heads/main", "d1") == "200", "a push to another branch is ignored: \(daemon.output)")
        #expect(try push("refs/heads/release", "d2") == "202", "a push to the --ref branch is accepted: \(daemon.output)")
        daemon.process.terminate()
        daemon.process.waitUntilExit()
        #expect(daemon.process.terminationStatus == 0, "\(daemon.output.suffix(600))")
    }

    @Test("production code has no test-only fault hooks")
    func noTestHooksInProduct() throws {
        let sources = CLI.repositoryRoot.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains("TETHER_TEST_FAULT"), "\(file.lastPathComponent)")
            #expect(!text.contains("exit(70)"), "\(file.lastPathComponent)")
        }
    }
}
