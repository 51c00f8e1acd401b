import Foundation
import Testing
@testable import TetherEmulator

extension EmulatorSuites {
    @Suite("TLS, client certificates and bearer tokens", .timeLimit(.minutes(1)))
    struct AuthTests {
        static func temporaryDirectory() throws -> URL {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("tether-emu-auth-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }

        static func curl(_ arguments: [String]) async throws -> (code: Int, body: String) {
            let out = try await EmulatorHarness.run("/usr/bin/env", ["curl", "-sS", "-o", "-", "-w", "\n%{http_code}"] + arguments,
                                                    stdin: nil, timeout: 20)
            var lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let code = Int(lines.popLast() ?? "") ?? -1
            return (code, lines.joined(separator: "\n") + out.stderr)
        }

        @Test("--tls makes a CA, server and admin certificates and a kubeconfig kubectl uses as is; no credentials get 401")
        func tlsAndClientCertificate() async throws {
            let root = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: root) }
            let tls = root.appendingPathComponent("tls")
            let tokens = root.appendingPathComponent("tokens.csv")
            try "s3cret-token,alice,1001,\"dev,ops\"\n".write(to: tokens, atomically: true, encoding: .utf8)
            var options = EmulatorOptions()
            options.tlsDirectory = tls.path
            options.tokenFile = tokens.path
            let server = EmulatorServer(options: options)
            let address = try await server.start(listen: "127.0.0.1:0")
            defer { Task { await server.stop() } }
            #expect(server.scheme == "https")
            let kubeconfig = try #require(await server.kubeconfigPath)
            for file in ["ca.crt", "ca.key", "server.crt", "server.key", "admin.crt", "admin.key", "kubeconfig"] {
                #expect(FileManager.default.fileExists(atPath: tls.appendingPathComponent(file).path), "\(file)")
            }
            let keyMode = try FileManager.default.attributesOfItem(atPath: tls.appendingPathComponent("admin.key").path)[.posixPermissions] as? Int
            #expect(keyMode == 0o600)

            let cache = root.appendingPathComponent("cache").path
            var out = try await EmulatorHarness.run("/usr/bin/env", ["kubectl", "--kubeconfig", kubeconfig, "--cache-dir", cache,
                                                                     "get", "namespaces", "-o", "name"], stdin: nil, timeout: 30)
            #expect(out.status == 0 && out.stdout.contains("namespace/default"), "\(out.stderr)")
            var users = await server.audit.entries.map(\.user)
            #expect(users.contains("kubernetes-admin"), "\(users)")
            // kubectl sends a bearer token only over HTTPS.
            out = try await EmulatorHarness.run("/usr/bin/env", [
                "kubectl", "--server", "https://\(address)", "--certificate-authority", tls.appendingPathComponent("ca.crt").path,
                "--token", "s3cret-token", "--cache-dir", cache + "-token", "get", "ns", "default", "-o", "name",
            ], stdin: nil, timeout: 30)
            #expect(out.status == 0 && out.stdout == "namespace/default\n", "\(out.stderr)")
            #expect(await server.audit.entries.last?.user == "alice")

            let ca = tls.appendingPathComponent("ca.crt").path
            let url = "https://\(address)/api/v1/namespaces"
            var r = try await Self.curl(["--cacert", ca, url])
            #expect(r.code == 401, "\(r.body)")
            #expect(r.body.contains(#""kind":"Status""#) && r.body.contains(#""reason":"Unauthorized""#) && r.body.contains(#""code":401"#), "\(r.body)")
            r = try await Self.curl(["--cacert", ca, "-H", "Authorization: Bearer wrong", url])
            #expect(r.code == 401, "\(r.body)")
            r = try await Self.curl(["--cacert", ca, "-H", "Authorization: Bearer s3cret-token", url])
            #expect(r.code == 200, "\(r.body)")
            r = try await Self.curl(["--cacert", ca, "--cert", tls.appendingPathComponent("admin.crt").path,
                                     "--key", tls.appendingPathComponent("admin.key").path, url])
            #expect(r.code == 200, "\(r.body)")
            r = try await Self.curl(["--cacert", ca, "--resolve", "localhost:\(address.split(separator: ":").last ?? ""):127.0.0.1",
                                     "-H", "Authorization: Bearer s3cret-token",
                                     "https://localhost:\(address.split(separator: ":").last ?? "")/version"])
            #expect(r.code == 200, "the server certificate names localhost: \(r.body)")
            r = try await Self.curl(["--cacert", ca, "https://\(address)/healthz"])
            #expect(r.code == 200, "health needs no credentials")
            users = await server.audit.entries.map(\.user)
            #expect(users.contains("alice") && users.filter { $0.isEmpty }.count == 2, "\(users)")
            let admin = try await Self.curl(["--cacert", ca, "-H", "Authorization: Bearer s3cret-token", "https://\(address)/_emulator/audit"])
            #expect(admin.body.contains(#""user":"alice""#), "\(admin.body)")

            // A second start keeps the CA, so clients configured once keep working.
            let caBefore = try Data(contentsOf: URL(fileURLWithPath: ca))
            await server.stop()
            let again = EmulatorServer(options: options)
            _ = try await again.start(listen: "127.0.0.1:0")
            #expect(try Data(contentsOf: URL(fileURLWithPath: ca)) == caBefore)
            await again.stop()
        }

