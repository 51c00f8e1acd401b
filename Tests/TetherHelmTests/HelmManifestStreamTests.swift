import Foundation
import Testing
@testable import TetherHelm

@Suite("helm template output stream")
struct HelmManifestStreamTests {
    @Test("every shared case's per-template texts assemble into helm template's stdout byte for byte",
          .enabled(if: HelmCorpus.isPresent, "../shared/helm is absent"))
    func corpusStreams() throws {
        let cases = HelmCorpus.cases
        #expect(cases.count == 36)
        for item in cases {
            let rendered = try HelmCorpus.renderedTemplates(item.file("expected.json"))
            let expected = try String(contentsOf: item.file("expected.yaml"), encoding: .utf8)
            let got = try ManifestStream(rendered: rendered).text()
            #expect(got == expected, "\(item)")
        }
    }

    @Test("any line starting with --- splits and eats the whitespace after it")
    func splitting() {
        #expect(ManifestStream.splitDocuments("---\na: 1\n---\n  b: 2\n----x\n  \n---") == ["a: 1", "b: 2", "-x"])
        #expect(ManifestStream.splitDocuments("  \n a: 1  \n\n") == ["a: 1  \n\n"])
        #expect(ManifestStream.splitDocuments("a: 1 \n \n---b") == ["a: 1", "b"])
    }

    @Test("manifests sort by install order, unknown kinds last by name, hooks after, bad hooks dropped")
    func ordering() throws {
        let stream = try ManifestStream(rendered: [
            "c/templates/a.yaml": "kind: Zed\n---\nkind: Deployment\n---\nkind: Alpha\n",
            "c/templates/b.yaml": "kind: Namespace\n---\n# only a comment\n",
            "c/templates/h.yaml": "kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: post-install, Test\n---\nkind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: bogus\n",
            "c/templates/NOTES.txt": "kind: Pod",
            "c/templates/_h.tpl": "kind: Pod",
        ])
        #expect(stream.manifests.map(\.kind) == ["Namespace", "Deployment", "", "Alpha", "Zed"])
        #expect(stream.hooks.map(\.hookEvents) == [["post-install", "test"]])
        let text = stream.text(options: .init(skipTests: true))
        #expect(text.hasPrefix("---\n# Source: c/templates/b.yaml\nkind: Namespace\n---\n"))
        #expect(!text.contains("helm.sh/hook"))
    }

    @Test("a duplicate mapping key in a rendered document is accepted, as go-yaml v2 does")
    func duplicateKeys() throws {
        let stream = try ManifestStream(rendered: ["c/templates/m.yaml": "kind: ServiceMonitor\nmetadata:\n  labels:\n    release: a\n    release: b\n"])
        #expect(stream.manifests.map(\.kind) == ["ServiceMonitor"])
        #expect(stream.manifests.first?.text.contains("release: b") == true)
    }
}
