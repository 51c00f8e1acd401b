import Foundation
import Testing

@testable import TetherRender

/// Where `tether render DIR` roots its file system (issue 13, item 8).
@Suite("render root")
struct RenderRootTests {
    /// A temporary tree; `paths` ending in `/` are directories, others files.
    final class Tree {
        let top: String
        init(_ paths: [String]) throws {
            top = try #require(DiskFileSystem.realPath(NSTemporaryDirectory())) + "/render-root-\(UUID().uuidString)"
            for p in paths {
                let full = top + "/" + p
                if p.hasSuffix("/") {
                    try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
                } else {
                    try FileManager.default.createDirectory(
                        atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try Data().write(to: URL(fileURLWithPath: full))
                }
            }
        }
        deinit { try? FileManager.default.removeItem(atPath: top) }
    }

    @Test("inside a Git work tree the root is its top, from any current directory")
    func workTreeTop() throws {
        let tree = try Tree(["repo/.git/", "repo/overlays/prod/", "elsewhere/"])
        let fromElsewhere = try RenderRoot.locate(tree.top + "/repo/overlays/prod", root: nil, currentDirectory: tree.top + "/elsewhere")
        #expect(fromElsewhere == RenderRoot(root: tree.top + "/repo", path: "overlays/prod"))
        let fromParent = try RenderRoot.locate("repo/overlays/prod", root: nil, currentDirectory: tree.top)
        #expect(fromParent == fromElsewhere)
        let fromInside = try RenderRoot.locate("prod", root: nil, currentDirectory: tree.top + "/repo/overlays")
        #expect(fromInside == fromElsewhere)
    }

    @Test("a .git link file (a linked work tree or submodule) marks the top too")
    func gitFile() throws {
        let tree = try Tree(["wt/.git", "wt/app/"])
        #expect(try RenderRoot.locate(tree.top + "/wt/app", root: nil, currentDirectory: "/") == RenderRoot(root: tree.top + "/wt", path: "app"))
    }

    @Test("outside a repository the directory itself is the root")
    func noRepository() throws {
        let tree = try Tree(["plain/overlay/"])
        #expect(try RenderRoot.locate(tree.top + "/plain/overlay", root: nil, currentDirectory: "/")
            == RenderRoot(root: tree.top + "/plain/overlay", path: ""))
    }

    @Test("--root overrides the work tree and must contain the directory")
    func explicitRoot() throws {
        let tree = try Tree(["repo/.git/", "repo/team/app/", "other/"])
        #expect(try RenderRoot.locate("repo/team/app", root: "repo/team", currentDirectory: tree.top)
            == RenderRoot(root: tree.top + "/repo/team", path: "app"))
        #expect(throws: RenderError.self) { try RenderRoot.locate("repo/team/app", root: "other", currentDirectory: tree.top) }
        #expect(throws: RenderError.self) { try RenderRoot.locate("repo/team/app", root: "missing", currentDirectory: tree.top) }
    }

    @Test("a missing directory is fileNotFound")
    func missing() throws {
        let tree = try Tree([])
        let error = #expect(throws: RenderError.self) { try RenderRoot.locate("nowhere", root: nil, currentDirectory: tree.top) }
        #expect(error?.code == .fileNotFound)
    }

    @Test("rooted at the work tree, ../base inside it renders and a base outside it is refused")
    func basesAgainstTheRoot() throws {
        let tree = try Tree(["repo/.git/"])
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"
        let files = [
            "repo/base/kustomization.yaml": "resources:\n- cm.yaml\n", "repo/base/cm.yaml": cm,
            "repo/overlay/kustomization.yaml": "resources:\n- ../base\nnamePrefix: p-\n",
            "repo/escape/kustomization.yaml": "resources:\n- ../../outside\n",
            "outside/kustomization.yaml": "resources:\n- cm.yaml\n", "outside/cm.yaml": cm,
        ]
        for (path, text) in files {
            let full = tree.top + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        let overlay = try RenderRoot.locate(tree.top + "/repo/overlay", root: nil, currentDirectory: "/")
        let out = try Renderer(fileSystem: DiskFileSystem(root: overlay.root)).renderText(overlay.path)
        #expect(out == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p-cm\n")
        let escape = try RenderRoot.locate(tree.top + "/repo/escape", root: nil, currentDirectory: "/")
        let error = #expect(throws: RenderError.self) { try Renderer(fileSystem: DiskFileSystem(root: escape.root)).renderText(escape.path) }
        #expect(error?.code == .outsideRoot)
    }
}

/// SOPS-encrypted inputs without a decrypter (issue 13, item 10).
@Suite("encrypted inputs are refused without a decrypter")
struct EncryptedInputTests {
    static let encryptedSecret = """
        apiVersion: v1
        kind: Secret
        metadata:
            name: db
        stringData:
            password: ENC[AES256_GCM,data:qfjzdHs=,iv:bm9uY2U=,tag:dGFn,type:str]
        sops:
            mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]
            lastmodified: "2026-01-01T00:00:00Z"
            version: 3.9.0

        """

    func error(_ files: [String: String]) -> RenderError? {
        #expect(throws: RenderError.self) { try Renderer(fileSystem: MemoryFileSystem(files)).renderText("") }
    }

    @Test("an encrypted resource is refused by name, not rendered as ciphertext")
    func resource() {
        let e = error(["kustomization.yaml": "resources:\n- secret.enc.yaml\n", "secret.enc.yaml": Self.encryptedSecret])
        #expect(e?.code == .encrypted)
        #expect(e?.description.hasPrefix("secret.enc.yaml: file is SOPS-encrypted") == true)
        #expect(e?.description.contains("qfjzdHs") == false)
    }

    @Test("an encrypted patch and an encrypted dotenv generator source are refused")
    func patchAndEnv() {
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"
        let patch = error([
            "kustomization.yaml": "resources:\n- cm.yaml\npatches:\n- path: patch.yaml\n", "cm.yaml": cm,
            "patch.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  k: ENC[AES256_GCM,data:eA==,iv:aQ==,tag:dA==,type:str]\nsops:\n  version: 3.9.0\n",
        ])
        #expect(patch?.code == .encrypted)
        let env = error([
            "kustomization.yaml": "secretGenerator:\n- name: s\n  envs:\n  - app.env\n",
            "app.env": "TOKEN=ENC[AES256_GCM,data:eA==,iv:aQ==,tag:dA==,type:str]\nsops_version=3.9.0\nsops_mac=ENC[AES256_GCM,data:bQ==,iv:aQ==,tag:dA==,type:str]\n",
        ])
        #expect(env?.code == .encrypted)
        #expect(env?.description.hasPrefix("app.env: ") == true)
    }

    @Test("a file that only mentions sops or ENC[ is rendered as usual")
    func lookalikes() throws {
        let out = try Renderer(fileSystem: MemoryFileSystem([
            "kustomization.yaml": "resources:\n- cm.yaml\n",
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  sops: docs\n  note: \"ENC[AES256_GCM,data: is what sops writes\"\n",
        ])).renderText("")
        #expect(out.contains("sops: docs"))
    }
}
