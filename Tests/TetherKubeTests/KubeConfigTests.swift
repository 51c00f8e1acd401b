import Foundation
import Testing
@testable import TetherKube
import TetherModel

extension KubeSuites {
    @Suite("kubeconfig loading and merging")
    struct KubeConfigTests {
        static let fileA = """
        apiVersion: v1
        kind: Config
        current-context: ctx-a
        clusters:
        - name: shared
          cluster: {server: "https://a.example:6443", certificate-authority-data: "\(Base64.encode(Array("CA-A".utf8)))"}
        - name: only-a
          cluster: {server: "https://only-a.example", insecure-skip-tls-verify: true, tls-server-name: api.internal, proxy-url: "http://proxy:3128"}
        users:
        - name: alice
          user: {token: secret-token-a}
        contexts:
        - name: ctx-a
          context: {cluster: shared, user: alice, namespace: team-a}
        - name: ctx-only-a
          context: {cluster: only-a, user: alice}
        """

        static let fileB = """
        current-context: ctx-b
        clusters:
        - name: shared
          cluster: {server: "https://b.example:6443"}
        - name: only-b
          cluster: {server: "https://only-b.example"}
        users:
        - name: alice
          user: {username: alice, password: pw-b}
        - name: bob
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: ./bin/plugin
              args: [get-token, --cluster, b]
              env: [{name: MODE, value: test}]
        contexts:
        - name: ctx-b
          context: {cluster: only-b, user: bob}
        - name: ctx-a
          context: {cluster: only-b, user: bob}
        """

        struct Case: Sendable, CustomStringConvertible {
            var name: String
            var order: [String]
            var context: String?
            var namespace: String?
            var server: String
            var expectedNamespace: String
            var description: String { name }
        }

        static let mergeCases: [Case] = [
            Case(name: "first file's current-context and entries win", order: ["a", "b"], server: "https://a.example:6443",
                 expectedNamespace: "team-a"),
            Case(name: "reversed order takes b's current-context", order: ["b", "a"], server: "https://only-b.example",
                 expectedNamespace: "default"),
            Case(name: "context override picks a context from either file", order: ["a", "b"], context: "ctx-b",
                 server: "https://only-b.example", expectedNamespace: "default"),
            Case(name: "namespace override beats the context namespace", order: ["a", "b"], namespace: "override",
                 server: "https://a.example:6443", expectedNamespace: "override"),
            Case(name: "same-named cluster comes from the first file", order: ["b", "a"], context: "ctx-a",
                 server: "https://only-b.example", expectedNamespace: "default"),
        ]

        @Test("KUBECONFIG merge follows kubectl's order", arguments: mergeCases)
        func merge(_ c: Case) throws {
            let dir = try makeTempDirectory("merge")
            try Self.fileA.write(toFile: dir + "/a", atomically: true, encoding: .utf8)
            try Self.fileB.write(toFile: dir + "/b", atomically: true, encoding: .utf8)
            let list = (c.order.map { dir + "/" + $0 } + [dir + "/missing"]).joined(separator: ":")
            let config = try KubeConfig.load(.init(context: c.context, namespace: c.namespace,
                                                   environment: ["KUBECONFIG": list, "HOME": dir]))
            #expect(config.server == c.server)
            #expect(config.namespace == c.expectedNamespace)
        }

        @Test("users and clusters resolve to TLS and authentication settings")
        func resolvesEntries() throws {
            let dir = try makeTempDirectory("resolve")
            try Self.fileB.write(toFile: dir + "/b", atomically: true, encoding: .utf8)
            let a = try KubeConfigFile.parse(Self.fileA, path: dir + "/a")
            let b = try KubeConfigFile.parse(Self.fileB, path: dir + "/b")
            let config = try KubeConfigFile.merged([a, b]).resolve()
            #expect(config.tls.certificateAuthority == Array("CA-A".utf8))
            #expect(config.authentication == .token(Redacted("secret-token-a")))
            let onlyA = try a.resolve(context: "ctx-only-a")
            #expect(onlyA.tls.insecureSkipVerify)
            #expect(onlyA.tls.serverName == "api.internal")
            #expect(onlyA.proxyURL == "http://proxy:3128")
            let bob = try b.resolve(context: "ctx-b")
            guard case .exec(let exec) = bob.authentication else {
                Issue.record("expected exec auth")
                return
            }
            #expect(exec.command == dir + "/./bin/plugin")
            #expect(exec.arguments == ["get-token", "--cluster", "b"])
            #expect(exec.apiVersion == "client.authentication.k8s.io/v1beta1")
            #expect(exec.environment.map(\.value) == ["test"])
            let basic = try KubeConfigFile.merged([b, a]).resolve(context: "ctx-a")
            #expect(basic.authentication == .exec(exec))
            let alice = try KubeConfigFile.merged([b]).resolve(context: "ctx-b")
            #expect(alice.contextName == "ctx-b")
        }

        @Test("relative certificate paths resolve against the kubeconfig's directory")
        func relativePaths() throws {
            let dir = try makeTempDirectory("relative")
            try FileManager.default.createDirectory(atPath: dir + "/certs", withIntermediateDirectories: true)
            try "CA-PEM".write(toFile: dir + "/certs/ca.crt", atomically: true, encoding: .utf8)
            try "CERT".write(toFile: dir + "/certs/c.crt", atomically: true, encoding: .utf8)
            try "KEY".write(toFile: dir + "/certs/c.key", atomically: true, encoding: .utf8)
            try "tok\n".write(toFile: dir + "/certs/token", atomically: true, encoding: .utf8)
            let text = """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://user:pw@h.example/", certificate-authority: certs/ca.crt}}]
            users: [{name: u, user: {client-certificate: certs/c.crt, client-key: certs/c.key, tokenFile: certs/token}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            """
            try text.write(toFile: dir + "/config", atomically: true, encoding: .utf8)
            let config = try KubeConfig.load(.init(kubeconfigPath: dir + "/config", environment: [:]))
            #expect(config.server == "https://h.example", "userinfo and trailing slash are stripped")
            #expect(config.tls.certificateAuthority == Array("CA-PEM".utf8))
            #expect(config.tls.clientCertificate == Array("CERT".utf8))
            #expect(config.tls.clientKey == Redacted(Array("KEY".utf8)))
            #expect(config.authentication == .tokenFile(dir + "/certs/token"))
        }

