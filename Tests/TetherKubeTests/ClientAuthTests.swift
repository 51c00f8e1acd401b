import Foundation
import Testing
@testable import TetherKube
import TetherModel
import Logging

extension KubeSuites {
    @Suite("TLS and authentication against a real HTTPS server", .timeLimit(.minutes(1)))
    struct ClientAuthTests {
        static func caTLS() throws -> KubeConfig.TLSSettings {
            KubeConfig.TLSSettings(certificateAuthority: try TestPKI.shared().bytes("ca.crt"))
        }

        @Test("bearer token over HTTPS with the CA from memory; 401 without it")
        func bearer() async throws {
            let server = try TestServer(.https)
            try server.control("auth", #"{"tokens":["good-token"]}"#)
            let client = server.client(tls: try Self.caTLS(), authentication: .token(Redacted("good-token")))
            _ = try await client.create(makeConfigMap("tls"))
            #expect(try await client.get(configMap, name: "tls").name == "tls")
            let anonymous = server.client(tls: try Self.caTLS(), authentication: .token(Redacted("wrong-token")))
            let error = await #expect(throws: KubeError.self) { try await anonymous.get(configMap, name: "tls") }
            #expect(error?.code == .unauthorized)
            #expect(error?.description.contains("wrong-token") == false)
            #expect(try server.requests().first?["authorization"] == "Bearer good-token")
        }

        @Test("client certificate authentication (cert and key from memory)")
        func clientCertificate() async throws {
            let server = try TestServer(.https)
            try server.control("auth", #"{"clientCNs":["tether-client"]}"#)
            let pki = try TestPKI.shared()
            var tls = try Self.caTLS()
            tls.clientCertificate = pki.bytes("client.crt")
            tls.clientKey = Redacted(pki.bytes("client.key"))
            _ = try await server.client(tls: tls).create(makeConfigMap("mtls"))
            let noCert = await #expect(throws: KubeError.self) { try await server.client(tls: try Self.caTLS()).get(configMap, name: "mtls") }
            #expect(noCert?.code == .unauthorized)
            #expect(try server.requests().first?["clientCN"] == "tether-client")
        }

        @Test("a server certificate from another CA is refused; insecure-skip-tls-verify accepts it")
        func wrongCA() async throws {
            let server = try TestServer(.https)
            let wrong = KubeConfig.TLSSettings(certificateAuthority: try TestPKI.shared().bytes("other-ca.crt"))
            let error = await #expect(throws: KubeError.self) { try await server.client(tls: wrong).list(configMap) }
            #expect(error?.code == .tls)
            let noCA = await #expect(throws: KubeError.self) { try await server.client().list(configMap) }
            #expect(noCA?.code == .tls, "the system store does not trust the test CA")
            let insecure = server.client(tls: KubeConfig.TLSSettings(insecureSkipVerify: true))
            #expect(try await insecure.list(configMap).items.isEmpty)
        }

        @Test("tls-server-name verifies against a name other than the URL's host")
        func serverName() async throws {
            let server = try TestServer(.https)
            var tls = try Self.caTLS()
            tls.serverName = "kube.test"
            #expect(try await server.client(tls: tls).list(configMap).items.isEmpty)
            tls.serverName = "not-in-the-cert.test"
            let error = await #expect(throws: KubeError.self) { try await server.client(tls: tls).list(configMap) }
            #expect(error?.code == .tls)
        }

        @Test("basic auth")
        func basic() async throws {
            let server = try TestServer()
            try server.control("auth", #"{"basic":["\#(Base64.encode(Array("admin:pw".utf8)))"]}"#)
            let client = server.client(authentication: .basic(username: "admin", password: Redacted("pw")))
            #expect(try await client.list(configMap).items.isEmpty)
        }

        @Test("token file is re-read when rotated")
        func tokenRotation() async throws {
            let server = try TestServer()
            let dir = try makeTempDirectory("token")
            let path = dir + "/token"
            try "token-1\n".write(toFile: path, atomically: true, encoding: .utf8)
            try server.control("auth", #"{"tokens":["token-1"]}"#)
            let client = server.client(authentication: .tokenFile(path))
            #expect(try await client.list(configMap).items.isEmpty)
            try server.control("auth", #"{"tokens":["token-2-rotated"]}"#)
            try "token-2-rotated\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try await client.list(configMap).items.isEmpty)
            let auths = try server.requests().compactMap { $0["authorization"]?.stringValue }
            #expect(auths.last == "Bearer token-2-rotated")
        }

        @Test("in-cluster config from a temporary service-account directory")
        func inCluster() async throws {
            let server = try TestServer(.https)
            try server.control("auth", #"{"tokens":["sa-token"]}"#)
            let dir = try makeTempDirectory("sa")
            try "sa-token".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(atPath: try TestPKI.shared().path("ca.crt"), toPath: dir + "/ca.crt")
            try "default".write(toFile: dir + "/namespace", atomically: true, encoding: .utf8)
            let config = try KubeConfig.load(.init(
                environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "\(server.port)", "HOME": dir],
                serviceAccountDirectory: dir))
            let client = KubeClient(config: config, options: TestServer.fastOptions(), logger: Logger(label: "test"))
            #expect(try await client.list(configMap).items.isEmpty)
        }

        @Test("exec plugin: cached until expiry, re-run after a 401, kubeconfig end to end", arguments: ["v1", "v1beta1"])
        func execPlugin(version: String) async throws {
            let server = try TestServer(.https)
            let dir = try makeTempDirectory("exec")
            let plugin = dir + "/plugin.sh"
            // Each run hands out the next token and records that it ran.
            try """
            #!/bin/sh
            n=$(cat "\(dir)/count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "\(dir)/count"
            echo "$KUBERNETES_EXEC_INFO" > "\(dir)/info"
            echo '{"apiVersion":"client.authentication.k8s.io/\(version)","kind":"ExecCredential","status":{"token":"exec-token-'$n'","expirationTimestamp":"2099-01-01T00:00:00Z"}}'
            """.write(toFile: plugin, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: plugin)
            let ca = Base64.encode(try TestPKI.shared().bytes("ca.crt"))
            try """
            apiVersion: v1
            kind: Config
            current-context: test
            clusters: [{name: c, cluster: {server: "\(server.url)", certificate-authority-data: \(ca)}}]
            users:
            - name: u
              user:
                exec: {apiVersion: client.authentication.k8s.io/\(version), command: ./plugin.sh, args: [], provideClusterInfo: true}
            contexts: [{name: test, context: {cluster: c, user: u, namespace: default}}]
            """.write(toFile: dir + "/config", atomically: true, encoding: .utf8)
            try server.control("auth", #"{"tokens":["exec-token-1"]}"#)
            let config = try KubeConfig.load(.init(kubeconfigPath: dir + "/config", environment: [:]))
            let client = KubeClient(config: config, options: TestServer.fastOptions(), logger: Logger(label: "test"))
            _ = try await client.list(configMap)
            _ = try await client.list(configMap)
            #expect(try String(contentsOfFile: dir + "/count", encoding: .utf8).hasPrefix("1"), "cached until expiry")
            let info = try String(contentsOfFile: dir + "/info", encoding: .utf8)
            #expect(info.contains("client.authentication.k8s.io/\(version)") && info.contains(server.url))
            try server.control("auth", #"{"tokens":["exec-token-2"]}"#)
            _ = try await client.list(configMap)
            #expect(try String(contentsOfFile: dir + "/count", encoding: .utf8).hasPrefix("2"), "re-run after 401")
        }

        @Test("concurrent requests share one exec plugin run")
        func execCoalesced() async throws {
            let server = try TestServer()
            let dir = try makeTempDirectory("exec-shared")
            let plugin = dir + "/plugin.sh"
            try """
            #!/bin/sh
            echo run >> "\(dir)/runs"
            sleep 0.3
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'
            """.write(toFile: plugin, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: plugin)
            let client = server.client(authentication: .exec(.init(command: plugin)))
            _ = try await client.mapping(for: configMap)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { _ = try await client.list(configMap) } }
                try await group.waitForAll()
            }
            let runs = try String(contentsOfFile: dir + "/runs", encoding: .utf8).split(separator: "\n").count
            #expect(runs == 1)
        }

        @Test("an expired exec credential is not reused")
        func execExpiry() async throws {
            let server = try TestServer()
            let dir = try makeTempDirectory("exec-expired")
            let plugin = dir + "/plugin.sh"
            try """
            #!/bin/sh
            n=$(cat "\(dir)/count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "\(dir)/count"
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"2001-01-01T00:00:00Z"}}'
            """.write(toFile: plugin, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: plugin)
            let client = server.client(authentication: .exec(.init(command: plugin)))
            _ = try await client.list(configMap)
            let afterFirst = Int(try String(contentsOfFile: dir + "/count", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            _ = try await client.list(configMap)
            let afterSecond = Int(try String(contentsOfFile: dir + "/count", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            #expect(afterFirst >= 1 && afterSecond > afterFirst, "the plugin ran again for every request")
            let broken = server.client(authentication: .exec(.init(command: "/bin/false")))
            let error = await #expect(throws: KubeError.self) { try await broken.list(configMap) }
            #expect(error?.code == .config)
        }
    }
}
