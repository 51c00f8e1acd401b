import Foundation
import Testing

@testable import TetherModel

/// The YAML round-trip corpus: every case in fixtures/yaml/cases decodes and
/// re-encodes byte-identically to what the reference renderer printed
/// (fixtures/yaml/expected), or fails where the reference failed. When
/// kubectl is on PATH the reference is also run live.
@Suite("YAML corpus")
struct YAMLCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let casesDirectory = root.appendingPathComponent("fixtures/yaml/cases")
    static let expectedDirectory = root.appendingPathComponent("fixtures/yaml/expected")

    static var caseNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: casesDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// What Tether prints for a stream, the way `tether render` orders it.
    static func render(_ text: String, file: String) throws -> String {
        let resources = try Resource.decodeStream(text, file: file)
        let ordered = resources.enumerated().sorted { a, b in
            let av = a.element.gvk.version, bv = b.element.gvk.version
            if ResourceID.legacyOrder(a.element.id, version: av, b.element.id, version: bv) { return true }
            if ResourceID.legacyOrder(b.element.id, version: bv, a.element.id, version: av) { return false }
            return a.offset < b.offset
        }.map(\.element)
        return try Resource.encodeStream(ordered)
    }

    @Test("corpus has at least 60 cases")
    func corpusSize() {
        #expect(Self.caseNames.count >= 60)
    }

    @Test("case matches the recorded reference output", arguments: caseNames)
    func recorded(name: String) throws {
        let input = try String(contentsOf: Self.casesDirectory.appendingPathComponent(name + ".yaml"), encoding: .utf8)
        let expectedFile = Self.expectedDirectory.appendingPathComponent(name + ".yaml")
        if FileManager.default.fileExists(atPath: expectedFile.path) {
            let expected = try String(contentsOf: expectedFile, encoding: .utf8)
            let actual = try Self.render(input, file: name + ".yaml")
            if actual != expected, let dir = ProcessInfo.processInfo.environment["TETHER_CORPUS_DUMP"] {
                try? Data(actual.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent(name + ".yaml"))
            }
            #expect(actual == expected)
        } else {
            #expect(throws: ModelError.self) { try Self.render(input, file: name + ".yaml") }
        }
    }

    @Test(
        "case matches kubectl kustomize live", .enabled(if: Reference.kubectlAvailable),
        arguments: caseNames)
    func live(name: String) throws {
        let input = try String(contentsOf: Self.casesDirectory.appendingPathComponent(name + ".yaml"), encoding: .utf8)
        let reference = try Reference.kustomize(resources: ["resource.yaml": input])
        let ours = Result { try Self.render(input, file: "resource.yaml") }
        switch (reference, ours) {
        case (.success(let want), .success(let got)):
            #expect(got == want)
        case (.failure, .failure):
            break
        case (.success, .failure(let error)):
            Issue.record("kubectl kustomize accepted \(name) but Tether failed: \(error)")
        case (.failure(let message), .success):
            Issue.record("kubectl kustomize refused \(name) (\(message)) but Tether accepted it")
        }
    }
}
