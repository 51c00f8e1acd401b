import Foundation
import Testing
import TetherModel
import TetherTemplate
@testable import TetherHelm

/// Whole charts of `../shared/helm`: each values case rendered natively as
/// `helm template rel charts/CHART -f CASE.values.yaml -n ns` and compared byte for byte with
/// Helm v4's output (`CASE.expected.yaml`).
@Suite("Helm chart rendering (shared corpus)")
struct HelmChartRenderTests {
    /// Cases not yet byte-identical, with the reason; a fixed case fails the list.
    static let knownFailures: Set<String> = []

    static func render(_ item: HelmCorpus.Case) throws -> String {
        let chart = try Chart(directory: HelmCorpus.root.appendingPathComponent("charts/\(item.chart)").path)
        let text = try String(contentsOf: item.file("values.yaml"), encoding: .utf8)
        let values = try HelmValues.parse(text, file: item.file("values.yaml").path)
        let rendered = try HelmEngine(release: .init(name: "rel", namespace: "ns")).render(chart, values: values)
        return try ManifestStream(rendered: rendered).text()
    }

    @Test("every shared values case renders as helm template prints it", arguments: HelmCorpus.cases)
    func renders(_ item: HelmCorpus.Case) throws {
        let check = {
            do {
                let got = try Self.render(item)
                let expected = try String(contentsOf: item.file("expected.yaml"), encoding: .utf8)
                #expect(got == expected, "\(item): \(Self.firstDifference(got, expected))")
            } catch {
                Issue.record("\(item) failed: \(error)")
            }
        }
        if Self.knownFailures.contains(item.description) {
            withKnownIssue("listed in knownFailures") { check() }
        } else {
            check()
        }
    }

    /// The first differing line, with its number, for a readable failure.
    static func firstDifference(_ got: String, _ expected: String) -> String {
        let a = got.split(separator: "\n", omittingEmptySubsequences: false)
        let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? String(a[i]) : "<end>"
            let y = i < b.count ? String(b[i]) : "<end>"
            if x != y { return "line \(i + 1): got \(x.debugDescription), Helm \(y.debugDescription)" }
        }
        return "identical"
    }
}
