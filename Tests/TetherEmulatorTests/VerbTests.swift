import Foundation
import Testing
@testable import TetherEmulator

extension EmulatorSuites {
    @Suite("verbs through kubectl and raw HTTP", .timeLimit(.minutes(1)))
    struct VerbTests {
        static func namespaceYAML(_ ns: String) -> String {
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \(ns)\n"
        }

        @Test("kubectl create, apply, label, patch, get -l and delete round-trip")
        func kubectlLifecycle() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("life")
            let created = try await h.kubectl("create", "-f", try h.file("ns.yaml", Self.namespaceYAML(ns)))
            #expect(created.status == 0, "\(created.stderr)")
            let deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: \(ns), labels: {app: web}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: "nginx:1"}]}
                """
            var out = try await h.kubectl("apply", "-f", try h.file("d1.yaml", deployment))
            #expect(out.status == 0 && out.stdout.contains("created"), "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("apply", "-f", try h.file("d2.yaml", deployment.replacingOccurrences(of: "nginx:1", with: "nginx:2")))
            #expect(out.stdout.contains("configured"), "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "deploy", "web", "-o",
                                      "jsonpath={.metadata.generation} {.spec.template.spec.containers[0].image}")
            #expect(out.stdout == "2 nginx:2", "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "label", "deploy", "web", "tier=front")
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "deploy", "-l", "tier in (front,back),app", "-o", "name")
            #expect(out.stdout == "deployment.apps/web\n", "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "deploy", "-l", "tier!=front", "-o", "name")
            #expect(out.stdout.isEmpty, "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "patch", "deploy", "web", "--type", "json",
                                      "-p", #"[{"op":"replace","path":"/spec/replicas","value":3}]"#)
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("get", "deploy", "-A", "-o", "jsonpath={.items[0].spec.replicas}")
            #expect(out.stdout == "3", "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "delete", "deploy", "web")
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "deploy", "web")
            #expect(out.status != 0 && out.stderr.contains("NotFound"), "\(out.stderr)")
            let log = await h.server.audit.entries
            #expect(log.contains { $0.verb == "apply" } == false)
            #expect(log.contains { $0.verb == "patch" && $0.resource?.resource == "deployments" && $0.code == 200 })
            #expect(log.contains { $0.verb == "delete" && $0.code == 200 })
        }

        @Test("errors are metav1.Status with the API server's codes and reasons")
        func statusCodes() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("codes")
            let cm = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"b"}}"#
            var r = try await h.http("POST", "/api/v1/namespaces/\(ns)/configmaps", body: cm)
            #expect(r.code == 404 && r.body.contains(#""message":"namespaces \"\#(ns)\" not found""#), "\(r.body)")
            r = try await h.http("POST", "/api/v1/namespaces", body: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(ns)"}}"#)
            #expect(r.code == 201)
            r = try await h.http("POST", "/api/v1/namespaces/\(ns)/configmaps", body: cm)
            #expect(r.code == 201)
            r = try await h.http("POST", "/api/v1/namespaces/\(ns)/configmaps", body: cm)
            #expect(r.code == 409 && r.body.contains(#""reason":"AlreadyExists""#), "\(r.body)")
            let stale = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","resourceVersion":"1"},"data":{"a":"c"}}"#
            r = try await h.http("PUT", "/api/v1/namespaces/\(ns)/configmaps/c", body: stale)
            #expect(r.code == 409 && r.body.contains(#""reason":"Conflict""#), "\(r.body)")
            r = try await h.http("DELETE", "/api/v1/namespaces/\(ns)/configmaps/missing")
            #expect(r.code == 404 && r.body.contains(#""details":{"name":"missing","kind":"configmaps"}"#), "\(r.body)")
            r = try await h.http("PATCH", "/api/v1/namespaces/\(ns)/configmaps/c", body: "{}", contentType: "text/plain")
            #expect(r.code == 415 && r.body.contains(#""reason":"UnsupportedMediaType""#), "\(r.body)")
            r = try await h.http("GET", "/api/v1/namespaces/\(ns)/configmaps?fieldSelector=metadata.name%3Dc&limit=1")
            #expect(r.code == 200 && r.body.contains(#""kind":"ConfigMapList""#), "\(r.body)")
        }

        @Test("list pages with limit and continue")
        func pagination() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("page")
            _ = try await h.http("POST", "/api/v1/namespaces", body: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(ns)"}}"#)
            for i in 0..<5 {
                _ = try await h.http("POST", "/api/v1/namespaces/\(ns)/configmaps",
                                     body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c\#(i)"}}"#)
            }
            let out = try await h.kubectl("-n", ns, "get", "cm", "--chunk-size=2", "-o", "name")
            #expect(out.stdout == (0..<5).map { "configmap/c\($0)\n" }.joined(), "\(out.stdout) \(out.stderr)")
            let pages = await h.server.audit.entries.filter { $0.verb == "list" && $0.namespace == ns }
            #expect(pages.count == 3)
        }

        @Test("kubectl get -w streams changes; a too-old resourceVersion gets a 410 ERROR event")
        func watch() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(watchHistoryLimit: 3))
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("watch")
            _ = try await h.http("POST", "/api/v1/namespaces", body: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(ns)"}}"#)
            async let watched = h.kubectl("-n", ns, "get", "cm", "-w", "--output-watch-events", "-o", "json",
                                          "--request-timeout=6s", timeout: 8)
            // Wait until the watch is open, then change things.
            for _ in 0..<100 {
                if await h.server.audit.entries.contains(where: { $0.verb == "watch" && $0.namespace == ns }) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            _ = try await h.http("POST", "/api/v1/namespaces/\(ns)/configmaps", body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"w"}}"#)
            _ = try await h.http("PATCH", "/api/v1/namespaces/\(ns)/configmaps/w", body: #"{"data":{"a":"b"}}"#,
                                 contentType: "application/merge-patch+json")
            _ = try await h.http("DELETE", "/api/v1/namespaces/\(ns)/configmaps/w")
            let out = try await watched
            #expect(out.stdout.contains(#""type":"ADDED""#), "\(out.stdout) \(out.stderr)")
            #expect(out.stdout.contains(#""type":"MODIFIED""#), "\(out.stdout)")
            #expect(out.stdout.contains(#""type":"DELETED""#), "\(out.stdout)")
            let gone = try await h.http("GET", "/api/v1/namespaces/\(ns)/configmaps?watch=1&resourceVersion=1&timeoutSeconds=1")
            #expect(gone.code == 200 && gone.body.contains(#""type":"ERROR""#) && gone.body.contains(#""code":410"#), "\(gone.body)")
        }
    }
}
