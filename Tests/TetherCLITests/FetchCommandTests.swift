import Foundation
import Testing

@Suite("tether fetch")
struct FetchCommandTests {
    /// A throwaway git repository holding overlays-example, made with the git CLI.
    static func makeRepository() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tether-fetch-\(UUID().uuidString)")
        let repo = root.appendingPathComponent("repo")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: CLI.repositoryRoot.appendingPathComponent("overlays-example"), to: repo.appendingPathComponent("overlays-example"))
        for args in [["init", "-q", "-b", "main"], ["add", "-A"],
                     ["-c", "user.name=Test", "-c", "user.email=t@example.com", "commit", "-qm", "initial config"]] {
            let git = try CLI.run(URL(fileURLWithPath: "/usr/bin/git"), ["-C", repo.path] + args)
            guard git.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
        return root
    }

    @Test("README example: fetch a file:// repository, then again without changes")
    func fetchTwice() throws {
        let root = try Self.makeRepository()
        defer { try? FileManager.default.removeItem(at: root) }
        let args = ["fetch", "--source", "file://\(root.path)/repo", "--cache-dir", root.appendingPathComponent("cache").path]
        let first = try CLI.run(args)
        #expect(first.status == 0, "\(first.stderr)")
        let directory = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(FileManager.default.fileExists(atPath: directory + "/overlays-example/overlays/aws/kustomization.yaml"))
        #expect(first.stderr.contains("initial config"))

        let second = try CLI.run(args + ["--output", "json"])
        #expect(second.status == 0)
        #expect(second.stdout.contains("\"changed\": false"))
        #expect(second.stdout.contains("\"subject\": \"initial config\""))
    }

    @Test("an ext:: source is refused with exit 2 and nothing runs")
    func extTransportRefused() throws {
        let out = try CLI.run(["fetch", "--source", "ext::touch /tmp/tether-pwned", "--cache-dir", "/tmp/tether-fetch-refused"])
        #expect(out.status == 2)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/tether-pwned"))
    }

    @Test("an unreachable server exits 3 and the URL's password is never printed")
    func unreachableRedacted() throws {
        let out = try CLI.run([
            "fetch", "--source", "https://user:s3cret-value@127.0.0.1:1/x.git", "--cache-dir", "/tmp/tether-fetch-unreachable",
            "--connect-timeout", "2",
        ])
        #expect(out.status == 3)
        #expect(!out.stderr.contains("s3cret-value"))
        #expect(!out.stdout.contains("s3cret-value"))
    }

    @Test("a user's ~/.gitconfig cannot redirect the fetch with url.insteadOf")
    func userConfigurationIgnored() throws {
        let root = try Self.makeRepository()
        defer { try? FileManager.default.removeItem(at: root) }
        let home = root.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".config/git"), withIntermediateDirectories: true)
        let rewrite = "[url \"file:///nonexistent/\"]\n\tinsteadOf = file://\(root.path)/\n"
        try rewrite.write(to: home.appendingPathComponent(".gitconfig"), atomically: true, encoding: .utf8)
        try rewrite.write(to: home.appendingPathComponent(".config/git/config"), atomically: true, encoding: .utf8)
        let environment = ["HOME=\(home.path)", "XDG_CONFIG_HOME=\(home.path)/.config"]
        let env = URL(fileURLWithPath: "/usr/bin/env")
        // The git CLI honours the rewrite, so the configuration is live ...
        let git = try CLI.run(env, environment + ["git", "ls-remote", "file://\(root.path)/repo"])
        #expect(git.status != 0, "git ls-remote was not redirected: \(git.stdout)")
        // ... and tether ignores it.
        let out = try CLI.run(env, environment + [CLI.executable.path, "fetch", "--source", "file://\(root.path)/repo",
                                                  "--cache-dir", root.appendingPathComponent("cache").path])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("initial config"))
    }

    @Test("--ca-file that cannot be read is invalid input (exit 2); --help explains shallow fetch and the CA file")
    func caFileAndHelp() throws {
        let out = try CLI.run(["fetch", "--source", "https://127.0.0.1:1/x.git", "--ca-file", "/nonexistent/ca.pem",
                               "--cache-dir", "/tmp/tether-fetch-ca"])
        #expect(out.status == 2, "\(out.stderr)")
        #expect(out.stderr.contains("/nonexistent/ca.pem"))
        let help = try CLI.run(["fetch", "--help"])
        #expect(help.stdout.contains("--ca-file"))
        #expect(help.stdout.contains("libgit2 1.5 and 1.6"))
        #expect(help.stdout.contains("1.7 or later"))
    }

    @Test("--verify-keyring: a commit signed with gpg is fetched with its signer's keyring, refused with another's (exit 2)",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gpg") && FileManager.default.isExecutableFile(atPath: "/usr/bin/gpgv"),
                   "needs gpg and gpgv"))
    func verifyKeyring() throws {
        let root = try Self.makeRepository()
        defer { try? FileManager.default.removeItem(at: root) }
        let gpg = URL(fileURLWithPath: "/usr/bin/gpg"), git = URL(fileURLWithPath: "/usr/bin/git")
        var keyrings: [String] = []
        for name in ["signer", "other"] {
            let home = root.appendingPathComponent("gnupg-\(name)").path
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let env = ["GNUPGHOME": home]
            let made = try CLI.run(gpg, ["--batch", "--passphrase", "", "--quick-gen-key", "\(name) <\(name)@example.com>", "ed25519", "sign", "never"],
                                   environment: env)
            #expect(made.status == 0, "\(made.stderr)")
            let keyring = root.appendingPathComponent("\(name).asc").path
            #expect(try CLI.run(gpg, ["--batch", "--export", "--armor", "--output", keyring], environment: env).status == 0)
            keyrings.append(keyring)
            if name == "signer" {
                let repo = root.appendingPathComponent("repo").path
                try "signed: true\n".write(toFile: repo + "/signed.yaml", atomically: true, encoding: .utf8)
                _ = try CLI.run(git, ["-C", repo, "add", "-A"])
                let commit = try CLI.run(git, ["-C", repo, "-c", "user.name=Test", "-c", "user.email=signer@example.com",
                                               "-c", "user.signingkey=signer@example.com", "commit", "-q", "-S", "-m", "signed"], environment: env)
                #expect(commit.status == 0, "\(commit.stderr)")
            }
            _ = try? CLI.run(URL(fileURLWithPath: "/usr/bin/gpgconf"), ["--kill", "gpg-agent"], environment: env)
        }
        let args = ["fetch", "--source", "file://\(root.path)/repo", "--cache-dir", root.appendingPathComponent("cache").path]
        let trusted = try CLI.run(args + ["--verify-keyring", keyrings[0]])
        #expect(trusted.status == 0, "\(trusted.stderr)")
        #expect(FileManager.default.fileExists(atPath: trusted.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "/signed.yaml"))
        let refused = try CLI.run(args + ["--verify-keyring", keyrings[1]])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("not in the keyring '\(keyrings[1])' (--verify-keyring)"), "\(refused.stderr)")
    }
}
