import Foundation
import Testing
import TetherModel
import TetherTemplate
@testable import TetherHelm

/// Differential test against Helm's own engine, live: helm-python-sdk (installed into
/// `.venv` by scripts/install-deps.sh; `$TETHER_PYTHON` overrides) renders a shared chart and
/// the per-template texts must equal ours. Skips with a message when the SDK is absent.
@Suite("Helm engine against the live SDK")
struct HelmLiveSDKTests {
    static let python: String? = {
        let local = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".venv/bin/python").path
        let candidates: [String?] = [ProcessInfo.processInfo.environment["TETHER_PYTHON"], local]
        for case let path? in candidates where FileManager.default.isExecutableFile(atPath: path) {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: path)
            probe.arguments = ["-c", "import helm_python.chart"]
            probe.standardError = FileHandle.nullDevice
            guard (try? probe.run()) != nil else { continue }
            probe.waitUntilExit()
            if probe.terminationStatus == 0 { return path }
        }
        return nil
    }()

    static let script = """
        import json, sys
        from helm_python.chart import Chart
        ch = Chart.load(sys.argv[1])
        try:
            print(json.dumps(ch.render(values={}, name="rel", namespace="ns")))
        finally:
            ch.close()
        """

    @Test("kube-state-metrics with default values renders template for template as the SDK does",
          .enabled(if: HelmCorpus.isPresent && python != nil, "helm-python-sdk or ../shared/helm is absent"))
    func kubeStateMetrics() throws {
        let directory = HelmCorpus.root.appendingPathComponent("charts/kube-state-metrics").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.python))
        process.arguments = ["-c", Self.script, directory]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let json = try JSONParsing().value(from: Array(data))
        guard case .map(let entries) = json else { Issue.record("the SDK printed no object"); return }
        let sdk = Dictionary(uniqueKeysWithValues: entries.entries.map { ($0.key, $0.value.stringValue ?? "") })
        let ours = try HelmEngine(release: .init(name: "rel", namespace: "ns")).render(try Chart(directory: directory), values: [:])
        #expect(Set(ours.keys) == Set(sdk.keys))
        for (path, text) in sdk { #expect(ours[path] == text, "\(path)") }
    }
}
