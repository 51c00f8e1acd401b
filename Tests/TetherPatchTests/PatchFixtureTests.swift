import Foundation
import Testing
import TetherModel
import TetherPatch

/// One recorded case under `fixtures/patch/<name>/`: `original.yaml`,
/// `patch.yaml`, `expected.yaml` (recorded from `kubectl kustomize`, which is
/// kustomize v5.5.0), and, where the API server's semantics differ from
/// kustomize's, `expected-apiserver.yaml` (or `expected-apiserver-error.txt`
/// when the API server rejects the patch). The API server files are derived
/// from apimachinery's strategicpatch source, not recorded from a server.
struct PatchFixture: CustomTestStringConvertible, Sendable {
    var name: String
    var directory: URL
    var testDescription: String { name }

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/patch")

    static var all: [PatchFixture] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted().compactMap { name in
            let dir = root.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("patch.yaml").path) else { return nil }
            return PatchFixture(name: name, directory: dir)
        }
    }

    func text(_ file: String) throws -> String? {
        let url = directory.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try String(contentsOf: url, encoding: .utf8)
    }

    func document(_ file: String) throws -> Value? {
        guard let text = try text(file) else { return nil }
        let docs = try YAMLDecoder().decode(text, file: file)
        return docs.first?.value ?? .null
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs only where `kubectl` (with its built-in kustomize) is installed.
    static var requiresKubectl: Self {
        .enabled(if: kubectlPath != nil, "kubectl is not on PATH")
    }
}

let kubectlPath: String? = {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let path = "\(dir)/kubectl"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}()

@Suite("strategic merge patch fixtures")
struct PatchFixtureTests {
    @Test("kustomize semantics match the recorded kubectl kustomize output", arguments: PatchFixture.all)
    func kustomize(_ fixture: PatchFixture) throws {
        let original = try #require(try fixture.document("original.yaml"))
        let patch = try #require(try fixture.document("patch.yaml"))
        let expected = try #require(try fixture.document("expected.yaml"))
        let result = try StrategicMergePatch.apply(patch, to: original, schema: PatchSchema.root(for: original), options: .kustomize)
        #expect(result == expected)
    }

    @Test("API server semantics match the expected output", arguments: PatchFixture.all)
    func apiServer(_ fixture: PatchFixture) throws {
        let original = try #require(try fixture.document("original.yaml"))
        let patch = try #require(try fixture.document("patch.yaml"))
        if let message = try fixture.text("expected-apiserver-error.txt") {
            let error = #expect(throws: PatchError.self) {
                try StrategicMergePatch.apply(patch, to: original, schema: PatchSchema.root(for: original), options: .kubernetes)
            }
            #expect(error?.description == message.trimmingCharacters(in: .whitespacesAndNewlines))
            return
        }
        let expected = try #require(try fixture.document("expected-apiserver.yaml") ?? fixture.document("expected.yaml"))
        let result = try StrategicMergePatch.apply(patch, to: original, schema: PatchSchema.root(for: original), options: .kubernetes)
        #expect(result == expected)
    }

    @Test("recorded output still matches kubectl kustomize", .requiresKubectl, arguments: PatchFixture.all)
    func oracle(_ fixture: PatchFixture) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tether-patch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try #require(try fixture.text("original.yaml")).write(to: dir.appendingPathComponent("original.yaml"), atomically: true, encoding: .utf8)
        try #require(try fixture.text("patch.yaml")).write(to: dir.appendingPathComponent("patch.yaml"), atomically: true, encoding: .utf8)
        try "resources:\n- original.yaml\npatches:\n- path: patch.yaml\n"
            .write(to: dir.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(kubectlPath))
        process.arguments = ["kustomize", dir.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)

        let live = try YAMLDecoder().decode(String(decoding: data, as: UTF8.self), file: "kubectl").first?.value ?? .null
        #expect(live == (try fixture.document("expected.yaml")))
    }
}
