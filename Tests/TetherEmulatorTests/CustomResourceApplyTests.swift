import Foundation
import Testing
import TetherModel
@testable import TetherEmulator

extension EmulatorSuites {
    /// Server-side apply of custom resources by their CRD schema's list and map
    /// types (apiextensions-apiserver builds the structured-merge-diff type
    /// from `x-kubernetes-list-type`, `x-kubernetes-list-map-keys` and
    /// `x-kubernetes-map-type`; an array without a list type is atomic), and
    /// the scale subresource's paths (apiextensions-apiserver
    /// pkg/registry/customresource: scaleFromCustomResource; CRD validation of
    /// specReplicasPath, statusReplicasPath and labelSelectorPath).
    @Suite("custom resources: server-side apply list types, scale subresource paths", .timeLimit(.minutes(1)))
    struct CustomResourceApplyTests {
        static let crd = """
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
                subresources:
                  status: {}
                  scale: {specReplicasPath: .spec.count, statusReplicasPath: .status.count, labelSelectorPath: .status.selector}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          count: {type: integer}
                          ports:
                            type: array
                            x-kubernetes-list-type: map
                            x-kubernetes-list-map-keys: [name]
                            items:
                              type: object
                              required: [name]
                              properties:
                                name: {type: string}
                                port: {type: integer}
                          tags:
                            type: array
                            x-kubernetes-list-type: set
                            items: {type: string}
                          steps:
                            type: array
                            items: {type: string}
                          target:
                            type: object
                            x-kubernetes-map-type: atomic
                            properties:
                              host: {type: string}
                              path: {type: string}
                      status:
                        type: object
                        properties:
                          count: {type: integer}
                          selector: {type: string}
            """

        static func gadget(_ ns: String, _ spec: String) -> String {
            "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g, namespace: \(ns)}\nspec: \(spec)\n"
        }

        static func setUp(_ h: EmulatorHarness, _ prefix: String) async throws -> String {
            let ns = EmulatorHarness.namespace(prefix)
            var out = try await h.kubectl("create", "namespace", ns)
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("apply", "-f", try h.file("crd.yaml", Self.crd))
            #expect(out.status == 0, "\(out.stderr)")
            return ns
        }

        @Test("a second manager adding a keyed element of an x-kubernetes-list-type map list merges; changing another's element conflicts")
        func listMap() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = try await Self.setUp(h, "crssa")
            var out = try await h.kubectl("apply", "--server-side", "--field-manager=a", "-f",
                                          try h.file("a.yaml", Self.gadget(ns, "{ports: [{name: http, port: 80}], tags: [x], steps: [one], target: {host: h1}}")))
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("apply", "--server-side", "--field-manager=b", "-f",
                                      try h.file("b.yaml", Self.gadget(ns, "{ports: [{name: metrics, port: 9090}], tags: [y]}")))
            #expect(out.status == 0, "a new keyed element and a new set member merge: \(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "gadget", "g", "-o", "jsonpath={.spec.ports} {.spec.tags}")
            #expect(out.stdout == #"[{"name":"http","port":80},{"name":"metrics","port":9090}] ["x","y"]"#, "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "gadget", "g", "--show-managed-fields", "-o", "json")
            #expect(out.stdout.contains(#""k:{\"name\":\"metrics\"}""#) && out.stdout.contains(#""v:\"y\"""#), "\(out.stdout)")

            // Changing the element manager a owns conflicts on that element's field only.
            out = try await h.kubectl("apply", "--server-side", "--field-manager=b", "-f",
                                      try h.file("b2.yaml", Self.gadget(ns, "{ports: [{name: metrics, port: 9090}, {name: http, port: 8080}], tags: [y]}")))
            #expect(out.status != 0, "\(out.stdout)")
            #expect(out.stderr.contains(#"Apply failed with 1 conflict: conflict with "a": .spec.ports[name="http"].port"#), "\(out.stderr)")

