import Foundation
import Testing
@testable import TetherEmulator

extension EmulatorSuites {
    @Suite("kubectl scale, annotate, diff, delete --all; defaults and validation", .timeLimit(.minutes(1)))
    struct KubectlVerbTests {
        static func manifest(_ ns: String, image: String = "nginx:1.27") -> String {
            """
            apiVersion: v1
            kind: Namespace
            metadata: {name: \(ns)}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: \(ns)}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: "\(image)", ports: [{containerPort: 80}]}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: \(ns)}
            spec:
              selector: {app: web}
              ports: [{port: 80}]
            """
        }

        @Test("kubectl scale, annotate, diff and delete --all work; Deployment and Service get the API server's defaults")
        func kubectlVerbs() async throws {
            // Controllers off: a status write after the scale would move the resourceVersion the diff check compares.
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("verbs")
            var out = try await h.kubectl("apply", "-f", try h.file("m.yaml", Self.manifest(ns)))
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "deploy", "web", "-o", """
                jsonpath={.spec.replicas} {.spec.strategy.rollingUpdate.maxSurge} {.spec.revisionHistoryLimit} \
                {.spec.progressDeadlineSeconds} {.spec.template.spec.restartPolicy} {.spec.template.spec.dnsPolicy} \
                {.spec.template.spec.schedulerName} {.spec.template.spec.terminationGracePeriodSeconds} \
                {.spec.template.spec.containers[0].imagePullPolicy} {.spec.template.spec.containers[0].terminationMessagePath} \
                {.spec.template.spec.containers[0].ports[0].protocol}
                """)
            #expect(out.stdout == "1 25% 10 600 Always ClusterFirst default-scheduler 30 IfNotPresent /dev/termination-log TCP",
                    "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "svc", "web", "-o",
                                      "jsonpath={.spec.type} {.spec.clusterIP} {.spec.sessionAffinity} {.spec.ports[0].targetPort} {.spec.ipFamilies}")
            #expect(out.stdout == #"ClusterIP 10.96.0.10 None 80 ["IPv4"]"#, "\(out.stdout) \(out.stderr)")

            out = try await h.kubectl("-n", ns, "scale", "deploy", "web", "--replicas=4")
            #expect(out.status == 0 && out.stdout.contains("scaled"), "\(out.stderr)")
            let scale = try await h.http("GET", "/apis/apps/v1/namespaces/\(ns)/deployments/web/scale")
            #expect(scale.body.contains(#""kind":"Scale","apiVersion":"autoscaling/v1""#) && scale.body.contains(#""spec":{"replicas":4}"#),
                    "\(scale.body)")
            #expect(scale.body.contains(#""selector":"app=web""#), "\(scale.body)")

            out = try await h.kubectl("-n", ns, "annotate", "deploy", "web", "team=payments")
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.metadata.annotations.team}")
            #expect(out.stdout == "payments")

            let rv = try await h.kubectl("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.metadata.resourceVersion}")
            out = try await h.kubectl("diff", "-f", try h.file("m2.yaml", Self.manifest(ns, image: "nginx:1.28")))
            #expect(out.status == 1 && out.stdout.contains("-      - image: nginx:1.27") && out.stdout.contains("+      - image: nginx:1.28"),
                    "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("diff", "-f", try h.file("m3.yaml", Self.manifest(ns)))
            #expect(out.status == 0 && out.stdout.isEmpty, "\(out.stdout) \(out.stderr)")
            let rvAfter = try await h.kubectl("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.metadata.resourceVersion}")
            #expect(rv.stdout == rvAfter.stdout, "a diff must not write")

            for name in ["a", "b", "c"] {
                _ = try await h.http("POST", "/api/v1/namespaces/\(ns)/configmaps",
                                     body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)"}}"#)
            }
            out = try await h.kubectl("-n", ns, "delete", "cm", "--all")
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "cm", "-o", "name")
            #expect(out.stdout.isEmpty, "\(out.stdout)")
            let log = await h.server.audit.entries
            #expect(log.contains { $0.subresource == "scale" && $0.code == 200 })
            #expect(log.contains { $0.query.contains("dryRun=All") })
        }

        @Test("422 Invalid with causes for bad names, missing fields and immutable fields")
        func validation() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("invalid")
            var out = try await h.kubectl("apply", "-f", try h.file("m.yaml", Self.manifest(ns)))
            #expect(out.status == 0, "\(out.stderr)")
            var r = try await h.http("POST", "/apis/apps/v1/namespaces/\(ns)/deployments",
                                     body: #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"Bad_Name"},"spec":{"template":{"spec":{"containers":[]}}}}"#)
            #expect(r.code == 422, "\(r.body)")
            #expect(r.body.contains(#""message":"Deployment.apps \"Bad_Name\" is invalid: [metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"#), "\(r.body)")
            #expect(r.body.contains(#"{"reason":"FieldValueRequired","message":"Required value","field":"spec.selector"}"#), "\(r.body)")
            r = try await h.http("PATCH", "/apis/apps/v1/namespaces/\(ns)/deployments/web",
                                 body: #"{"spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}}}}}"#,
                                 contentType: "application/merge-patch+json")
            #expect(r.code == 422 && r.body.contains("field is immutable") && r.body.contains(#""field":"spec.selector""#), "\(r.body)")
            r = try await h.http("PATCH", "/api/v1/namespaces/\(ns)/services/web", body: #"{"spec":{"clusterIP":"10.96.9.9"}}"#,
                                 contentType: "application/merge-patch+json")
            #expect(r.code == 422 && r.body.contains("may not change once set"), "\(r.body)")
            out = try await h.kubectl("-n", ns, "create", "-f", try h.file("bad.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: UPPER}
                """))
            #expect(out.status != 0 && out.stderr.contains(#"The ConfigMap "UPPER" is invalid"#), "\(out.stderr)")
        }

        @Test("CBOR bodies get 415 UnsupportedMediaType rather than a decode error")
        func cborRefused() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let r = try await h.http("POST", "/api/v1/namespaces", body: "\u{A0}", contentType: "application/cbor")
            #expect(r.code == 415 && r.body.contains("UnsupportedMediaType"), "\(r.body)")
        }
    }
}
