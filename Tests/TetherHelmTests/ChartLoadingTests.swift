import Foundation
import Testing
import TetherModel
@testable import TetherHelm

@Suite("chart directories")
struct ChartLoadingTests {
    @Test("every template Helm rendered for a shared case is a template path the loaded chart names",
          .enabled(if: HelmCorpus.isPresent, "../shared/helm is absent"))
    func templatePaths() throws {
        for item in HelmCorpus.cases {
            let chart = try Chart(directory: HelmCorpus.root.appendingPathComponent("charts/\(item.chart)").path)
            let rendered = Set(try HelmCorpus.renderedTemplates(item.file("expected.json")).keys)
            let named = Set(chart.templatePaths)
            #expect(rendered.subtracting(named).isEmpty, "\(item): \(rendered.subtracting(named).sorted().prefix(3))")
        }
    }

    @Test("a directory without Chart.yaml is refused with a fix")
    func missingChartFile() {
        #expect(throws: HelmError.self) { try Chart(directory: "/nonexistent-chart") }
    }
}
