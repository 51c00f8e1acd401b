import Foundation
import Testing
import TetherModel

@testable import TetherRender

/// Hostile inputs end in a clear ``RenderError`` well within a second.
@Suite("adversarial inputs")
struct AdversarialTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var files: [String: String]
        var directory = ""
        var code: RenderError.Code
        var fragment: String
        var description: String { name }
    }

    static let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n"

    static func diamond(levels: Int) -> [String: String] {
        var files: [String: String] = ["l0/kustomization.yaml": "resources:\n- cm.yaml\n", "l0/cm.yaml": configMap]
        for level in 1...levels {
            for side in ["a", "b"] {
                let below = level == 1 ? ["../l0"] : ["../l\(level - 1)a", "../l\(level - 1)b"]
                files["l\(level)\(side)/kustomization.yaml"] =
                    "namePrefix: \(side)-\nresources:\n" + below.map { "- \($0)\n" }.joined()
            }
        }
        return files
    }

    static var aliasBomb: String {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { text += "  a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        return text
    }

    static let cases: [Case] = [
        Case(name: "24-level diamond of bases", files: diamond(levels: 24), directory: "l24a", code: .limitExceeded, fragment: "diamond"),
        Case(
            name: "resource path climbs above the root", files: ["app/kustomization.yaml": "resources:\n- ../../../etc\n"], directory: "app",
            code: .outsideRoot, fragment: "outside the root"),
        Case(name: "absolute resource path", files: ["kustomization.yaml": "resources:\n- /etc/passwd\n"], code: .outsideRoot, fragment: "outside the root"),
        Case(
            name: "patch file outside the kustomization directory",
            files: ["app/kustomization.yaml": "resources:\n- cm.yaml\npatches:\n- path: ../secret.yaml\n", "app/cm.yaml": configMap, "secret.yaml": configMap],
            directory: "app", code: .outsideRoot, fragment: "is not in or below"),
        Case(
            name: "remote base URL", files: ["kustomization.yaml": "resources:\n- https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0\n"],
            code: .remoteRefused, fragment: "remote URL"),
        Case(
            name: "git SSH base", files: ["kustomization.yaml": "resources:\n- git@github.com:org/repo.git//base\n"], code: .remoteRefused,
            fragment: "remote URL"),
        Case(
            name: "bases include each other",
            files: ["a/kustomization.yaml": "resources:\n- ../b\n", "b/kustomization.yaml": "resources:\n- ../a\n"], directory: "a",
            code: .cycle, fragment: "include each other"),
        Case(
            name: "component includes itself",
            files: [
                "kustomization.yaml": "components:\n- c\n",
                "c/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncomponents:\n- .\n",
            ], code: .cycle, fragment: "include each other"),
        Case(
            name: "YAML alias bomb", files: ["kustomization.yaml": "resources:\n- bomb.yaml\n", "bomb.yaml": aliasBomb],
            code: .invalidResource, fragment: "alias"),
        Case(
            name: "50 MB document", files: ["kustomization.yaml": "resources:\n- big.yaml\n", "big.yaml": configMap + "  big: " + String(repeating: "x", count: 50 << 20) + "\n"],
            code: .limitExceeded, fragment: "larger than"),
        Case(
            name: "JSON patch with a bad operation",
            files: [
                "kustomization.yaml": "resources:\n- cm.yaml\npatches:\n- target:\n    kind: ConfigMap\n  patch: |-\n    - op: frobnicate\n      path: /data/a\n",
                "cm.yaml": configMap,
            ], code: .invalidPatch, fragment: "frobnicate"),
        Case(
            name: "JSON patch removing a missing path",
            files: [
                "kustomization.yaml": "resources:\n- cm.yaml\npatches:\n- target:\n    kind: ConfigMap\n  patch: |-\n    - op: remove\n      path: /data/missing\n",
                "cm.yaml": configMap,
            ], code: .invalidPatch, fragment: "ConfigMap/cm"),
        Case(
            name: "strategic merge patch that is a string",
            files: ["kustomization.yaml": "resources:\n- cm.yaml\npatches:\n- patch: just words\n", "cm.yaml": configMap],
            code: .invalidPatch, fragment: "must be a map"),
        Case(
            name: "replacement into a missing field",
            files: [
                "kustomization.yaml": "resources:\n- cm.yaml\nreplacements:\n- source:\n    kind: ConfigMap\n    fieldPath: data.a\n  targets:\n  - select:\n      kind: ConfigMap\n    fieldPaths:\n    - data.nope.deeper\n",
                "cm.yaml": configMap,
            ], code: .noMatch, fragment: "unable to find field"),
    ]

    @Test("hostile input ends in a clear error promptly", arguments: cases)
    func hostile(_ c: Case) {
        let start = ContinuousClock.now
        let error = #expect(throws: RenderError.self) {
            try Renderer(fileSystem: MemoryFileSystem(c.files)).renderText(c.directory)
        }
        let elapsed = ContinuousClock.now - start
        #expect(error?.code == c.code, "\(error.map(String.init(describing:)) ?? "no error")")
        #expect(error?.description.contains(c.fragment) == true, "\(error.map(String.init(describing:)) ?? "no error")")
        #expect(elapsed < .seconds(10), "a hang guard, not a speed target (figures live in Benchmarks/): took \(elapsed)")
    }

    @Test("a large file included through many bases ends in a limit error")
    func repeatedLargeFile() {
        // 1 MB of data behind 40 overlays with distinct prefixes: 40 MB of
        // input against an 8 MB budget (the default is 256 MiB).
        var files = ["base/kustomization.yaml": "resources:\n- big.yaml\n", "base/big.yaml": Self.configMap + "  big: " + String(repeating: "x", count: 1 << 20) + "\n"]
        var top = "resources:\n"
        for i in 0..<40 {
            files["o\(i)/kustomization.yaml"] = "namePrefix: o\(i)-\nresources:\n- ../base\n"
            top += "- o\(i)\n"
        }
        files["kustomization.yaml"] = top
        var limits = Renderer.Limits()
        limits.maxTotalBytes = 8 << 20
        let error = #expect(throws: RenderError.self) { try Renderer(fileSystem: MemoryFileSystem(files), limits: limits).renderText("") }
        #expect(error?.code == .limitExceeded)
        #expect(error?.description.contains("add up to more than") == true, "\(error.map(String.init(describing:)) ?? "no error")")
    }

    @Test("a symbolic link out of the root is refused")
    func symlinkOut() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tether-render-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "resources:\n- leak.yaml\n".write(to: dir.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("leak.yaml").path, withDestinationPath: "/etc/hostname")
        let error = #expect(throws: RenderError.self) { try Renderer(fileSystem: DiskFileSystem(root: dir.path)).renderText("") }
        #expect(error?.code == .outsideRoot)
        #expect(error?.description.contains("symbolic link leads outside the root") == true)
    }
}
