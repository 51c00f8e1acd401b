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

        /// Aggregated discovery (KEP-3352; apiserver endpoints/discovery/aggregated):
        /// `/api` and `/apis` answer an APIGroupDiscoveryList when the Accept
        /// header asks for it first, with ETag and 304 on If-None-Match, so
        /// kubectl reads every group in two requests.
        @Test("aggregated discovery: kubectl api-resources reads /api and /apis only; ETag and 304; storageVersionHash")
        func aggregated() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let crd = try await h.http("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"gadgets.disc.example.com"},
                 "spec":{"group":"disc.example.com","scope":"Cluster",
                  "names":{"plural":"gadgets","singular":"gadget","kind":"Gadget","shortNames":["gd"]},
                  "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
                   "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
                """)
            #expect(crd.code == 201, "\(crd.body)")
            let out = try await h.kubectl("api-resources")
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stdout.contains("gadgets") && out.stdout.contains("disc.example.com/v1"), "\(out.stdout)")
            #expect(out.stdout.contains("deployments") && out.stdout.contains("apps/v1"), "\(out.stdout)")
            let discovery = await h.server.audit.entries.filter { $0.verb == "discovery" }.map(\.path)
            #expect(Set(discovery) == ["/api", "/apis"], "\(discovery)")

            let accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
            let args = ["curl", "-sS", "-D", "-", "-H", "Accept: \(accept)", "http://\(h.address)/apis"]
            let first = try await EmulatorHarness.run("/usr/bin/env", args, stdin: nil, timeout: 20)
            #expect(first.stdout.contains("Content-Type: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"),
                    "\(first.stdout.prefix(400))")
            #expect(first.stdout.contains(#""kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2""#))
            #expect(first.stdout.contains(#""resource":"gadgets","responseKind":{"group":"disc.example.com","version":"v1","kind":"Gadget"},"scope":"Cluster""#),
                    "\(first.stdout.prefix(400))")
            #expect(first.stdout.contains(#""subresources":[{"subresource":"status","responseKind":{"group":"disc.example.com","version":"v1","kind":"Gadget"},"verbs":["get","patch","update"]}]"#))
            #expect(first.stdout.contains(#"{"subresource":"scale","responseKind":{"group":"autoscaling","version":"v1","kind":"Scale"}"#))
            let etag = first.stdout.split(separator: "\r\n").first { $0.lowercased().hasPrefix("etag:") }
                .map { String($0.dropFirst(5)).trimmingCharacters(in: .whitespaces) } ?? ""
            #expect(!etag.isEmpty, "\(first.stdout.prefix(400))")
            let again = try await EmulatorHarness.run("/usr/bin/env", args + ["-H", "If-None-Match: \(etag)", "-o", "/dev/null", "-w", "%{http_code}"],
                                                      stdin: nil, timeout: 20)
            #expect(again.stdout.hasSuffix("304"), "\(again.stdout)")
            let core = try await EmulatorHarness.run("/usr/bin/env", ["curl", "-sS", "-H", "Accept: \(accept)", "http://\(h.address)/api"],
                                                     stdin: nil, timeout: 20)
            #expect(core.stdout.contains(#""items":[{"metadata":{"creationTimestamp":null},"versions":[{"version":"v1","resources":["#),
                    "\(core.stdout.prefix(300))")
            // Legacy discovery carries storageVersionHash: base64(sha256("/v1/ConfigMap")[:8]).
            let legacy = try await h.http("GET", "/api/v1")
            #expect(legacy.body.contains(#""name":"configmaps","singularName":"configmap","namespaced":true,"kind":"ConfigMap","verbs":["#), "\(legacy.body.prefix(300))")
            #expect(legacy.body.contains(#""storageVersionHash":"qFsyl6wFWjQ=""#), "\(legacy.body.prefix(600))")
        }
    }
}
