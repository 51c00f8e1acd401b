import Foundation
import Logging
import Testing
@testable import TetherKube
import TetherModel

extension KubeSuites {
    @Suite("legacy auth-provider users", .timeLimit(.minutes(1)))
    struct AuthProviderTests {
        /// A kubeconfig whose only user has `user` as its body (YAML flow mapping).
        static func kubeconfig(server: String = "https://h.example", user: String) -> String {
            """
            current-context: c
            clusters: [{name: k, cluster: {server: "\(server)"}}]
            users: [{name: cloud-user, user: \(user)}]
            contexts: [{name: c, context: {cluster: k, user: cloud-user}}]
            """
        }

        /// An unsigned JWT with an `exp` claim; the client only reads `exp`.
        static func jwt(expiresIn seconds: TimeInterval) -> String {
            func encode(_ json: String) -> String {
                Base64.encode(Array(json.utf8)).replacingOccurrences(of: "+", with: "-")
                    .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            }
            let exp = Int(Date().timeIntervalSince1970 + seconds)
            return encode(#"{"alg":"RS256"}"#) + "." + encode(#"{"iss":"https://idp.test","exp":\#(exp)}"#) + ".c2lnbmF0dXJl"
        }

        struct Case: Sendable, CustomStringConvertible {
            var name: String
            var user: String
            var expected: [String]
            var description: String { name }
        }

        static let refused: [Case] = [
            Case(name: "gcp points to gke-gcloud-auth-plugin",
                 user: "{auth-provider: {name: gcp, config: {access-token: SECRET-gcp, cmd-path: /usr/bin/gcloud}}}",
                 expected: ["user 'cloud-user' uses the gcp auth-provider", "removed in v1.26", "gke-gcloud-auth-plugin"]),
            Case(name: "azure points to kubelogin",
                 user: "{auth-provider: {name: azure, config: {access-token: SECRET-az, tenant-id: t, apiserver-id: a}}}",
                 expected: ["user 'cloud-user' uses the azure auth-provider", "kubelogin convert-kubeconfig"]),
            Case(name: "an unknown provider asks for an exec plugin",
                 user: "{auth-provider: {name: openstack, config: {ttl: 1h}}}",
                 expected: ["user 'cloud-user' uses the auth-provider 'openstack'", "exec credential plugin"]),
            Case(name: "exec and auth-provider together are refused, as in client-go",
                 user: "{exec: {apiVersion: client.authentication.k8s.io/v1, command: p}, auth-provider: {name: oidc, config: {}}}",
                 expected: ["user 'cloud-user' sets both exec and auth-provider"]),
            Case(name: "a provider without a name", user: "{auth-provider: {config: {id-token: SECRET-x}}}",
                 expected: ["user 'cloud-user': auth-provider has no name"]),
        ]

        @Test("gcp, azure and unknown providers are refused, naming the user and the replacement", arguments: refused)
        func refusedProviders(_ c: Case) throws {
            let error = #expect(throws: KubeError.self) {
                try KubeConfigFile.parse(Self.kubeconfig(user: c.user), path: "/tmp/kc").resolve()
            }
            #expect(error?.code == .config)
            for text in c.expected { #expect(error?.description.contains(text) == true, "\(String(describing: error))") }
            #expect(error?.description.contains("SECRET") == false)
        }

        @Test("a valid oidc id-token is sent as the bearer token")
        func oidcValid() async throws {
            let server = try TestServer()
            let token = Self.jwt(expiresIn: 3600)
            try server.control("auth", #"{"tokens":["\#(token)"]}"#)
            let user = "{auth-provider: {name: oidc, config: {id-token: '\(token)', refresh-token: r, idp-issuer-url: 'https://idp.test', client-id: c}}}"
            let config = try KubeConfigFile.parse(Self.kubeconfig(server: server.url, user: user), path: "/tmp/kc").resolve()
            #expect(!"\(config)".contains(token), "the id-token is redacted")
            let client = KubeClient(config: config, options: TestServer.fastOptions(), logger: Logger(label: "test"))
            #expect(try await client.list(configMap).items.isEmpty)
            #expect(try server.requests().last?["authorization"]?.stringValue == "Bearer " + token)
        }

        @Test("an expired or missing oidc id-token fails before sending, saying how to refresh it")
        func oidcExpired() async throws {
            let server = try TestServer()
            let expired = Self.jwt(expiresIn: -60)
            let refreshable = "{auth-provider: {name: oidc, config: {id-token: '\(expired)', refresh-token: SECRET-r, idp-issuer-url: 'https://idp.test', client-id: c}}}"
            let config = try KubeConfigFile.parse(Self.kubeconfig(server: server.url, user: refreshable), path: "/tmp/kc").resolve()
            let client = KubeClient(config: config, options: TestServer.fastOptions(), logger: Logger(label: "test"))
            let error = await #expect(throws: KubeError.self) { try await client.list(configMap) }
            #expect(error?.code == .config)
            let text = error?.description ?? ""
            #expect(text.contains("user 'cloud-user' (auth-provider oidc): the id-token expired at"), "\(text)")
            #expect(text.contains("Run any kubectl command with this context once") && text.contains("kubelogin"))
            #expect(!text.contains(expired) && !text.contains("SECRET"))

            let missing = try KubeConfigFile.parse(Self.kubeconfig(server: server.url, user: "{auth-provider: {name: oidc, config: {client-id: c}}}"),
                                                   path: "/tmp/kc").resolve()
            let noToken = await #expect(throws: KubeError.self) {
                try await KubeClient(config: missing, options: TestServer.fastOptions(), logger: Logger(label: "test")).list(configMap)
            }
            #expect(noToken?.description.contains("has no id-token") == true)
            #expect(noToken?.description.contains("Run any kubectl command") == false, "nothing for kubectl to refresh")
            #expect(try server.requests().isEmpty, "no request left the client with a stale token")
        }

        @Test("an explicit token wins over an oidc auth-provider, as in client-go")
        func tokenWins() throws {
            let user = "{token: explicit, auth-provider: {name: oidc, config: {id-token: x}}}"
            let config = try KubeConfigFile.parse(Self.kubeconfig(user: user), path: "/tmp/kc").resolve()
            #expect(config.authentication == .token(Redacted("explicit")))
        }

        @Test("jwtExpiry reads exp and ignores what is not a JWT")
        func expiry() {
            let date = AuthProvider.jwtExpiry(Self.jwt(expiresIn: 100))
            #expect(date.map { abs($0.timeIntervalSinceNow - 100) < 5 } == true)
            #expect(AuthProvider.jwtExpiry("opaque-token") == nil)
            #expect(AuthProvider.jwtExpiry("a.!!!.c") == nil)
        }
    }
}
