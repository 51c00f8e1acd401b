import Foundation
import Testing
import TetherModel
@testable import TetherEmulator

extension EmulatorSuites {
    /// Server-side printing (pkg/printers/internalversion/printers.go for
    /// built-ins, apiextensions-apiserver's tableconvertor for CRDs), read
    /// through `kubectl get`, which asks for `as=Table`.
    @Suite("kubectl get prints the API server's Table columns", .timeLimit(.minutes(1)))
    struct TableTests {
        @Test("built-in kinds get their printer columns, -o wide adds the priority-1 columns, CRDs their additionalPrinterColumns")
        func columns() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("table")
            _ = try await h.kubectl("create", "namespace", ns)
            _ = try await h.kubectl("-n", ns, "create", "deployment", "web", "--image=nginx:1.27", "--replicas=2")
            _ = try await h.kubectl("-n", ns, "create", "configmap", "c", "--from-literal=a=b", "--from-literal=c=d")
            _ = try await h.kubectl("-n", ns, "create", "service", "clusterip", "svc", "--tcp=80:8080")
            var out = try await h.kubectl("-n", ns, "get", "deploy")
            #expect(out.stdout.hasPrefix("NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    0/2     0            0           "),
                    "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "deploy", "-o", "wide")
            #expect(out.stdout.contains("CONTAINERS   IMAGES       SELECTOR") && out.stdout.contains("nginx:1.27   app=web"),
                    "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "cm", "c")
            #expect(out.stdout.hasPrefix("NAME   DATA   AGE\nc      2      "), "\(out.stdout)")
            out = try await h.kubectl("-n", ns, "get", "svc")
            #expect(out.stdout.contains("TYPE        CLUSTER-IP") && out.stdout.contains("80/TCP"), "\(out.stdout)")
            out = try await h.kubectl("apply", "-f", try h.file("crd.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gadgets.example.com}
                spec:
                  group: example.com
                  scope: Namespaced
                  names: {plural: gadgets, singular: gadget, kind: Gadget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    additionalPrinterColumns:
                    - {name: Size, type: integer, jsonPath: .spec.size}
                    - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
                    schema:
                      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """))
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "apply", "-f", try h.file("g.yaml", """
                apiVersion: example.com/v1
                kind: Gadget
                metadata: {name: g1}
                spec: {size: 3}
                status: {conditions: [{type: Ready, status: "True"}]}
                """))
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "gadgets")
            #expect(out.stdout == "NAME   SIZE   READY\ng1     3      True\n", "\(out.stdout) \(out.stderr)")
        }

        @Test("HumanDuration buckets as apimachinery's duration package writes them")
        func ages() {
            #expect(TableColumn.humanDuration(5) == "5s")
            #expect(TableColumn.humanDuration(125) == "2m5s")
            #expect(TableColumn.humanDuration(3600 * 5 + 60 * 3) == "5h3m")
            #expect(TableColumn.humanDuration(3600 * 30) == "30h")
            #expect(TableColumn.humanDuration(86400 * 3 + 3600) == "3d1h")
        }
    }
}
