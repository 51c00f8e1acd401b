import Testing
import TetherModel

@testable import TetherRender

/// Small cases written inline into the in-memory filesystem.
@Suite("renderer inline cases")
struct RenderTests {
    static let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n"

    func render(_ files: [String: String], _ dir: String = "") throws -> String {
        try Renderer(fileSystem: MemoryFileSystem(files)).renderText(dir)
    }

    func error(_ files: [String: String], _ dir: String = "", limits: Renderer.Limits = .init()) -> RenderError? {
        #expect(throws: RenderError.self) { try Renderer(fileSystem: MemoryFileSystem(files), limits: limits).renderText(dir) }
    }

    @Test("renders a resource file unchanged")
    func plain() throws {
        let out = try render(["kustomization.yaml": "resources:\n- cm.yaml\n", "cm.yaml": Self.configMap])
        #expect(out == "apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  name: cm\n")
    }

    @Test("refuses an absolute resource path")
    func absolute() {
        let e = error(["kustomization.yaml": "resources:\n- /etc/passwd\n"])
        #expect(e?.code == .outsideRoot)
    }

    @Test("refuses a base above the root")
    func aboveRoot() {
        let e = error(["app/kustomization.yaml": "resources:\n- ../../elsewhere\n"], "app")
        #expect(e?.code == .outsideRoot)
        #expect(e?.description.hasPrefix("app/kustomization.yaml: ") == true)
    }

    @Test("a 24-level diamond of bases ends in a limit error, not 2^24 objects")
    func diamond() {
        var files: [String: String] = ["l0/kustomization.yaml": "resources:\n- cm.yaml\n", "l0/cm.yaml": Self.configMap]
        for level in 1...24 {
            for side in ["a", "b"] {
                files["l\(level)\(side)/kustomization.yaml"] =
                    "namePrefix: \(side)-\nresources:\n- ../l\(level - 1)\(level == 1 ? "" : "a")\n- ../l\(level - 1)\(level == 1 ? "" : "b")\n"
            }
        }
        files["l1a/kustomization.yaml"] = "namePrefix: a-\nresources:\n- ../l0\n"
        files["l1b/kustomization.yaml"] = "namePrefix: b-\nresources:\n- ../l0\n"
        let e = error(files, "l24a")
        #expect(e?.code == .limitExceeded)
    }

    @Test("unknown field is named with its line")
    func unknownField() {
        let e = error(["kustomization.yaml": "resources: []\nnamePrefx: x-\n"])
        #expect(e?.description.contains("unknown field 'namePrefx'") == true)
        #expect(e?.origin?.line == 2)
    }

    @Test("content hash matches kustomize for a literal ConfigMap")
    func hash() throws {
        let out = try render(["kustomization.yaml": "configMapGenerator:\n- name: app\n  literals:\n  - A=1\n  - B=\"two words\"\n  - C=x=y\n"])
        #expect(out.contains("name: app-hcdfhbmchk"))
    }
}
