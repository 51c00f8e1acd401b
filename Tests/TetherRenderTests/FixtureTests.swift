import Foundation
import Testing
import TetherModel

@testable import TetherRender

/// Every case under fixtures/kustomize renders byte-identically to the
/// recorded `kubectl kustomize` output, or fails with a message containing
/// expected.error. With kubectl on PATH, each case is also compared live.
@Suite("kustomize fixtures")
struct FixtureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/kustomize")

    static var caseNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    static func buildPath(_ name: String) -> String {
        let file = root.appendingPathComponent(name).appendingPathComponent("build-path")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return "" }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func render(_ name: String) throws -> String {
        let fileSystem = try DiskFileSystem(root: root.appendingPathComponent(name).path)
        return try Renderer(fileSystem: fileSystem).renderText(buildPath(name))
    }

    static let kubectl: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            if FileManager.default.isExecutableFile(atPath: "\(dir)/kubectl") { return "\(dir)/kubectl" }
        }
        return nil
    }()

    @Test("at least 150 fixture cases")
    func count() {
        #expect(Self.caseNames.count >= 150)
    }

    @Test("fixture matches the recorded expectation", arguments: caseNames)
    func recorded(name: String) throws {
        let dir = Self.root.appendingPathComponent(name)
        if let expected = try? String(contentsOf: dir.appendingPathComponent("expected.yaml"), encoding: .utf8) {
            let actual = try Self.render(name)
            #expect(actual == expected)
        } else {
            let expected = try String(contentsOf: dir.appendingPathComponent("expected.error"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let error = #expect(throws: RenderError.self) { try Self.render(name) }
            #expect(error?.description.contains(expected) == true, "\(error.map(String.init(describing:)) ?? "")")
        }
    }

    @Test("fixture matches kubectl kustomize live", .enabled(if: kubectl != nil), arguments: caseNames)
    func live(name: String) throws {
        let buildPath = Self.buildPath(name)
        let dir = Self.root.appendingPathComponent(name).appendingPathComponent(buildPath)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.kubectl ?? "kubectl")
        process.arguments = ["kustomize", dir.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let ours = Result { try Self.render(name) }
        if process.terminationStatus == 0 {
            #expect((try? ours.get()) == String(decoding: stdout, as: UTF8.self))
        } else {
            #expect((try? ours.get()) == nil, "kubectl kustomize failed but tether rendered")
        }
    }
}
