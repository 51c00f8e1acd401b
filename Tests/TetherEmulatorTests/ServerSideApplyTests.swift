import Foundation
import Testing
@testable import TetherEmulator

extension EmulatorSuites {
    @Suite("server-side apply: managedFields, conflicts, force, removal", .timeLimit(.minutes(1)))
    struct ServerSideApplyTests {
        static func deployment(_ ns: String, replicas: Int = 2, image: String = "nginx:1", labels: String = "{app: web, tier: front}") -> String {
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: \(ns), labels: \(labels)}
            spec:
              replicas: \(replicas)
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: "\(image)", ports: [{containerPort: 80}]}]}
            """
        }

        static func namespace(_ h: EmulatorHarness, _ prefix: String) async throws -> String {
            let ns = EmulatorHarness.namespace(prefix)
            let r = try await h.http("POST", "/api/v1/namespaces", body: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(ns)"}}"#)
            #expect(r.code == 201, "\(r.body)")
            return ns
        }

        @Test("a Secret's stringData is stored as base64 data and never returned; type defaults to Opaque; re-applying writes nothing")
        func secretStringData() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = try await Self.namespace(h, "secret")
            let manifest = """
                apiVersion: v1
                kind: Secret
                metadata: {name: db, namespace: \(ns)}
                data: {user: YWRtaW4=, password: b2xk}
                stringData: {password: s3cret, token: "ünïcode"}
                """
            var out = try await h.kubectl("apply", "--server-side", "-f", try h.file("s.yaml", manifest))
            #expect(out.status == 0, "\(out.stderr)")
            let stored = try await h.kubectl("-n", ns, "get", "secret", "db", "-o", "json")
            let object = try JSONSerialization.jsonObject(with: Data(stored.stdout.utf8)) as? [String: Any]
            #expect(object?["stringData"] == nil, "\(stored.stdout)")
            #expect(object?["type"] as? String == "Opaque")
            let data = object?["data"] as? [String: String] ?? [:]
            // stringData wins over a data key of the same name.
            #expect(data == ["user": "YWRtaW4=", "password": "czNjcmV0", "token": Data("ünïcode".utf8).base64EncodedString()], "\(data)")
            let rv1 = try await h.kubectl("-n", ns, "get", "secret", "db", "-o", "jsonpath={.metadata.resourceVersion}")
            out = try await h.kubectl("apply", "--server-side", "-f", try h.file("s.yaml", manifest))
            #expect(out.status == 0, "\(out.stderr)")
            let rv2 = try await h.kubectl("-n", ns, "get", "secret", "db", "-o", "jsonpath={.metadata.resourceVersion}")
            #expect(rv1.stdout == rv2.stdout && !rv1.stdout.isEmpty, "the same apply again changes nothing")
        }

        @Test("kubectl apply --server-side records managedFields; a second manager conflicts until --force-conflicts")
        func kubectlConflictAndForce() async throws {
            // Controllers off: their status writes would move resourceVersions this test compares.
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = try await Self.namespace(h, "ssa")
            var out = try await h.kubectl("apply", "--server-side", "-f", try h.file("d1.yaml", Self.deployment(ns)))
            #expect(out.status == 0 && out.stdout.contains("serverside-applied"), "\(out.stdout) \(out.stderr)")
            let fields = try await h.kubectl("-n", ns, "get", "deploy", "web", "--show-managed-fields", "-o",
                                             "jsonpath={.metadata.managedFields[0].manager} {.metadata.managedFields[0].operation} {.metadata.managedFields[0].fieldsV1}")
            #expect(fields.stdout.hasPrefix("kubectl Apply {"), "\(fields.stdout) \(fields.stderr)")
            #expect(fields.stdout.contains(#""k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{}"#), "\(fields.stdout)")
            #expect(fields.stdout.contains(#""f:labels":{"f:app":{},"f:tier":{}}"#), "\(fields.stdout)")
            #expect(fields.stdout.contains(#""f:replicas":{}"#) && fields.stdout.contains(#""f:selector":{}"#), "\(fields.stdout)")
            #expect(fields.stdout.contains(#"k:{\"containerPort\":80,\"protocol\":\"TCP\"}"#), "\(fields.stdout)")

            // Applying the same thing again writes nothing.
            let rv1 = try await h.kubectl("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.metadata.resourceVersion}")
            out = try await h.kubectl("apply", "--server-side", "-f", try h.file("d1.yaml", Self.deployment(ns)))
            #expect(out.status == 0, "\(out.stderr)")
            let rv2 = try await h.kubectl("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.metadata.resourceVersion}")
            #expect(rv1.stdout == rv2.stdout && !rv1.stdout.isEmpty)

            // Another manager changing replicas conflicts.
            let other = try h.file("d2.yaml", Self.deployment(ns, replicas: 5, labels: "{app: web}"))
            out = try await h.kubectl("apply", "--server-side", "--field-manager=other", "-f", other)
            #expect(out.status != 0, "\(out.stdout)")
            #expect(out.stderr.contains(#"Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas"#), "\(out.stderr)")

            // Forced, it takes the field over.
            out = try await h.kubectl("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", other)
            #expect(out.status == 0, "\(out.stderr)")
            let after = try await h.kubectl("-n", ns, "get", "deploy", "web", "--show-managed-fields", "-o", "json")
            #expect(after.stdout.contains(#""replicas": 5"#), "\(after.stdout)")
            let data = Data(after.stdout.utf8)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let managed = try #require((object["metadata"] as? [String: Any])?["managedFields"] as? [[String: Any]])
            let byName = Dictionary(uniqueKeysWithValues: managed.map { ($0["manager"] as? String ?? "", $0) })
            let kubectlSpec = (byName["kubectl"]?["fieldsV1"] as? [String: Any])?["f:spec"] as? [String: Any]
            let otherSpec = (byName["other"]?["fieldsV1"] as? [String: Any])?["f:spec"] as? [String: Any]
            #expect(kubectlSpec?["f:replicas"] == nil, "kubectl lost replicas: \(managed)")
            #expect(otherSpec?["f:replicas"] != nil, "\(managed)")

            // kubectl stops applying the tier label: nobody else owns it, so it goes.
            out = try await h.kubectl("apply", "--server-side", "-f",
                                      try h.file("d3.yaml", Self.deployment(ns, replicas: 5, labels: "{app: web}")))
            #expect(out.status == 0, "\(out.stderr)")
            let labels = try await h.kubectl("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.metadata.labels}")
            #expect(labels.stdout == #"{"app":"web"}"#, "\(labels.stdout)")
        }

        @Test("conflicts come back as a 409 Status with FieldManagerConflict causes; fieldManager is required")
        func conflictStatus() async throws {
            // Controllers off: their status writes would move resourceVersions this test compares.
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = try await Self.namespace(h, "ssa-http")
            let path = "/api/v1/namespaces/\(ns)/configmaps/c"
            var r = try await h.http("PATCH", path, body: "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: '1', b: '2'}}",
                                     contentType: "application/apply-patch+yaml")
            #expect(r.code == 400 && r.body.contains("require a fieldManager"), "\(r.body)")
            r = try await h.http("PATCH", path + "?fieldManager=alice", body: "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: '1', b: '2'}}",
                                 contentType: "application/apply-patch+yaml")
            #expect(r.code == 201, "\(r.body)")
            r = try await h.http("PATCH", path + "?fieldManager=bob", body: "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: 'x', b: 'y', c: '3'}}",
                                 contentType: "application/apply-patch+yaml")
            #expect(r.code == 409, "\(r.body)")
            #expect(r.body.contains(#""message":"Apply failed with 2 conflicts: conflicts with \"alice\"\n- .data.a\n- .data.b""#), "\(r.body)")
            #expect(r.body.contains(#""reason":"Conflict""#))
            #expect(r.body.contains(#"{"reason":"FieldManagerConflict","message":"conflict with \"alice\"","field":".data.a"}"#), "\(r.body)")
            // Same values are shared ownership, not a conflict.
            r = try await h.http("PATCH", path + "?fieldManager=bob", body: "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: '1', c: '3'}}",
                                 contentType: "application/apply-patch+yaml")
            #expect(r.code == 200, "\(r.body)")
            // A merge patch is an Update by its manager and takes the field from both appliers.
            r = try await h.http("PATCH", path + "?fieldManager=editor", body: #"{"data":{"a":"9"}}"#,
                                 contentType: "application/merge-patch+json")
            #expect(r.code == 200 && r.body.contains(#""manager":"editor","operation":"Update""#), "\(r.body)")
            // alice drops a: editor still owns it, so it stays; alice drops b: nobody else owns it, so it goes.
            r = try await h.http("PATCH", path + "?fieldManager=alice", body: "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}",
                                 contentType: "application/apply-patch+yaml")
            #expect(r.code == 200 && r.body.contains(#""data":{"a":"9","c":"3"}"#), "\(r.body)")
        }

        @Test("create and client-side apply record Update managers; a first server-side apply conflicts with them")
        func updateManagers() async throws {
            // Without controllers, so no status writer joins the managers.
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = try await Self.namespace(h, "ssa-csa")
            var out = try await h.kubectl("apply", "-f", try h.file("d1.yaml", Self.deployment(ns)))
            #expect(out.status == 0, "\(out.stderr)")
            let managers = try await h.kubectl("-n", ns, "get", "deploy", "web", "--show-managed-fields", "-o",
                                               "jsonpath={.metadata.managedFields[*].manager}/{.metadata.managedFields[*].operation}")
            #expect(managers.stdout == "kubectl-client-side-apply/Update", "\(managers.stdout)")
            out = try await h.kubectl("apply", "--server-side", "--field-manager=flux", "-f", try h.file("d2.yaml", Self.deployment(ns, replicas: 7)))
            #expect(out.status != 0 && out.stderr.contains(#"conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas"#),
                    "\(out.stderr)")
        }
    }
}
