import Foundation
import Testing
import TetherModel

@testable import TetherRender

/// kustomize's own tests (`api/krusty/*_test.go` and `examples/`), extracted
/// as data in `../shared/kustomize/krusty-cases/` (third-party data: used by
/// path, never copied). Each case builds `in/<root>`; the expectation is
/// `expected.yaml` (byte-identical output) or `expected-error.txt` (the
/// build must fail). Cases that do not match are listed, with the reason,
/// in ``knownFailures``: a case that starts failing fails the suite, and a
/// listed case that starts passing fails it too, so the list only shrinks.
@Suite("kustomize krusty corpus")
struct KrustyCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("../shared/kustomize/krusty-cases")
        .standardizedFileURL

    static let available = FileManager.default.fileExists(atPath: corpus.path)

    static var caseNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// What a case expects.
    enum Expectation {
        case output(String)
        case error(String)
    }

    /// Whether Tether met the expectation, and if not, what it did instead.
    enum Outcome: Equatable {
        case passed
        case failed(String)
    }

    static func expectation(_ name: String) throws -> Expectation {
        let dir = corpus.appendingPathComponent(name)
        if let text = try? String(contentsOf: dir.appendingPathComponent("expected.yaml"), encoding: .utf8) {
            return .output(text)
        }
        return .error(try String(contentsOf: dir.appendingPathComponent("expected-error.txt"), encoding: .utf8))
    }

    static func render(_ name: String) throws -> String {
        let dir = corpus.appendingPathComponent(name)
        let root = try String(contentsOf: dir.appendingPathComponent("root"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let fileSystem = try DiskFileSystem(root: dir.appendingPathComponent("in").path)
        return try Renderer(fileSystem: fileSystem).renderText(root == "." ? "" : root)
    }

    static func outcome(_ name: String) throws -> Outcome {
        let rendered = Result { try render(name) }
        switch (try expectation(name), rendered) {
        case (.output(let expected), .success(let actual)):
            return expected == actual ? .passed : .failed("output differs:\n\(firstDifference(expected, actual))")
        case (.output, .failure(let error)):
            return .failed("render failed: \(error)")
        case (.error, .failure):
            return .passed
        case (.error, .success):
            return .failed("kustomize fails on this case but tether rendered it")
        }
    }

    /// The first differing line, with a little context, for the message.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let i = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
        let lo = max(0, i - 3)
        return "line \(i + 1):\n--- expected\n\(e[lo..<min(e.count, i + 3)].joined(separator: "\n"))\n--- tether\n\(a[lo..<min(a.count, i + 3)].joined(separator: "\n"))"
    }

    @Test("the corpus is complete", .enabled(if: available, "../shared/kustomize/krusty-cases is absent"))
    func count() {
        #expect(Self.caseNames.count == 296)
    }

    @Test("case renders like kustomize", .enabled(if: available, "../shared/kustomize/krusty-cases is absent"), arguments: caseNames)
    func krustyCase(name: String) throws {
        let outcome: Outcome
        if let reason = Self.kubectlDisagrees[name] {
            // The recorded expectation is newer kustomize's; v5.5.0 is the
            // specification, so compare with it live, or not at all.
            guard let live = try Self.outcomeAgainstKubectl(name) else { return }
            outcome = live
            if case .failed(let message) = outcome, Self.knownFailures[name] == nil {
                Issue.record("\(name) (recorded expectation: \(reason)): \(message)")
                return
            }
        } else {
            outcome = try Self.outcome(name)
        }
        if let reason = Self.knownFailures[name] {
            #expect(outcome != .passed, "\(name) now passes; remove it from knownFailures (\(reason))")
        } else if case .failed(let message) = outcome {
            Issue.record("\(name): \(message)")
        }
    }

    /// For cases whose recorded expectation differs from kubectl v5.5.0:
    /// the outcome against the live `kubectl kustomize`, or nil when it is
    /// not installed.
    static func outcomeAgainstKubectl(_ name: String) throws -> Outcome? {
        guard let kubectl = FixtureTests.kubectl else { return nil }
        let dir = corpus.appendingPathComponent(name)
        let root = try String(contentsOf: dir.appendingPathComponent("root"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: kubectl)
        process.arguments = ["kustomize", dir.appendingPathComponent("in").appendingPathComponent(root).path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let ours = Result { try render(name) }
        switch (process.terminationStatus == 0, ours) {
        case (true, .success(let actual)):
            let expected = String(decoding: data, as: UTF8.self)
            return expected == actual ? .passed : .failed("output differs from kubectl:\n\(firstDifference(expected, actual))")
        case (true, .failure(let error)):
            return .failed("render failed: \(error)")
        case (false, .failure):
            return .passed
        case (false, .success):
            return .failed("kubectl kustomize fails on this case but tether rendered it")
        }
    }
}
