import Foundation
import Testing

@Suite("tether render")
struct RenderCommandTests {
    static let clouds = ["aws", "gcp", "azure"]

    @Test("README example: each cloud overlay renders as recorded from kubectl kustomize", arguments: clouds)
    func overlayMatchesRecording(cloud: String) throws {
        let out = try CLI.run(["render", "overlays-example/overlays/\(cloud)"])
        #expect(out.status == 0, "\(out.stderr)")
        let expected = try String(
            contentsOf: CLI.repositoryRoot.appendingPathComponent("fixtures/overlays-example/\(cloud).yaml"), encoding: .utf8)
        #expect(out.stdout == expected)
    }

    @Test("each cloud overlay renders byte-identically to kubectl kustomize live",
          .enabled(if: CLI.kubectl != nil), arguments: clouds)
    func overlayMatchesLive(cloud: String) throws {
        let reference = try CLI.run(try #require(CLI.kubectl), ["kustomize", "overlays-example/overlays/\(cloud)"])
        #expect(reference.status == 0)
        let out = try CLI.run(["render", "overlays-example/overlays/\(cloud)"])
        #expect(out.stdout == reference.stdout)
    }

    @Test("a missing directory exits 2 with a clear message")
    func missingDirectory() throws {
        let out = try CLI.run(["render", "overlays-example/overlays/nowhere"])
        #expect(out.status == 2)
        #expect(out.stdout.isEmpty)
        #expect(!out.stderr.isEmpty)
    }
}
