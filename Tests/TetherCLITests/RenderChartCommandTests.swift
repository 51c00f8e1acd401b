import Foundation
import Testing

/// `tether render CHART`: a Helm chart rendered as `helm template` prints it.
@Suite("tether render for a Helm chart")
struct RenderChartCommandTests {
    static let corpus = CLI.repositoryRoot.appendingPathComponent("../shared/helm").standardized

    @Test("a shared chart with -f, --release-name and -n prints Helm's stream byte for byte",
          .enabled(if: FileManager.default.fileExists(atPath: corpus.appendingPathComponent("cases").path), "../shared/helm is absent"))
    func sharedCase() throws {
        let chart = Self.corpus.appendingPathComponent("charts/metrics-server").path
        let values = Self.corpus.appendingPathComponent("cases/metrics-server/defaults.values.yaml").path
        let out = try CLI.run(["render", chart, "-f", values, "--release-name", "rel", "-n", "ns"])
        #expect(out.status == 0, "\(out.stderr)")
        let expected = try String(contentsOf: Self.corpus.appendingPathComponent("cases/metrics-server/defaults.expected.yaml"), encoding: .utf8)
        #expect(out.stdout == expected)
    }

    @Test("--set reaches the templates; a bad --set exits 2 naming the problem, not the value")
    func setValues() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("templates"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "apiVersion: v2\nname: c\nversion: 0.1.0\n".write(to: dir.appendingPathComponent("Chart.yaml"), atomically: true, encoding: .utf8)
        try "replicas: 1\n".write(to: dir.appendingPathComponent("values.yaml"), atomically: true, encoding: .utf8)
        try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  r: {{ .Values.replicas | quote }}\n  t: {{ kindOf .Values.replicas }}\n"
            .write(to: dir.appendingPathComponent("templates/cm.yaml"), atomically: true, encoding: .utf8)
        let out = try CLI.run(["render", dir.path, "--set", "replicas=3", "--release-name", "web"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "---\n# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  r: \"3\"\n  t: int64\n")
        let badName = try CLI.run(["render", dir.path, "--release-name", "Bad_Name"])
        #expect(badName.status == 2)
        #expect(badName.stderr.contains("invalid release name, must match regex"))
        let bad = try CLI.run(["render", dir.path, "--set", "secret=hunter2,oops"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("failed parsing --set data: key \"oops\" has no value"))
        #expect(!bad.stderr.contains("hunter2"))
    }

    @Test("helm flags on a kustomization directory are refused, not ignored")
    func flagsOnKustomization() throws {
        let out = try CLI.run(["render", "overlays-example/overlays/aws", "--set", "a=1"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("--set applies to a Helm chart"))
    }
}