        /// kube-apiserver's secure listener offers h2 and http/1.1 by ALPN
        /// (k8s.io/apiserver/pkg/server/secure_serving.go: NextProtos); client-go
        /// negotiates h2, so watches and requests share one multiplexed connection.
        @Test("the TLS listener speaks HTTP/2 by ALPN (kubectl, curl --http2) and keeps HTTP/1.1; client certificates work over both")
        func http2() async throws {
            let root = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: root) }
            let tls = root.appendingPathComponent("tls")
            var options = EmulatorOptions()
            options.tlsDirectory = tls.path
            let server = EmulatorServer(options: options)
            let address = try await server.start(listen: "127.0.0.1:0")
            defer { Task { await server.stop() } }
            let kubeconfig = try #require(await server.kubeconfigPath)
            let cache = root.appendingPathComponent("cache").path
            func kubectl(_ arguments: [String], timeout: Double = 30) async throws -> EmulatorHarness.Output {
                try await EmulatorHarness.run("/usr/bin/env", ["kubectl", "--kubeconfig", kubeconfig, "--cache-dir", cache] + arguments,
                                              stdin: nil, timeout: timeout)
            }
            var out = try await kubectl(["create", "namespace", "h2"])
            #expect(out.status == 0, "\(out.stderr)")
            // A watch and writes at once, over the same h2 connection kind.
            async let watched = kubectl(["-n", "h2", "get", "configmaps", "-w", "--output-watch-events", "-o", "name",
                                         "--request-timeout=5s"], timeout: 8)
            for _ in 0..<100 {
                if await server.audit.entries.contains(where: { $0.verb == "watch" && $0.namespace == "h2" }) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            out = try await kubectl(["-n", "h2", "create", "configmap", "c", "--from-literal=k=v"])
            #expect(out.status == 0, "\(out.stderr)")
            let watch = try await watched
            #expect(watch.stdout.contains("configmap/c"), "\(watch.stdout) \(watch.stderr)")
            let kubectlEntries = await server.audit.entries.filter { $0.userAgent.hasPrefix("kubectl") }
            #expect(!kubectlEntries.isEmpty && kubectlEntries.allSatisfy { $0.protocolVersion == "HTTP/2.0" },
                    "\(kubectlEntries.map { "\($0.verb) \($0.protocolVersion)" })")
            #expect(kubectlEntries.allSatisfy { $0.user == "kubernetes-admin" }, "client certificate read from the h2 connection")

            let credentials = ["--cacert", tls.appendingPathComponent("ca.crt").path,
                               "--cert", tls.appendingPathComponent("admin.crt").path,
                               "--key", tls.appendingPathComponent("admin.key").path]
            for (flag, version) in [("--http2", "2"), ("--http1.1", "1.1")] {
                let r = try await EmulatorHarness.run("/usr/bin/env", ["curl", "-sS", flag, "-o", "/dev/null", "-w", "%{http_version} %{http_code}"]
                                                      + credentials + ["https://\(address)/api/v1/namespaces/h2/configmaps/c"],
                                                      stdin: nil, timeout: 20)
                #expect(r.stdout == "\(version) 200", "\(flag): \(r.stdout) \(r.stderr)")
            }
        }

        @Test("--token-file alone: plain HTTP, bearer tokens name the user, no token gets 401")
        func tokenFile() async throws {
            let root = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: root) }
            let tokens = root.appendingPathComponent("tokens.csv")
            try "# static tokens\ntok-1,bob,42\n\ntok-2,carol,43,\"viewers\"\n".write(to: tokens, atomically: true, encoding: .utf8)
            var options = EmulatorOptions()
            options.tokenFile = tokens.path
            let server = EmulatorServer(options: options)
            let address = try await server.start(listen: "127.0.0.1:0")
            defer { Task { await server.stop() } }
            var r = try await Self.curl(["-H", "Authorization: Bearer tok-1", "http://\(address)/api/v1/namespaces/default"])
            #expect(r.code == 200 && r.body.contains(#""name":"default""#), "\(r.body)")
            r = try await Self.curl(["-H", "Authorization: Bearer tok-2", "http://\(address)/_emulator/audit"])
            #expect(r.code == 200 && r.body.contains(#""user":"bob""#), "\(r.body)")
            // kubectl sends no token over plain HTTP, so it is refused like any anonymous client.
            let out = try await EmulatorHarness.run("/usr/bin/env", [
                "kubectl", "--server", "http://\(address)", "--cache-dir", root.appendingPathComponent("cache").path, "get", "ns",
            ], stdin: nil, timeout: 30)
            #expect(out.status != 0 && out.stderr.contains("You must be logged in to the server"), "\(out.stderr)")
            let users = Set(await server.audit.entries.map(\.user))
            #expect(users.contains("bob"), "\(users)")

            let bad = root.appendingPathComponent("bad.csv")
            try "tok-1,bob,42\njust-a-token\n".write(to: bad, atomically: true, encoding: .utf8)
            var badOptions = EmulatorOptions()
            badOptions.tokenFile = bad.path
            do {
                _ = try await EmulatorServer(options: badOptions).start(listen: "127.0.0.1:0")
                Issue.record("a malformed token file was accepted")
            } catch {
                #expect(error.description == "\(bad.path):2: expected token,user,uid[,\"group1,group2\"]. Fix that line of the token file.")
            }
        }

        @Test("token file CSV fields, quoted groups")
        func csv() throws {
            let file = try TokenFile(text: "t,u,1,\"a,b\"\nv,w,2\n", path: "f")
            #expect(file.users["t"] == UserInfo(name: "u", uid: "1", groups: ["a", "b"]))
            #expect(file.users["v"] == UserInfo(name: "w", uid: "2", groups: []))
        }
    }
}
