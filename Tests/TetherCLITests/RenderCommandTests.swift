import Foundation
import Testing

@Suite("tether render")
struct RenderCommandTests {
    static let clouds = ["aws", "gcp", "azure"]

    static var kubectl: String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/kubectl"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    @Test("README example: each cloud overlay renders as recorded from kubectl kustomize", arguments: clouds)
    func overlayMatchesRecording(cloud: String) throws {
        let out = try CLI.run(["render", "overlays-example/overlays/\(cloud)"])
        #expect(out.status == 0, "\(out.stderr)")
        let expected = try String(
            contentsOf: CLI.repositoryRoot.appendingPathComponent("fixtures/overlays-example/\(cloud).yaml"), encoding: .utf8)
        #expect(out.stdout == expected)
    }

    @Test("each cloud overlay renders byte-identically to kubectl kustomize live",
          .enabled(if: kubectl != nil), arguments: clouds)
    func overlayMatchesLive(cloud: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.kubectl ?? "kubectl")
        process.arguments = ["kustomize", "overlays-example/overlays/\(cloud)"]
        process.currentDirectoryURL = CLI.repositoryRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reference = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let out = try CLI.run(["render", "overlays-example/overlays/\(cloud)"])
        #expect(out.stdout == reference)
    }

    @Test("a missing directory exits 2 with a clear message")
    func missingDirectory() throws {
        let out = try CLI.run(["render", "overlays-example/overlays/nowhere"])
        #expect(out.status == 2)
        #expect(out.stdout.isEmpty)
        #expect(!out.stderr.isEmpty)
    }
}
