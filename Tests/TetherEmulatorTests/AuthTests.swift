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
