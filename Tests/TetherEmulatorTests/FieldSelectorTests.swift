import Foundation
import Testing
@testable import TetherEmulator

extension EmulatorSuites {
    /// Per-type field selectors, as kube-apiserver v1.32 defines them: the
    /// field label conversion functions (pkg/apis/core/v1/conversion.go,
    /// pkg/apis/batch/v1/conversion.go, apimachinery runtime
    /// DefaultMetaV1FieldSelectorConversion, apiextensions crConverter) decide
    /// which labels are accepted and the 400 message for the others; the
    /// registries' ToSelectableFields (pkg/registry/core/pod/strategy.go,
    /// core/event/strategy.go, batch/job/strategy.go) compute the values.
    @Suite("field selectors: per-type fields (pods, events, secrets) and refusals", .timeLimit(.minutes(1)))
    struct FieldSelectorTests {
        @Test("kubectl get --field-selector selects pods by spec.nodeName, secrets by type, events by involvedObject.name")
        func perTypeFields() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("fields")
            var out = try await h.kubectl("create", "namespace", ns)
            #expect(out.status == 0, "\(out.stderr)")
            for (name, node) in [("a", "n1"), ("b", "n2")] {
                let r = try await h.http("POST", "/api/v1/namespaces/\(ns)/pods", body: """
                    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\(name)"},
                     "spec":{"nodeName":"\(node)","containers":[{"name":"c","image":"nginx"}]}}
                    """)
                #expect(r.code == 201, "\(r.body)")
            }
            out = try await h.kubectl("-n", ns, "get", "pods", "--field-selector", "spec.nodeName=n1", "-o", "name")
            #expect(out.status == 0 && out.stdout == "pod/a\n", "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "pods", "--field-selector", "spec.nodeName!=n1,metadata.name!=x", "-o", "name")
            #expect(out.stdout == "pod/b\n", "\(out.stdout) \(out.stderr)")

            let secret = try await h.http("POST", "/api/v1/namespaces/\(ns)/secrets", body: """
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"type":"example.com/custom","data":{"k":"dg=="}}
                """)
            #expect(secret.code == 201, "\(secret.body)")
            _ = try await h.kubectl("-n", ns, "create", "secret", "generic", "plain", "--from-literal=k=v")
            out = try await h.kubectl("-n", ns, "get", "secrets", "--field-selector", "type=example.com/custom", "-o", "name")
            #expect(out.stdout == "secret/s\n", "\(out.stdout) \(out.stderr)")

            let event = try await h.http("POST", "/api/v1/namespaces/\(ns)/events", body: """
                {"apiVersion":"v1","kind":"Event","metadata":{"name":"e1"},"reason":"Started","type":"Normal",
                 "involvedObject":{"kind":"Pod","name":"a","namespace":"\(ns)"},"source":{"component":"kubelet"}}
                """)
            #expect(event.code == 201, "\(event.body)")
            out = try await h.kubectl("-n", ns, "get", "events", "--field-selector",
                                      "involvedObject.kind=Pod,involvedObject.name=a,source=kubelet", "-o", "name")
            #expect(out.stdout == "event/e1\n", "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "events", "--field-selector", "involvedObject.name=b", "-o", "name")
            #expect(out.status == 0 && out.stdout.isEmpty, "\(out.stdout) \(out.stderr)")

            // A field the resource does not support is refused, as the API server does.
            out = try await h.kubectl("-n", ns, "get", "configmaps", "--field-selector", "data.k=v")
            #expect(out.status != 0
                    && out.stderr.contains(#""data.k" is not a known field selector: only "metadata.name", "metadata.namespace""#),
                    "\(out.stderr)")
            let refused = try await h.http("GET", "/api/v1/namespaces/\(ns)/pods?fieldSelector=spec.bogus%3Dx")
            #expect(refused.code == 400 && refused.body.contains("field label not supported: spec.bogus"), "\(refused.body)")
        }

