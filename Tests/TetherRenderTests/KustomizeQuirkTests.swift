import Foundation
import Testing
import TetherModel

@testable import TetherRender

/// What kubectl kustomize v5.5.0 accepts or refuses at the edges, each
/// checked against its output by hand (`kubectl kustomize` on the same tree).
@Suite("kustomize v5.5.0 edge behaviour")
struct KustomizeQuirkTests {
    func render(_ files: [String: String]) throws -> String {
        try Renderer(fileSystem: MemoryFileSystem(files)).renderText("")
    }

    func failure(_ files: [String: String]) -> String {
        do {
            _ = try render(files)
            return "rendered"
        } catch {
            return "\(error)"
        }
    }

    static let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n"
    static let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n"

    @Test("a repeated key in a kustomization file keeps its later value")
    func duplicateKeysLastWins() throws {
        let out = try render([
            "kustomization.yaml": "resources: [cm.yaml]\nnamePrefix: a-\nnamePrefix: b-\n",
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
        ])
        #expect(out == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b-x\n")
    }

    @Test("a repeated key in a resource file is still refused")
    func duplicateKeysInResources() {
        let message = failure([
            "kustomization.yaml": "resources: [cm.yaml]\n",
            "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"1\"\n  a: \"2\"\n",
        ])
        #expect(message.contains("duplicate mapping key"))
    }

    @Test("an object without apiVersion is rendered as kustomize does; one without kind is refused")
    func missingAPIVersion() throws {
        let out = try render([
            "kustomization.yaml": "resources: [r.yaml]\nnamePrefix: p-\n",
            "r.yaml": "kind: Foo\nmetadata:\n  name: x\n",
        ])
        #expect(out == "kind: Foo\nmetadata:\n  name: p-x\n")
        #expect(failure(["kustomization.yaml": "resources: [r.yaml]\n", "r.yaml": "apiVersion: v1\nmetadata:\n  name: x\n"]).contains("no kind"))
    }

    @Test("a whole-object $patch: delete followed by more documents in one patches entry fails, as kubectl v5.5.0 does")
    func deleteThenMore() throws {
        let resources = Self.deployment + "---\n" + Self.service
        let delete = "$patch: delete\n" + Self.deployment
        let label = "apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  labels: {x: y}\n"
        var files = [
            "kustomization.yaml": "resources: [r.yaml]\npatches:\n- path: p.yaml\n", "r.yaml": resources,
            "p.yaml": delete + "---\n" + label,
        ]
        #expect(failure(files).contains("deletes Deployment.apps/a and more documents follow"))
        files["p.yaml"] = label + "---\n" + delete
        #expect(try render(files) == "apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    x: \"y\"\n  name: b\n")
        files["kustomization.yaml"] = "resources: [r.yaml]\npatchesStrategicMerge:\n- p.yaml\n"
        files["p.yaml"] = delete + "---\n" + label
        #expect(try render(files) == "apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    x: \"y\"\n  name: b\n")
    }

    @Test("several strategic merge patches in one patches entry may not set a target")
    func severalPatchesWithTarget() {
        let message = failure([
            "kustomization.yaml": "resources: [r.yaml]\npatches:\n- path: p.yaml\n  target: {kind: Deployment}\n",
            "r.yaml": Self.deployment, "p.yaml": Self.deployment + "---\n" + Self.service,
        ])
        #expect(message.contains("may not set `target`"))
    }

    @Test("a RoleBinding ServiceAccount subject with a namespace key but no value fails")
    func blankSubjectNamespace() throws {
        var files = [
            "kustomization.yaml": "resources: [rb.yaml]\n",
            "rb.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb\nsubjects:\n- kind: ServiceAccount\n  name: sa\n  namespace:\nroleRef:\n  kind: Role\n  name: r\n",
        ]
        #expect(failure(files).contains("subjects[0].namespace is null"))
        files["rb.yaml"] = files["rb.yaml"]!.replacingOccurrences(of: "  namespace:\n", with: "  namespace: \"\"\n")
        #expect(try render(files).contains("namespace: \"\""))
    }

    @Test("an images name that is not a valid regular expression fails once there is a container image")
    func invalidImagePattern() throws {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n"
        var files = ["kustomization.yaml": "resources: [r.yaml]\nimages:\n- name: \"[\"\n  newTag: v2\n", "r.yaml": pod]
        #expect(failure(files).contains("not a valid regular expression"))
        files["r.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
        #expect(try render(files) == files["r.yaml"])
    }

    @Test("a refused remote base does not show the password or token in its URL")
    func remoteURLRedacted() {
        let password = failure(["kustomization.yaml": "resources:\n- https://user:hunter2@example.com/org/repo//base?ref=v1\n"])
        #expect(password.contains("https://user:***@example.com/org/repo//base?ref=v1"))
        #expect(!password.contains("hunter2"))
        let token = failure(["kustomization.yaml": "resources:\n- https://ghp_abc123@example.com/org/repo\n"])
        #expect(token.contains("https://***@example.com/org/repo") && !token.contains("ghp_abc123"))
        #expect(Build.redacted("git@example.com:org/repo") == "git@example.com:org/repo")
    }

    static let configMaps = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: hello\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  y: old\n"
    static func replacement(options: String) -> String {
        "resources: [cm.yaml]\nreplacements:\n- source:\n    kind: ConfigMap\n    name: a\n    fieldPath: data.x\n  targets:\n  - select:\n      name: b\n    fieldPaths: [data.y]\n    options:\n\(options)"
    }

    @Test("replacements options.encoding is read and ignored, as kustomize v5.5.0 never implemented it; a non-string fails")
    func replacementEncoding() throws {
        let out = try render(["kustomization.yaml": Self.replacement(options: "      encoding: base64\n"), "cm.yaml": Self.configMaps])
        #expect(out.hasSuffix("data:\n  \"y\": hello\nkind: ConfigMap\nmetadata:\n  name: b\n"))
        let message = failure(["kustomization.yaml": Self.replacement(options: "      encoding: 7\n"), "cm.yaml": Self.configMaps])
        #expect(message.contains("encoding") && message.contains("must be a string"))
    }

    @Test("inline replacements refuse unknown fields; a replacement file ignores them and matches names regardless of case")
    func replacementStrictness() throws {
        #expect(failure(["kustomization.yaml": Self.replacement(options: "      bogus: 1\n"), "cm.yaml": Self.configMaps]).contains("bogus"))
        let out = try render([
            "kustomization.yaml": "resources: [cm.yaml]\nreplacements:\n- path: r.yaml\n",
            "r.yaml": "Source:\n  kind: ConfigMap\n  name: a\n  fieldpath: data.x\n  extra: 1\ntargets:\n- select: {name: b}\n  fieldPaths: [data.y]\n  bogus: true\n---\nsource: {name: a}\ntargets:\n- select: {name: b}\n  fieldPaths: [data.z]\n  options: {create: true}\n",
            "cm.yaml": Self.configMaps,
        ])
        // Only the file's first document counts, as kustomize reads it.
        #expect(!out.contains("z:") && out.hasSuffix("data:\n  \"y\": hello\nkind: ConfigMap\nmetadata:\n  name: b\n"))
    }
}