            // An array without a list type and an atomic map are owned whole: another manager's value conflicts.
            out = try await h.kubectl("apply", "--server-side", "--field-manager=b", "-f",
                                      try h.file("b3.yaml", Self.gadget(ns, "{ports: [{name: metrics, port: 9090}], tags: [y], steps: [two], target: {path: /p}}")))
            #expect(out.status != 0, "\(out.stdout)")
            #expect(out.stderr.contains("Apply failed with 2 conflicts") && out.stderr.contains(".spec.steps")
                    && out.stderr.contains(".spec.target"), "\(out.stderr)")

            // Manager a dropping its element removes it; b's stays.
            out = try await h.kubectl("apply", "--server-side", "--field-manager=a", "-f",
                                      try h.file("a2.yaml", Self.gadget(ns, "{tags: [x], steps: [one], target: {host: h1}}")))
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "gadget", "g", "-o", "jsonpath={.spec.ports}")
            #expect(out.stdout == #"[{"name":"metrics","port":9090}]"#, "\(out.stdout)")
        }

        @Test("the scale subresource reads the CRD's specReplicasPath, statusReplicasPath and labelSelectorPath")
        func scalePaths() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = try await Self.setUp(h, "crscale")
            var out = try await h.kubectl("apply", "-f", try h.file("g.yaml", Self.gadget(ns, "{count: 2}")))
            #expect(out.status == 0, "\(out.stderr)")
            let status = try await h.http("PATCH", "/apis/example.com/v1/namespaces/\(ns)/gadgets/g/status",
                                          body: #"{"status":{"count":2,"selector":"app=gadget,tier in (a,b)"}}"#,
                                          contentType: "application/merge-patch+json")
            #expect(status.code == 200, "\(status.body)")
            var scale = try await h.http("GET", "/apis/example.com/v1/namespaces/\(ns)/gadgets/g/scale")
            #expect(scale.body.contains(#""spec":{"replicas":2}"#) && scale.body.contains(#""status":{"replicas":2,"selector":"app=gadget,tier in (a,b)"}"#),
                    "\(scale.body)")
            out = try await h.kubectl("-n", ns, "scale", "gadget", "g", "--replicas=5")
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "gadget", "g", "-o", "jsonpath={.spec.count}")
            #expect(out.stdout == "5", "\(out.stdout) \(out.stderr)")
            scale = try await h.http("GET", "/apis/example.com/v1/namespaces/\(ns)/gadgets/g/scale")
            #expect(scale.body.contains(#""spec":{"replicas":5}"#), "\(scale.body)")

            // Paths outside .spec / .status are refused when the CRD is created.
            let bad = Self.crd.replacingOccurrences(of: "gadgets", with: "gizmos").replacingOccurrences(of: "gadget", with: "gizmo")
                .replacingOccurrences(of: "Gadget", with: "Gizmo")
                .replacingOccurrences(of: "labelSelectorPath: .status.selector", with: "labelSelectorPath: .metadata.labels")
            out = try await h.kubectl("apply", "-f", try h.file("bad.yaml", bad))
            #expect(out.status != 0, "\(out.stdout)")
            #expect(out.stderr.contains(#"spec.versions[0].subresources.scale.labelSelectorPath: Invalid value: ".metadata.labels": should be a json path under either .spec or .status"#),
                    "\(out.stderr)")
        }

        @Test("the apply schema of a CRD: list types, keys, atomic maps, ObjectMeta for metadata")
        func applyNode() throws {
            let crd = try #require(try YAMLDecoder().decode(Self.crd, file: "crd.yaml").first?.value)
            let schema = try #require(crd[path: ["spec", "versions"]]?.listValue?.first?[path: ["schema", "openAPIV3Schema"]])
            let root = CustomResourceSchema.applyNode(schema)
            let spec = root.field("spec")
            #expect(spec?.field("ports")?.listType == "map" && spec?.field("ports")?.listMapKeys == ["name"])
            #expect(spec?.field("tags")?.listType == "set")
            #expect(spec?.field("steps")?.listType == "atomic")
            #expect(spec?.field("target")?.mapType == "atomic")
            #expect(root.field("metadata")?.field("labels") != nil, "metadata is ObjectMeta")
        }
    }
}