        @Test("each kind's own refusal message; spec.host is read as spec.nodeName; escaped values; malformed terms")
        func refusalsAndSyntax() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("fieldsyntax")
            _ = try await h.kubectl("create", "namespace", ns)
            let cases: [(String, String)] = [
                // Node and Namespace conversions accept no metadata.namespace.
                ("/api/v1/nodes?fieldSelector=metadata.namespace%3Dx", "field label not supported: metadata.namespace"),
                ("/api/v1/namespaces?fieldSelector=metadata.namespace%3Dx", "field label not supported: metadata.namespace"),
                ("/apis/batch/v1/namespaces/\(ns)/jobs?fieldSelector=status.active%3D1",
                 #"field label \"status.active\" not supported for Job"#),
                // apps/v1 registers no conversion: ReplicaSet's status.replicas attribute is not selectable.
                ("/apis/apps/v1/namespaces/\(ns)/replicasets?fieldSelector=status.replicas%3D1",
                 #"\"status.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""#),
                ("/api/v1/namespaces/\(ns)/pods?fieldSelector=spec.nodeName", "invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'"),
                ("/api/v1/namespaces/\(ns)/pods?fieldSelector=spec.nodeName%3Da%5Cb", "invalid field selector: invalid escape sequence"),
            ]
            for (path, message) in cases {
                let r = try await h.http("GET", path)
                #expect(r.code == 400 && r.body.contains(message), "\(path): \(r.code) \(r.body)")
            }
            for (name, node) in [("a", "n,1"), ("b", "n2")] {
                let r = try await h.http("POST", "/api/v1/namespaces/\(ns)/pods", body: """
                    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\(name)"},
                     "spec":{"nodeName":"\(node)","containers":[{"name":"c","image":"nginx"}]}}
                    """)
                #expect(r.code == 201, "\(r.body)")
            }
            // The value's comma is escaped; spec.host is the v1 alias of spec.nodeName.
            var out = try await h.kubectl("-n", ns, "get", "pods", "--field-selector", #"spec.host=n\,1"#, "-o", "name")
            #expect(out.status == 0 && out.stdout == "pod/a\n", "\(out.stdout) \(out.stderr)")
            // hostNetwork is false when unset; restartPolicy carries its default.
            out = try await h.kubectl("-n", ns, "get", "pods", "--field-selector", "spec.hostNetwork=false,spec.restartPolicy=Always", "-o", "name")
            #expect(out.stdout == "pod/a\npod/b\n", "\(out.stdout) \(out.stderr)")
            // Jobs are selected by status.successful, read from status.succeeded.
            let job = try await h.http("POST", "/apis/batch/v1/namespaces/\(ns)/jobs", body: """
                {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},
                 "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}
                """)
            #expect(job.code == 201, "\(job.body)")
            let status = try await h.http("PATCH", "/apis/batch/v1/namespaces/\(ns)/jobs/j/status",
                                          body: #"{"status":{"succeeded":1}}"#, contentType: "application/merge-patch+json")
            #expect(status.code == 200, "\(status.body)")
            out = try await h.kubectl("-n", ns, "get", "jobs", "--field-selector", "status.successful=1", "-o", "name")
            #expect(out.stdout == "job.batch/j\n", "\(out.stdout) \(out.stderr)")
        }

        @Test("a watch with a field selector sees objects enter (ADDED) and leave (DELETED) the selection; a bad field is 400")
        func watchSelection() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("fieldwatch")
            _ = try await h.kubectl("create", "namespace", ns)
            let pod = try await h.http("POST", "/api/v1/namespaces/\(ns)/pods", body: """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}
                """)
            #expect(pod.code == 201, "\(pod.body)")
            async let watched = h.kubectl("-n", ns, "get", "pods", "-w", "--watch-only", "--field-selector", "status.phase=Running",
                                          "--output-watch-events", "-o", "json", "--request-timeout=5s", timeout: 8)
            for _ in 0..<100 {
                if await h.server.audit.entries.contains(where: { $0.verb == "watch" && $0.namespace == ns }) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            for phase in ["Running", "Succeeded"] {
                let r = try await h.http("PATCH", "/api/v1/namespaces/\(ns)/pods/p/status",
                                         body: #"{"status":{"phase":"\#(phase)"}}"#, contentType: "application/merge-patch+json")
                #expect(r.code == 200, "\(r.body)")
            }
            let out = try await watched
            // One event a line, its own type first (the pod's conditions may have "type" keys too).
            let types = out.stdout.split(separator: "\n").filter { $0.hasPrefix(#"{"type":""#) }
                .map { $0.dropFirst(9).prefix(while: { $0 != "\"" }) }
            #expect(types == ["ADDED", "DELETED"], "\(out.stdout) \(out.stderr)")
            let refused = try await h.http("GET", "/api/v1/namespaces/\(ns)/pods?watch=1&fieldSelector=spec.bogus%3Dx")
            #expect(refused.code == 400 && refused.body.contains("field label not supported: spec.bogus"), "\(refused.body)")
        }

        @Test("custom resources are selected by their CRD version's selectableFields; other fields are refused")
        func customResourceSelectableFields() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("crfields")
            _ = try await h.kubectl("create", "namespace", ns)
            let crd = try await h.http("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body: """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"widgets.fields.example.com"},
                 "spec":{"group":"fields.example.com","scope":"Namespaced",
                  "names":{"plural":"widgets","singular":"widget","kind":"Widget"},
                  "versions":[{"name":"v1","served":true,"storage":true,
                   "selectableFields":[{"jsonPath":".spec.color"},{"jsonPath":".spec.large"}],
                   "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object",
                    "properties":{"color":{"type":"string"},"large":{"type":"boolean"},"size":{"type":"integer"}}}}}}}]}}
                """)
            #expect(crd.code == 201, "\(crd.body)")
            for (name, color, large) in [("w1", "blue", true), ("w2", "red", false)] {
                let r = try await h.http("POST", "/apis/fields.example.com/v1/namespaces/\(ns)/widgets", body: """
                    {"apiVersion":"fields.example.com/v1","kind":"Widget","metadata":{"name":"\(name)"},
                     "spec":{"color":"\(color)","large":\(large),"size":3}}
                    """)
                #expect(r.code == 201, "\(r.body)")
            }
            var out = try await h.kubectl("-n", ns, "get", "widgets", "--field-selector", "spec.color=blue", "-o", "name")
            #expect(out.status == 0 && out.stdout == "widget.fields.example.com/w1\n", "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "widgets", "--field-selector", "spec.large=false", "-o", "name")
            #expect(out.stdout == "widget.fields.example.com/w2\n", "\(out.stdout) \(out.stderr)")
            let refused = try await h.http("GET", "/apis/fields.example.com/v1/namespaces/\(ns)/widgets?fieldSelector=spec.size%3D3")
            #expect(refused.code == 400 && refused.body.contains("field label not supported: spec.size"), "\(refused.body)")
        }
    }
}
