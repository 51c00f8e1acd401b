import Foundation
import Testing
@testable import TetherEmulator

extension EmulatorSuites {
    @Suite("discovery", .timeLimit(.minutes(1)))
    struct DiscoveryTests {
        @Test("kubectl api-resources lists the built-in resources with short names")
        func apiResources() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let out = try await h.kubectl("api-resources")
            #expect(out.status == 0, "\(out.stderr)")
            for row in ["deployments", "deploy", "configmaps", "customresourcedefinitions", "poddisruptionbudgets",
                        "horizontalpodautoscalers", "leases", "priorityclasses", "clusterrolebindings"] {
                #expect(out.stdout.contains(row), "missing \(row)")
            }
            let version = try await h.kubectl("version", "-o", "json")
            #expect(version.stdout.contains("v1.32"), "\(version.stdout) \(version.stderr)")
        }

        @Test("an unknown openapi v3 group version answers 404 with a Status")
        func openAPI() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let v3 = try await h.http("GET", "/openapi/v3/apis/nothing.example.com/v1")
            #expect(v3.code == 404)
            #expect(v3.body.contains(#""kind":"Status""#))
            let group = try await h.http("GET", "/apis/apps/v1")
            #expect(group.code == 200)
            #expect(group.body.contains(#""name":"deployments/scale""#))
        }
    }
}
