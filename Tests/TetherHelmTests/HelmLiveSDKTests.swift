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

    /// Runs `script` with the SDK's Python, `arguments` after it and `stdin` as its input;
    /// returns what it printed. Fails the test when it exits non-zero.
    static func runPython(_ script: String, arguments: [String] = [], stdin: [UInt8] = []) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(python))
        process.arguments = ["-c", script] + arguments
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(stdin))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "the SDK's script failed")
        return Array(data)
    }

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

    /// The SDK's rendering of every shared values case, from one Python process: case name to
    /// template path to text (or to `error` → message).
    static let sdkCases: [String: [String: String]] = {
        guard python != nil, HelmCorpus.isPresent else { return [:] }
        let script = """
            import json, sys
            from helm_python.chart import Chart, values_from_yaml
            out = {}
            for name, directory, values_file in json.load(sys.stdin):
                ch = Chart.load(directory)
                try:
                    out[name] = ch.render(values=values_from_yaml(open(values_file).read()), name="rel", namespace="ns")
                except Exception as e:
                    out[name] = {"error": str(e)}
                finally:
                    ch.close()
            print(json.dumps(out))
            """
        let input = "[" + HelmCorpus.cases.map { c in
            let directory = HelmCorpus.root.appendingPathComponent("charts/\(c.chart)").path
            return "[\(goQuote(c.description)),\(goQuote(directory)),\(goQuote(c.file("values.yaml").path))]"
        }.joined(separator: ",") + "]"
        guard let output = try? runPython(script, stdin: Array(input.utf8)),
              case .map(let all)? = try? JSONParsing().value(from: output) else { return [:] }
        var out: [String: [String: String]] = [:]
        for entry in all.entries {
            var templates: [String: String] = [:]
            for t in entry.value.mapValue?.entries ?? [] { templates[t.key] = t.value.stringValue ?? "" }
            out[entry.key] = templates
        }
        return out
    }()

    @Test("every shared values case renders template for template as the live SDK does",
          .enabled(if: HelmCorpus.isPresent && python != nil, "helm-python-sdk or ../shared/helm is absent"),
          arguments: HelmCorpus.cases)
    func everyCase(_ item: HelmCorpus.Case) throws {
        let sdk = try #require(Self.sdkCases[item.description], "the SDK gave no result for \(item)")
        try #require(sdk["error"] == nil, "the SDK failed: \(sdk["error"] ?? "")")
        let chart = try Chart(directory: HelmCorpus.root.appendingPathComponent("charts/\(item.chart)").path)
        let values = try HelmValues.read(file: item.file("values.yaml").path)
        let ours = try HelmEngine(release: .init(name: "rel", namespace: "ns")).render(chart, values: values)
        #expect(Set(ours.keys) == Set(sdk.keys))
        let sources = Self.templateSources(chart, prefix: chart.name)
        let randomPartials = sources.contains { $0.key.split(separator: "/").last?.hasPrefix("_") == true && Self.drawsRandomness($0.value) }
        for (path, text) in sdk.sorted(by: { $0.key < $1.key }) where ours[path] != text {
            // a template that draws random bytes (passwords, keys, certificates), itself or
            // through a partial, differs from any other rendering, Helm's own included
            let source = sources[path] ?? ""
            if Self.drawsRandomness(source) || (randomPartials && source.contains("include")) { continue }
            Issue.record("\(item) \(path): \(HelmChartRenderTests.firstDifference(ours[path] ?? "<missing>", text))")
        }
    }

    /// Every template's text by its render path (`chart/charts/sub/templates/x`).
    static func templateSources(_ chart: Chart, prefix: String) -> [String: String] {
        var out: [String: String] = [:]
        for (name, text) in chart.templates { out[prefix + "/" + name] = text }
        for sub in chart.subcharts {
            out.merge(templateSources(sub, prefix: prefix + "/charts/" + sub.name)) { a, _ in a }
        }
        return out
    }

    /// Whether a template's text calls one of Sprig's random generators.
    static func drawsRandomness(_ source: String) -> Bool {
        ["randAlphaNum", "randAlpha", "randNumeric", "randAscii", "randBytes", "uuidv4", "genCA", "genPrivateKey",
         "genSelfSignedCert", "genSignedCert", "derivePassword", "randInt", "shuffle", "htpasswd", "bcrypt"]
            .contains { source.contains($0) }
    }

    /// The charts of `charts-more/` (no values cases), each with its own defaults.
    static let moreCharts: [String] = {
        let directory = HelmCorpus.root.appendingPathComponent("charts-more").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { FileManager.default.fileExists(atPath: directory + "/" + $0 + "/Chart.yaml") }.sorted()
    }()

    @Test("each chart of charts-more with its default values renders template for template as the live SDK does",
          .enabled(if: HelmCorpus.isPresent && python != nil, "helm-python-sdk or ../shared/helm is absent"),
          arguments: moreCharts)
    func moreChart(_ name: String) throws {
        let directory = HelmCorpus.root.appendingPathComponent("charts-more/\(name)").path
        let script = """
            import json, sys
            from helm_python.chart import Chart
            ch = Chart.load(sys.argv[1])
            try:
                print(json.dumps(ch.render(values={}, name="rel", namespace="ns")))
            except Exception as e:
                print(json.dumps({"error": str(e)}))
            finally:
                ch.close()
            """
        guard case .map(let entries) = try JSONParsing().value(from: try Self.runPython(script, arguments: [directory])) else {
            Issue.record("the SDK printed no object"); return
        }
        let sdk = Dictionary(uniqueKeysWithValues: entries.entries.map { ($0.key, $0.value.stringValue ?? "") })
        let chart = try Chart(directory: directory)
        if let error = sdk["error"] {
            #expect(throws: HelmError.self, "the SDK failed (\(error)); so must we") {
                try HelmEngine(release: .init(name: "rel", namespace: "ns")).render(chart, values: [:])
            }
            return
        }
        let ours = try HelmEngine(release: .init(name: "rel", namespace: "ns")).render(chart, values: [:])
        #expect(Set(ours.keys) == Set(sdk.keys))
        let sources = Self.templateSources(chart, prefix: chart.name)
        let randomPartials = sources.contains { $0.key.split(separator: "/").last?.hasPrefix("_") == true && Self.drawsRandomness($0.value) }
        for (path, text) in sdk.sorted(by: { $0.key < $1.key }) where ours[path] != text {
            let source = sources[path] ?? ""
            if Self.drawsRandomness(source) || (randomPartials && source.contains("include")) { continue }
            Issue.record("\(name) \(path): \(HelmChartRenderTests.firstDifference(ours[path] ?? "<missing>", text))")
        }
    }
}
