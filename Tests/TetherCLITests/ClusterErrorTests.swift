import Foundation
import Testing

/// Errors reaching the cluster (or the Git server) say what the user typed and the flag
/// that fixes it: the server or context first, never `<unparseable URL>`, no kubeconfig
/// hints after `--server`, and `--known-hosts` rather than a library field name.
@Suite("cluster-connection errors name what was typed and the flag that fixes it", .serialized, .timeLimit(.minutes(2)))
struct ClusterErrorTests {
    static let sync = ["sync", "--source", ".", "--path", "overlays-example/overlays/aws"]

    /// The `error:` line of a run.
    static func errorLine(_ output: CLI.Output) -> String {
        output.stderr.split(separator: "\n").first { $0.hasPrefix("error: ") }.map(String.init) ?? output.stderr
    }

    /// A scratch directory with a kubeconfig whose context `prod` points at `server`.
    static func kubeconfig(server: String) throws -> (URL, String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tether-clusterr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let file = root.appendingPathComponent("kubeconfig").path
        try """
            apiVersion: v1
            kind: Config
            current-context: prod
            contexts:
            - name: prod
              context: {cluster: prod-cluster, user: prod-user}
            clusters:
            - name: prod-cluster
              cluster: {server: "\(server)"}
            users:
            - name: prod-user
              user: {token: not-a-real-token}

            """.write(toFile: file, atomically: true, encoding: .utf8)
        return (root, file)
    }

    @Test("--server that refuses connections: opens with the server and --server, no kubeconfig hint, exit 3")
    func serverRefused() throws {
        let result = try CLI.run(Self.sync + ["--server", "http://127.0.0.1:1"])
        let line = Self.errorLine(result)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(line.hasPrefix("error: cannot reach the API server http://127.0.0.1:1 (--server): "), "\(line)")
        #expect(line.contains("that --server is right"), "\(line)")
        #expect(!line.contains("kubeconfig"), "\(line)")
        #expect(!line.contains("ApplySet parent"), "\(line)")
        #expect(!line.contains("Couldn't connect to server: Failed"), "the curl summary is said once: \(line)")
    }

    @Test("--server URLs that are not URLs are shown as typed (never <unparseable URL>), userinfo removed, exit 2",
          arguments: ["http://[bad", "not a url", "admin:s3cret@10.0.0.1:6443"])
    func serverNotAURL(_ typed: String) throws {
        let result = try CLI.run(Self.sync + ["--server", typed])
        let line = Self.errorLine(result)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(line.contains("--server '"), "\(line)")
        #expect(!line.contains("unparseable"), "\(line)")
        #expect(!result.stderr.contains("s3cret"), "\(result.stderr)")
        if !typed.contains("@") { #expect(line.contains("'\(typed)'"), "\(line)") }
    }

    @Test("https:// to a plain-HTTP server: a TLS error naming --certificate-authority, not the kubeconfig")
    func serverTLS() throws {
        let emulator = try SyncCommandTests.Emulator()
        let result = try CLI.run(Self.sync + ["--server", "https://" + emulator.address])
        let line = Self.errorLine(result)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(line.hasPrefix("error: TLS with the API server https://\(emulator.address) (--server) failed: "), "\(line)")
        #expect(line.contains("--certificate-authority"), "\(line)")
        #expect(!line.contains("kubeconfig"), "\(line)")
    }

    @Test("a server that wants a token: names --cluster-token-file, exit 3")
    func serverUnauthorized() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tether-clusterr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let tokens = root.appendingPathComponent("tokens.csv").path
        try "right-token,admin,1,\"system:masters\"\n".write(toFile: tokens, atomically: true, encoding: .utf8)
        let emulator = try SyncCommandTests.Emulator(["--token-file", tokens])

        let without = try CLI.run(Self.sync + ["--server", emulator.url])
        #expect(without.status == 3, "\(without.stderr)")
        #expect(Self.errorLine(without).hasPrefix("error: the API server \(emulator.url) (--server) refused the credentials"), "\(without.stderr)")
        #expect(Self.errorLine(without).contains("pass a file holding a bearer token with --cluster-token-file"), "\(without.stderr)")

        let wrong = root.appendingPathComponent("wrong-token").path
        try "wrong-token\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        let bad = try CLI.run(Self.sync + ["--server", emulator.url, "--cluster-token-file", wrong])
        #expect(bad.status == 3, "\(bad.stderr)")
        #expect(Self.errorLine(bad).contains("Check the token in --cluster-token-file \(wrong)"), "\(bad.stderr)")
        #expect(!bad.stderr.contains("wrong-token\n") && !bad.stderr.contains("right-token"), "\(bad.stderr)")
    }

    @Test("a kubeconfig context that cannot be reached: names the context, its file and --context")
    func contextUnreachable() throws {
        let (root, file) = try Self.kubeconfig(server: "http://127.0.0.1:1")
        defer { try? FileManager.default.removeItem(at: root) }
        let current = try CLI.run(Self.sync + ["--kubeconfig", file])
        #expect(current.status == 3, "\(current.stderr)")
        #expect(Self.errorLine(current).hasPrefix("error: cannot reach context 'prod' (the current-context of \(file); server http://127.0.0.1:1): "),
                "\(current.stderr)")
        #expect(Self.errorLine(current).contains("choose another context with --context"), "\(current.stderr)")

        let chosen = try CLI.run(Self.sync + ["--kubeconfig", file, "--context", "prod"])
        #expect(Self.errorLine(chosen).hasPrefix("error: cannot reach context 'prod' (--context; server http://127.0.0.1:1): "), "\(chosen.stderr)")
    }

    @Test("--context without any kubeconfig names the context and the flags")
    func contextWithoutKubeconfig() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tether-clusterr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try CLI.run(Self.sync + ["--context", "staging"],
                                 environment: ["HOME": home.path, "KUBECONFIG": "", "KUBERNETES_SERVICE_HOST": ""])
        let line = Self.errorLine(result)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(line.hasPrefix("error: context 'staging' (--context): no kubeconfig found"), "\(line)")
        #expect(line.contains("--kubeconfig"), "\(line)")
    }

    @Test("a tether.yaml target's own server is named by its field, not by --server")
    func targetServer() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tether-clusterr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("tether.yaml").path
        try """
            targets:
            - name: aws
              path: overlays-example/overlays/aws
              server: http://127.0.0.1:1

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["sync", "--source", ".", "--config", file])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("cannot reach the API server http://127.0.0.1:1 (server: of target 'aws' ("), "\(result.stderr)")
        #expect(!result.stderr.contains("(--server)"), "\(result.stderr)")
    }

    @Test("an SSH source without --known-hosts names --known-hosts")
    func sshWithoutKnownHosts() throws {
        let result = try CLI.run(["fetch", "--source", "ssh://git@127.0.0.1:1/config.git",
                                  "--cache-dir", FileManager.default.temporaryDirectory.appendingPathComponent("tether-clusterr-ssh").path])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("Pass --known-hosts FILE"), "\(result.stderr)")
        #expect(!result.stderr.contains("knownHostsFile"), "\(result.stderr)")
    }
}
