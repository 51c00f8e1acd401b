import Foundation
import Logging
import Testing
@testable import TetherKube
import TetherModel

extension KubeSuites {
    @Suite("HTTP/2 and connection reuse", .timeLimit(.minutes(1)))
    struct HTTP2Tests {
        // `/api` cannot be served: it is the directory above the ConfigMap list.
        static let files = [
            "apis": #"{"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}]}]}"#,
            "api/v1/namespaces/default/configmaps": #"{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"7"},"items":[{"metadata":{"name":"from-h2","namespace":"default"}}]}"#,
        ]

        /// A client for `server` whose discovery cache already knows ConfigMaps: nghttpd serves
        /// static files, and `/api/v1` cannot be both a file and the directory above the list.
        static func client(_ server: H2Server) async throws -> KubeClient {
            let tls = KubeConfig.TLSSettings(certificateAuthority: try TestPKI.shared().bytes("ca.crt"))
            let client = KubeClient(config: KubeConfig(server: server.url, tls: tls), options: TestServer.fastOptions(),
                                    logger: Logger(label: "test"))
            await client.discovery.store([RESTMapping(gvk: configMap, resource: "configmaps", namespaced: true)], for: "v1")
            return client
        }

        @Test("HTTPS negotiates h2 through ALPN and sends every request over one connection",
              .enabled(if: H2Server.isAvailable, "needs nghttpd (Debian package nghttp2-server)"))
        func sequential() async throws {
            let server = try H2Server(files: Self.files)
            let client = try await Self.client(server)
            for _ in 0..<5 {
                #expect(try await client.list(configMap).items.map(\.name) == ["from-h2"])
            }
            let groups = try await client.getJSON("/apis", operation: "discover /apis")
            #expect(groups["groups"]?.listValue?.count == 1)
            let statistics = client.transportStatistics
            #expect(statistics == TransportStatistics(responses: 6, http2Responses: 6, connectionsOpened: 1))
            #expect(try server.connections().count == 1, "the server saw one h2 connection")
            #expect(try server.requestPaths().count == 6)
        }

        @Test("concurrent requests over h2 are multiplexed as streams of one connection",
              .enabled(if: H2Server.isAvailable, "needs nghttpd (Debian package nghttp2-server)"))
        func concurrent() async throws {
            let server = try H2Server(files: Self.files)
            let client = try await Self.client(server)
            for _ in 0..<3 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<8 { group.addTask { _ = try await client.list(configMap) } }
                    try await group.waitForAll()
                }
            }
            let statistics = client.transportStatistics
            #expect(statistics.responses == 24 && statistics.http2Responses == 24)
            // One multi handle shares its connections, and PIPEWAIT makes the first
            // requests wait for h2 to be negotiated rather than open their own.
            #expect(statistics.connectionsOpened == 1, "\(statistics)")
            #expect(try server.connections().count == 1)
            #expect(try server.requestPaths().count == 24)
        }
    }
}
