import Testing
import TetherModel

@testable import TetherRender

/// Builtin plugin configurations: what is refused and why, and the
/// validator contract. (Output matches kubectl kustomize in the fixtures
/// `plugin-*` and the krusty corpus.)
@Suite("builtin plugin configurations")
struct PluginTests {
    static let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n"

    func error(_ files: [String: String]) -> RenderError? {
        #expect(throws: RenderError.self) { try Renderer(fileSystem: MemoryFileSystem(files)).renderText("") }
    }

    @Test("a KRM function is refused, naming the file, the kind and that no program runs")
    func krmFunction() {
        let e = error([
            "kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- fn.yaml\n", "cm.yaml": Self.configMap,
            "fn.yaml": """
                apiVersion: example.com/v1
                kind: SetTeam
                metadata:
                  name: set-team
                  annotations:
                    config.kubernetes.io/function: |
                      container:
                        image: example.com/set-team:v1
                """,
        ])
        #expect(e?.code == .unsupportedField)
        let text = e?.description ?? ""
        #expect(text.hasPrefix("fn.yaml:"))
        #expect(text.contains("SetTeam") && text.contains("KRM function") && text.contains("never runs programs"))
    }

    @Test("the Helm builtin is refused with the file named")
    func helm() {
        let e = error([
            "kustomization.yaml": "generators:\n- helm.yaml\n",
            "helm.yaml": "apiVersion: builtin\nkind: HelmChartInflationGenerator\nmetadata:\n  name: chart\nname: nginx\n",
        ])
        #expect(e?.code == .unsupportedField)
        #expect(e?.description.hasPrefix("helm.yaml:") == true)
    }

    @Test("a validator that would change an object fails the build")
    func validatorChanges() {
        let e = error([
            "kustomization.yaml": "resources:\n- cm.yaml\nvalidators:\n- |-\n  apiVersion: builtin\n  kind: LabelTransformer\n  metadata:\n    name: l\n  labels:\n    a: b\n  fieldSpecs:\n  - path: metadata/labels\n    create: true\n",
            "cm.yaml": Self.configMap,
        ])
        #expect(e?.description.contains("validator shouldn't modify the resource map") == true)
    }

    @Test("a validator that changes nothing passes and leaves the output alone")
    func validatorPasses() throws {
        let files = [
            "kustomization.yaml": "resources:\n- cm.yaml\nvalidators:\n- |-\n  apiVersion: builtin\n  kind: LabelTransformer\n  metadata:\n    name: l\n  labels:\n    a: b\n  fieldSpecs:\n  - path: spec/nothing\n",
            "cm.yaml": Self.configMap,
        ]
        let out = try Renderer(fileSystem: MemoryFileSystem(files)).renderText("")
        #expect(out == "apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  name: cm\n")
    }

    @Test("SortOrderTransformer is refused as kustomize v5.5.0 refuses it")
    func sortOrder() {
        let e = error([
            "kustomization.yaml": "resources:\n- cm.yaml\ntransformers:\n- |-\n  apiVersion: builtin\n  kind: SortOrderTransformer\n  metadata:\n    name: s\n  sortOptions:\n    order: fifo\n",
            "cm.yaml": Self.configMap,
        ])
        #expect(e?.description.contains("unable to load builtin SortOrderTransformer") == true)
    }
}
