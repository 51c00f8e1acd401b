import Foundation
import Testing
import TetherModel
@testable import TetherEmulator

extension EmulatorSuites {
    /// `/openapi/v3` and `/openapi/v2` as kube-apiserver publishes them
    /// (k8s.io/kube-openapi handler3: an index of group-version documents with
    /// hashes; CRD schemas from apiextensions-apiserver's builder), checked with
    /// `kubectl explain`, which reads them.
    @Suite("OpenAPI documents and kubectl explain", .timeLimit(.minutes(1)))
    struct OpenAPITests {
        static let crd = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        description: The widget's wishes.
                        properties:
                          size: {type: integer, description: How big the widget is.}
                        required: [size]
            """

        @Test("kubectl explain works for built-in kinds, nested fields and CRDs")
        func explain() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            var out = try await h.kubectl("explain", "deployment.spec.strategy")
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stdout.contains("KIND:       Deployment") && out.stdout.contains("rollingUpdate\t<RollingUpdateDeployment>"),
                    "\(out.stdout)")
            out = try await h.kubectl("explain", "pod.spec.containers.resources")
            #expect(out.status == 0 && out.stdout.contains("limits\t<map[string]Quantity>"), "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("explain", "deploy.spec.strategy.rollingUpdate.maxSurge")
            #expect(out.stdout.contains("FIELD: maxSurge <IntOrString>"), "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("apply", "-f", try h.file("crd.yaml", Self.crd))
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("explain", "widgets.spec")
            #expect(out.status == 0 && out.stdout.contains("The widget's wishes.")
                    && out.stdout.contains("size\t<integer> -required-"), "\(out.stdout) \(out.stderr)")
        }

        @Test("/openapi/v3 lists every served group version; each document has the kinds' schemas and PATCH fieldValidation")
        func documents() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let index = try await h.http("GET", "/openapi/v3")
            #expect(index.code == 200)
            let paths = try JSONParsing().value(from: Array(index.body.utf8))["paths"]
            #expect(paths?["api/v1"]?["serverRelativeURL"]?.stringValue?.hasPrefix("/openapi/v3/api/v1?hash=") == true)
            #expect(paths?["apis/apps/v1"] != nil)
            let apps = try await h.http("GET", "/openapi/v3/apis/apps/v1")
            let doc = try JSONParsing().value(from: Array(apps.body.utf8))
            let deployment = doc[path: ["components", "schemas", "io.k8s.api.apps.v1.Deployment"]]
            #expect(deployment?["x-kubernetes-group-version-kind"] != nil)
            #expect(doc[path: ["components", "schemas", "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]] != nil,
                    "referenced definitions are included")
            let patch = doc[path: ["paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "patch"]]
            #expect(patch?["parameters"]?.listValue?.contains { $0["name"]?.stringValue == "fieldValidation" } == true)
            #expect(try await h.http("GET", "/openapi/v3/apis/nothing.example/v1").code == 404)
            let v2 = try await h.http("GET", "/openapi/v2")
            let swagger = try JSONParsing().value(from: Array(v2.body.utf8))
            #expect(swagger["swagger"]?.stringValue == "2.0")
            #expect(swagger[path: ["definitions", "io.k8s.api.core.v1.Pod", "properties", "spec", "$ref"]]?.stringValue
                    == "#/definitions/io.k8s.api.core.v1.PodSpec")
        }
    }
}