        struct ErrorCase: Sendable, CustomStringConvertible {
            var name: String
            var yaml: String
            var context: String?
            var expected: String
            var description: String { name }
        }

        static let errorCases: [ErrorCase] = [
            ErrorCase(name: "no current context", yaml: "clusters: []", expected: "no current-context"),
            ErrorCase(name: "unknown context", yaml: "current-context: nope\ncontexts: [{name: x, context: {cluster: c}}]",
                      expected: "context 'nope' does not exist. Choose one of: x"),
            ErrorCase(name: "missing cluster", yaml: "current-context: x\ncontexts: [{name: x, context: {cluster: c}}]",
                      expected: "refers to cluster 'c', which does not exist"),
            ErrorCase(name: "bad base64 never echoes the value",
                      yaml: "users: [{name: u, user: {client-key-data: '!!not-base64-SECRET'}}]", context: "x",
                      expected: "client-key-data is not valid base64"),
            ErrorCase(name: "unsupported exec version",
                      yaml: "users: [{name: u, user: {exec: {command: x, apiVersion: client.authentication.k8s.io/v1alpha1}}}]",
                      expected: "exec apiVersion 'client.authentication.k8s.io/v1alpha1' is not supported"),
            ErrorCase(name: "not a URL", yaml: "current-context: x\nclusters: [{name: c, cluster: {server: 'ftp://h'}}]\ncontexts: [{name: x, context: {cluster: c}}]",
                      expected: "is not an http(s) URL"),
        ]

        @Test("broken kubeconfigs give config errors that say how to fix them", arguments: errorCases)
        func errors(_ c: ErrorCase) throws {
            let error = #expect(throws: KubeError.self) {
                try KubeConfigFile.parse(c.yaml, path: "/tmp/kc").resolve(context: c.context)
            }
            #expect(error?.code == .config)
            #expect(error?.description.contains(c.expected) == true, "\(String(describing: error))")
            #expect(error?.description.contains("SECRET") == false)
        }

        @Test("--kubeconfig that does not exist is an error; KUBECONFIG entries that do not are skipped")
        func missingFiles() throws {
            let error = #expect(throws: KubeError.self) {
                try KubeConfig.load(.init(kubeconfigPath: "/nonexistent/config", environment: [:]))
            }
            #expect(error?.description.contains("does not exist") == true)
            let none = #expect(throws: KubeError.self) {
                try KubeConfig.load(.init(environment: ["KUBECONFIG": "/nonexistent/a:/nonexistent/b", "HOME": "/nonexistent"]))
            }
            #expect(none?.description.contains("no kubeconfig found") == true)
        }

        @Test("HOME/.kube/config is the default")
        func homeDefault() throws {
            let home = try makeTempDirectory("home")
            try FileManager.default.createDirectory(atPath: home + "/.kube", withIntermediateDirectories: true)
            try Self.fileA.write(toFile: home + "/.kube/config", atomically: true, encoding: .utf8)
            let config = try KubeConfig.load(.init(environment: ["HOME": home]))
            #expect(config.contextName == "ctx-a")
        }

        @Test("in-cluster config reads the service-account directory, also as the fallback")
        func inCluster() throws {
            let dir = try makeTempDirectory("sa")
            try "sa-token".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
            try "CA".write(toFile: dir + "/ca.crt", atomically: true, encoding: .utf8)
            try "apps\n".write(toFile: dir + "/namespace", atomically: true, encoding: .utf8)
            let env = ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443", "HOME": "/nonexistent"]
            let config = try KubeConfig.load(.init(environment: env, serviceAccountDirectory: dir))
            #expect(config.server == "https://10.0.0.1:443")
            #expect(config.namespace == "apps")
            #expect(config.authentication == .tokenFile(dir + "/token"))
            #expect(config.tls.certificateAuthority == Array("CA".utf8))
            let v6 = try InClusterConfig.load(environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"],
                                              directory: dir)
            #expect(v6.server == "https://[fd00::1]:6443")
            #expect(throws: KubeError.self) { try InClusterConfig.load(environment: [:], directory: dir) }
        }

        @Test("server(url:tokenFile:certificateAuthority:) needs no kubeconfig")
        func serverOnly() throws {
            let config = try KubeConfig.server(url: "http://127.0.0.1:8080/", tokenFile: "/t")
            #expect(config.server == "http://127.0.0.1:8080")
            #expect(config.authentication == .tokenFile("/t"))
            #expect(throws: KubeError.self) { try KubeConfig.server(url: "127.0.0.1:8080") }
        }

        @Test("credentials print as <redacted>")
        func redaction() throws {
            let config = try KubeConfigFile.parse(Self.fileA, path: "/tmp/a").resolve()
            let text = "\(config) \(String(reflecting: config))"
            #expect(!text.contains("secret-token-a"))
            #expect(text.contains("<redacted>"))
            var dumped = ""
            dump(config, to: &dumped)
            #expect(!dumped.contains("secret-token-a"))
            let basic = try KubeConfigFile.parse(Self.fileB, path: "/tmp/b").resolve(context: "ctx-b")
            #expect(!"\(basic)".contains("pw-b"))
        }
    }
}
