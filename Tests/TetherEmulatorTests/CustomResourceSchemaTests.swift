import Foundation
import Testing
import TetherModel
@testable import TetherEmulator

extension EmulatorSuites {
    /// CRD structural schemas (apiextensions-apiserver: pkg/apis/apiextensions/validation
    /// for structural schemas, pkg/apiserver/schema/pruning and defaulting,
    /// kube-openapi validate for the 422 causes).
    @Suite("CRD structural schemas: validation, pruning, defaulting", .timeLimit(.minutes(1)))
    struct CustomResourceSchemaTests {
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
                        required: [size]
                        properties:
                          size: {type: integer, minimum: 1, maximum: 10}
                          color: {type: string, enum: [red, blue], default: red}
                          name: {type: string, maxLength: 5, pattern: '^[a-z]+$'}
                          tags: {type: array, maxItems: 2, items: {type: string}}
                          free: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """

        static func widget(_ name: String, _ spec: String) -> String {
            "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: \(name)}\nspec: \(spec)\n"
        }

        @Test("a CR that violates its schema gets the API server's 422 causes; defaults are set; unknown fields are refused or pruned")
        func validation() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("crd")
            _ = try await h.kubectl("create", "namespace", ns)
            var out = try await h.kubectl("apply", "-f", try h.file("crd.yaml", Self.crd))
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "apply", "-f", try h.file("w1.yaml", Self.widget("w1", "{size: 11, color: green}")))
            #expect(out.status != 0, "\(out.stdout)")
            #expect(out.stderr.contains(#"spec.color: Unsupported value: "green": supported values: "red", "blue""#), "\(out.stderr)")
            #expect(out.stderr.contains("spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10"), "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "apply", "-f", try h.file("w2.yaml", Self.widget("w2", "{color: blue}")))
            #expect(out.stderr.contains("spec.size: Required value"), "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "apply", "-f", try h.file("w3.yaml", Self.widget("w3", #"{size: "x", name: "TOOLONG", tags: [a, b, c]}"#)))
            #expect(out.stderr.contains(#"spec.size: Invalid value: "string": spec.size in body must be of type integer: "string""#), "\(out.stderr)")
            #expect(out.stderr.contains("spec.name: Too long: may not be more than 5 bytes"), "\(out.stderr)")
            #expect(out.stderr.contains(#"spec.name: Invalid value: "TOOLONG": spec.name in body should match '^[a-z]+$'"#), "\(out.stderr)")
            #expect(out.stderr.contains("spec.tags: Too many: 3: must have at most 2 items"), "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "apply", "-f", try h.file("w4.yaml", Self.widget("w4", "{size: 3, extra: 1}")))
            #expect(out.stderr.contains(#"strict decoding error: unknown field "spec.extra""#), "\(out.stderr)")
            // Warn (the default for clients other than kubectl): pruned with a warning; defaults set.
            let body = #"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w5"},"spec":{"size":3,"extra":1,"free":{"any":{"thing":1}}}}"#
            let created = try await h.http("POST", "/apis/example.com/v1/namespaces/\(ns)/widgets", body: body)
            #expect(created.code == 201, "\(created.body)")
            let stored = try JSONParsing().value(from: Array(created.body.utf8))
            #expect(stored[path: ["spec", "extra"]] == nil && stored[path: ["spec", "color"]]?.stringValue == "red"
                    && stored[path: ["spec", "free", "any", "thing"]]?.intValue == 1, "\(created.body)")
        }

        @Test("non-structural schemas and versions without a schema are rejected at CRD creation")
        func structural() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let bad = Self.crd.replacingOccurrences(of: "size: {type: integer, minimum: 1, maximum: 10}", with: "size: {minimum: 1}")
            var out = try await h.kubectl("apply", "-f", try h.file("bad.yaml", bad))
            #expect(out.status != 0 && out.stderr.contains(
                "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[size].type: Required value: must not be empty for specified object fields"),
                "\(out.stderr)")
            let none = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: things.example.com}\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {plural: things, kind: Thing}\n  versions: [{name: v1, served: true, storage: true}]\n"
            out = try await h.kubectl("apply", "-f", try h.file("none.yaml", none))
            #expect(out.stderr.contains("spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required"), "\(out.stderr)")
        }
    }
}
