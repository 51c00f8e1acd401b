import Foundation
import Testing

/// `tether render DIR` from any directory (issue 13, item 8): rooted at the
/// Git work tree that holds DIR, not at the current directory.
@Suite("tether render from any directory")
struct RenderAnyDirectoryTests {
    static let overlay = CLI.repositoryRoot.appendingPathComponent("overlays-example/overlays/aws").path

    @Test("an absolute overlay path renders the same bytes from / and from a temporary directory as from the checkout")
    func absolutePathAnywhere() throws {
        let fromCheckout = try CLI.run(["render", "overlays-example/overlays/aws"])
        #expect(fromCheckout.status == 0, "\(fromCheckout.stderr)")
        for cwd in [URL(fileURLWithPath: "/"), FileManager.default.temporaryDirectory] {
            let out = try CLI.run(["render", Self.overlay], in: cwd)
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stdout == fromCheckout.stdout)
        }
    }

    @Test("from any directory the output is byte-identical to kubectl kustomize of the same absolute path",
          .enabled(if: CLI.kubectl != nil, "kubectl is not on PATH"))
    func matchesKubectl() throws {
        let cwd = FileManager.default.temporaryDirectory
        let reference = try CLI.run(try #require(CLI.kubectl), ["kustomize", Self.overlay], in: cwd)
        #expect(reference.status == 0)
        let out = try CLI.run(["render", Self.overlay], in: cwd)
        #expect(out.stdout == reference.stdout)
    }

    @Test("run from a parent folder, the root stays the work tree: a base outside it is still refused")
    func parentFolderDoesNotWidenTheRoot() throws {
        let top = FileManager.default.temporaryDirectory.appendingPathComponent("render-any-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: top) }
        let files = [
            "repo/.git/HEAD": "ref: refs/heads/main\n",
            "repo/app/kustomization.yaml": "resources:\n- ../../shared\n",
            "shared/kustomization.yaml": "resources:\n- cm.yaml\n",
            "shared/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
        ]
        for (path, text) in files {
            let url = top.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let refused = try CLI.run(["render", "repo/app"], in: top)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("outside"), "\(refused.stderr)")
        let widened = try CLI.run(["render", "repo/app", "--root", "."], in: top)
        #expect(widened.status == 0, "\(widened.stderr)")
        #expect(widened.stdout == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n")
        let outsideRoot = try CLI.run(["render", "repo/app", "--root", "shared"], in: top)
        #expect(outsideRoot.status == 2)
        #expect(outsideRoot.stderr.contains("--root"), "\(outsideRoot.stderr)")
    }
}
