import Foundation
import Testing
@testable import TetherEmulator

extension EmulatorSuites {
    @Suite("simulated controllers", .timeLimit(.minutes(1)))
    struct ControllerTests {
        static func workloads(_ ns: String) -> String {
            """
            apiVersion: v1
            kind: Namespace
            metadata: {name: \(ns)}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: \(ns)}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: "nginx:1.27"}]}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: \(ns)}
            spec:
              replicas: 2
              serviceName: db
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {containers: [{name: db, image: "postgres:17"}]}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: \(ns)}
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent}}
                spec: {containers: [{name: agent, image: "busybox:1.36"}]}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate, namespace: \(ns)}
            spec:
              completions: 2
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: migrate, image: "busybox:1.36"}]
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data, namespace: \(ns)}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
            """
        }

        @Test("kubectl wait and rollout status see Deployments, StatefulSets, DaemonSets, Jobs and claims become ready")
        func kubectlWaits() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("ctrl")
            var out = try await h.kubectl("apply", "--server-side", "-f", try h.file("w.yaml", Self.workloads(ns)))
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "wait", "--for=condition=Available", "deployment/web", "--timeout=20s")
            #expect(out.status == 0 && out.stdout.contains("condition met"), "\(out.stdout) \(out.stderr)")
            for (workload, done) in [("deployment/web", #"deployment "web" successfully rolled out"#),
                                     ("statefulset/db", "partitioned roll out complete: 2 new pods have been updated..."),
                                     ("daemonset/agent", #"daemon set "agent" successfully rolled out"#)] {
                out = try await h.kubectl("-n", ns, "rollout", "status", workload, "--timeout=20s")
                #expect(out.status == 0 && out.stdout.contains(done), "\(workload): \(out.stdout) \(out.stderr)")
            }
            out = try await h.kubectl("-n", ns, "wait", "--for=condition=Complete", "job/migrate", "--timeout=20s")
            #expect(out.status == 0, "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "wait", "--for=jsonpath={.status.phase}=Bound", "pvc/data", "--timeout=20s")
            #expect(out.status == 0, "\(out.stdout) \(out.stderr)")

            out = try await h.kubectl("-n", ns, "get", "deploy", "web", "-o", """
                jsonpath={.metadata.generation} {.status.observedGeneration} {.status.replicas} {.status.updatedReplicas} \
                {.status.readyReplicas} {.status.availableReplicas} {.status.conditions[*].type}
                """)
            #expect(out.stdout == "1 1 3 3 3 3 Available Progressing", "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "job", "migrate", "-o",
                                      "jsonpath={.status.succeeded} {.status.conditions[*].type} {.status.completionTime}")
            #expect(out.stdout.hasPrefix("2 SuccessCriteriaMet Complete 20"), "\(out.stdout)")
            out = try await h.kubectl("-n", ns, "get", "pvc", "data", "-o", "jsonpath={.status.capacity.storage} {.status.accessModes}")
            #expect(out.stdout == #"1Gi ["ReadWriteOnce"]"#, "\(out.stdout)")
            let deployment = try await h.http("GET", "/apis/apps/v1/namespaces/\(ns)/deployments/web")
            #expect(deployment.body.contains(#""manager":"kube-controller-manager","operation":"Update""#)
                    && deployment.body.contains(#""subresource":"status""#), "\(deployment.body)")

            // A new rollout: generation 2 is observed a moment later, with the new ReplicaSet named.
            out = try await h.kubectl("-n", ns, "set", "image", "deployment/web", "web=nginx:1.28")
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "rollout", "status", "deployment/web", "--timeout=20s")
            #expect(out.status == 0 && out.stdout.contains("successfully rolled out"), "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.status.observedGeneration}")
            #expect(out.stdout == "2", "\(out.stdout)")
            let writes = await h.server.audit.entries.filter(\.isWrite)
            #expect(writes.allSatisfy { $0.userAgent.hasPrefix("kubectl") }, "controllers write in-process, not through the audit")
        }

        @Test("with controllers off nothing reports status; CRDs are still Established")
        func controllersOff() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false, controllerDelay: .milliseconds(10)))
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("noctrl")
            var out = try await h.kubectl("apply", "--server-side", "-f", try h.file("w.yaml", Self.workloads(ns)))
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "wait", "--for=condition=Available", "deployment/web", "--timeout=1s")
            #expect(out.status != 0, "\(out.stdout)")
            out = try await h.kubectl("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.status}")
            #expect(out.stdout.isEmpty || out.stdout == "{}", "\(out.stdout)")
            out = try await h.kubectl("apply", "-f", try h.file("crd.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.example.com}
                spec:
                  group: example.com
                  scope: Namespaced
                  names: {plural: widgets, kind: Widget}
                  versions:
                  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
                """))
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=20s")
            #expect(out.status == 0, "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("get", "crd", "widgets.example.com", "-o",
                                      "jsonpath={.status.acceptedNames.listKind} {.status.storedVersions}")
            #expect(out.stdout == #"WidgetList ["v1"]"#, "\(out.stdout)")
        }
    }
}
