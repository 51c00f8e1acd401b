import Foundation
import TetherModel

/// The shared Helm corpus at `../shared/helm` (relative to the package), when present.
enum HelmCorpus {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/helm").standardized

    static var isPresent: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("cases").path) }

    /// One values case: `cases/<chart>/<case>.*`.
    struct Case: Sendable, CustomStringConvertible {
        var chart: String
        var name: String
        var description: String { "\(chart)/\(name)" }
        func file(_ suffix: String) -> URL {
            HelmCorpus.root.appendingPathComponent("cases/\(chart)/\(name).\(suffix)")
        }
    }

    /// Every values case, sorted; empty when the corpus is absent.
    static var cases: [Case] {
        let fm = FileManager.default
        let casesDir = root.appendingPathComponent("cases")
        guard let charts = try? fm.contentsOfDirectory(atPath: casesDir.path) else { return [] }
        return charts.sorted().flatMap { chart -> [Case] in
            let files = (try? fm.contentsOfDirectory(atPath: casesDir.appendingPathComponent(chart).path)) ?? []
            return files.filter { $0.hasSuffix(".values.yaml") }.sorted()
                .map { Case(chart: chart, name: String($0.dropLast(".values.yaml".count))) }
        }
    }

    /// `{path: text}` of an `expected.json`.
    static func renderedTemplates(_ url: URL) throws -> [String: String] {
        let value = try JSONParsing().value(from: Array(try Data(contentsOf: url)))
        guard case .map(let entries) = value else { return [:] }
        var out: [String: String] = [:]
        for entry in entries.entries { out[entry.key] = entry.value.stringValue ?? "" }
        return out
    }
}
