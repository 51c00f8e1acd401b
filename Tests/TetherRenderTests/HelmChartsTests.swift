import Synchronization
import Testing
import TetherModel
import TetherRender

/// `helmCharts` and `helmGlobals` as the renderer resolves them before handing a chart to
/// the ``ChartRenderer`` seam (the real engine is tested in TetherCLITests).
@Suite("helmCharts resolution")
struct HelmChartsTests {
    /// Records each request and answers with one ConfigMap named after the release.
    final class Recorder: ChartRenderer {
        let calls = Mutex<[(String, HelmChartRequest)]>([])
        func render(chartDirectory: String, request: HelmChartRequest) throws -> String {
            calls.withLock { $0.append((chartDirectory, request)) }
            return "---\n# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(request.releaseName)-cm\n"
        }
    }

    static let chartFiles = ["Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n", "values.yaml": "a: 1\n"]

    @Test("chartHome, the versioned directory, release name and values file defaults; transformers apply to the objects")
    func resolution() throws {
        var files = [
            "app/kustomization.yaml": """
                namePrefix: p-
                namespace: ns
                helmGlobals:
                  chartHome: vendor
                helmCharts:
                - name: web
                - name: db
                  repo: https://example.invalid/charts
                  version: 2.0.0
                  releaseName: main
                  valuesFile: db-values.yaml
                  valuesInline: {x: 1}
                  valuesMerge: merge
                  includeCRDs: true
                  apiVersions: [a/v1]
                  kubeVersion: "1.30"
                """,
            "app/db-values.yaml": "b: 2\n",
        ]
        for (name, text) in Self.chartFiles {
            files["app/vendor/web/\(name)"] = text
            files["app/vendor/db-2.0.0/db/\(name)"] = text
        }
        let recorder = Recorder()
        let text = try Renderer(fileSystem: MemoryFileSystem(files), chartRenderer: recorder).renderText("app")
        // kustomize's legacy order sorts the objects by name.
        #expect(text == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p-main-cm\n  namespace: ns\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p-web-cm\n  namespace: ns\n")
        let calls = recorder.calls.withLock { $0 }
        try #require(calls.count == 2)
        #expect(calls[0].0 == "app/vendor/web")
        #expect(calls[0].1.releaseName == "web")
        #expect(calls[0].1.valuesFile == "app/vendor/web/values.yaml")
        #expect(calls[0].1.valuesMerge == .override)
        #expect(calls[1].0 == "app/vendor/db-2.0.0/db")
        #expect(calls[1].1.releaseName == "main")
        #expect(calls[1].1.valuesFile == "app/db-values.yaml")
        #expect(calls[1].1.valuesInline?["x"] == .int(1))
        #expect(calls[1].1.valuesMerge == .merge)
        #expect(calls[1].1.includeCRDs && calls[1].1.apiVersions == ["a/v1"] && calls[1].1.kubeVersion == "1.30")
    }

    @Test("without a chart renderer, helmCharts is refused naming the file")
    func noEngine() {
        var files = ["kustomization.yaml": "helmCharts:\n- name: web\n"]
        for (name, text) in Self.chartFiles { files["charts/web/\(name)"] = text }
        let e = #expect(throws: RenderError.self) { try Renderer(fileSystem: MemoryFileSystem(files)).renderText("") }
        #expect(e?.code == .unsupportedField)
        #expect(e?.description.contains("needs a Helm engine") == true)
    }

    @Test("a missing chart, a bad valuesMerge and a chartHome outside the directory are refused")
    func refusals() {
        func error(_ k: String) -> RenderError? {
            #expect(throws: RenderError.self) { try Renderer(fileSystem: MemoryFileSystem(["kustomization.yaml": k]), chartRenderer: Recorder()).renderText("") }
        }
        #expect(error("helmCharts:\n- name: web\n")?.description.contains("chart 'web' is not present locally (no Chart.yaml in charts/web)") == true)
        #expect(error("helmCharts:\n- name: web\n  valuesMerge: deep\n")?.description.contains("must be one of 'override', 'merge' or 'replace'") == true)
        #expect(error("helmGlobals:\n  chartHome: ../up\nhelmCharts:\n- name: web\n")?.code == .outsideRoot)
        #expect(error("helmCharts:\n- name: web\n  skipHooks: true\n")?.code == .unsupportedField)
    }
}
