import Foundation
import Testing

/// `tether render DIR` for a kustomization whose `helmCharts` names a chart vendored under
/// `helmGlobals.chartHome`: the chart is rendered by tether's Helm engine and its objects are
/// resources of the kustomization. kubectl kustomize cannot be the oracle (it needs a helm
/// binary); `tether render CHART` is.
@Suite("tether render with helmCharts")
struct RenderHelmChartsTests {
    static let corpus = CLI.repositoryRoot.appendingPathComponent("../shared/helm").standardized
    static var chart: URL { corpus.appendingPathComponent("charts/metrics-server") }

    static func tempDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("helmcharts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("a local chart with valuesInline and namePrefix renders as the chart's own stream with the prefix applied",
          .enabled(if: FileManager.default.fileExists(atPath: chart.appendingPathComponent("Chart.yaml").path), "../shared/helm/charts/metrics-server is absent"))
    func localChart() throws {
        let dir = try Self.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let viaHelm = dir.appendingPathComponent("helm"), viaFile = dir.appendingPathComponent("file")
        try FileManager.default.createDirectory(at: viaHelm.appendingPathComponent("vendor"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: viaFile, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.chart, to: viaHelm.appendingPathComponent("vendor/metrics-server"))
        try """
            namePrefix: pre-
            helmGlobals:
              chartHome: vendor
            helmCharts:
            - name: metrics-server
              releaseName: ms
              namespace: tools
              valuesInline:
                replicas: 3
                args: [--kubelet-insecure-tls]
            """.write(to: viaHelm.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)

        // The oracle: the same chart through `tether render CHART` with the same values,
        // listed as a plain resource under the same namePrefix.
        let values = dir.appendingPathComponent("values.yaml")
        try "replicas: 3\nargs: [--kubelet-insecure-tls]\n".write(to: values, atomically: true, encoding: .utf8)
        let chartOut = try CLI.run(["render", Self.chart.path, "--release-name", "ms", "-n", "tools", "-f", values.path])
        #expect(chartOut.status == 0, "\(chartOut.stderr)")
        try chartOut.stdout.write(to: viaFile.appendingPathComponent("chart.yaml"), atomically: true, encoding: .utf8)
        try "namePrefix: pre-\nresources:\n- chart.yaml\n".write(to: viaFile.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)

        let expected = try CLI.run(["render", viaFile.path])
        #expect(expected.status == 0, "\(expected.stderr)")
        let out = try CLI.run(["render", viaHelm.path])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(!out.stdout.isEmpty)
        #expect(out.stdout == expected.stdout)
        // And specific objects: the Deployment is prefixed, in the release namespace, with the inline values.
        #expect(out.stdout.contains("kind: Deployment\nmetadata:\n  labels:"))
        #expect(out.stdout.contains("  name: pre-ms-metrics-server\n  namespace: tools\n"))
        #expect(out.stdout.contains("  replicas: 3\n"))
        #expect(out.stdout.contains("--kubelet-insecure-tls"))
        #expect(!out.stdout.contains("\n  name: ms-metrics-server\n"))
    }

    @Test("a chart that is not vendored is refused, naming the chart and the path looked at")
    func missingChart() throws {
        let dir = try Self.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
            helmCharts:
            - name: cert-manager
              repo: https://charts.jetstack.io
              version: v1.15.0
            """.write(to: dir.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        let out = try CLI.run(["render", dir.path])
        #expect(out.status != 0)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains("chart 'cert-manager' is not present locally"), "\(out.stderr)")
        #expect(out.stderr.contains("charts/cert-manager-v1.15.0/cert-manager or charts/cert-manager"), "\(out.stderr)")
        #expect(out.stderr.contains("tether never downloads charts from https://charts.jetstack.io"), "\(out.stderr)")
        #expect(out.stderr.contains("Vendor the chart there"), "\(out.stderr)")
    }

    @Test("a SOPS-encrypted valuesFile is decrypted with the render's keys, and refused without them")
    func encryptedValues() throws {
        let dir = try Self.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let chart = dir.appendingPathComponent("charts/c")
        try FileManager.default.createDirectory(at: chart.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try "apiVersion: v2\nname: c\nversion: 0.1.0\n".write(to: chart.appendingPathComponent("Chart.yaml"), atomically: true, encoding: .utf8)
        try "token: none\n".write(to: chart.appendingPathComponent("values.yaml"), atomically: true, encoding: .utf8)
        try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  token: {{ .Values.token | quote }}\n  color: {{ .Values.color | quote }}\n"
            .write(to: chart.appendingPathComponent("templates/cm.yaml"), atomically: true, encoding: .utf8)
        let plain = dir.appendingPathComponent("plain.yaml")
        try "token: s3cr3t-value\n".write(to: plain, atomically: true, encoding: .utf8)
        let identity = CLI.repositoryRoot.appendingPathComponent("fixtures/sops/age/test-identity.txt").path
        let recipient = try #require(try String(contentsOfFile: identity, encoding: .utf8).firstMatch(of: /age1[0-9a-z]+/)).output
        let encrypted = try CLI.run(["encrypt", "--age", String(recipient), plain.path, "--output", dir.appendingPathComponent("secret.values.yaml").path])
        #expect(encrypted.status == 0, "\(encrypted.stderr)")
        try FileManager.default.removeItem(at: plain)
        try "helmCharts:\n- name: c\n  valuesFile: secret.values.yaml\n  valuesInline:\n    color: blue\n"
            .write(to: dir.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        let out = try CLI.run(["render", dir.path, "--age-key-file", identity])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "apiVersion: v1\ndata:\n  color: blue\n  token: s3cr3t-value\nkind: ConfigMap\nmetadata:\n  name: c\n")
        let keyless = try CLI.run(["render", dir.path], environment: ["HOME": dir.path])
        #expect(keyless.status != 0)
        #expect(keyless.stderr.contains("cannot decrypt this SOPS-encrypted values file"), "\(keyless.stderr)")
        #expect(!keyless.stderr.contains("s3cr3t-value"))
    }

    @Test("sync renders helmCharts through the reconcile pipeline and applies the chart's objects", .timeLimit(.minutes(2)))
    func syncAppliesChart() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try SyncCommandTests.Emulator()
        let dir = try Self.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let chart = dir.appendingPathComponent("charts/c")
        try FileManager.default.createDirectory(at: chart.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try "apiVersion: v2\nname: c\nversion: 0.1.0\n".write(to: chart.appendingPathComponent("Chart.yaml"), atomically: true, encoding: .utf8)
        try "color: red\n".write(to: chart.appendingPathComponent("values.yaml"), atomically: true, encoding: .utf8)
        try "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\ndata:\n  color: {{ .Values.color | quote }}\n"
            .write(to: chart.appendingPathComponent("templates/cm.yaml"), atomically: true, encoding: .utf8)
        try "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n".write(to: dir.appendingPathComponent("ns.yaml"), atomically: true, encoding: .utf8)
        try "namespace: apps\nnamePrefix: x-\nresources:\n- ns.yaml\nhelmCharts:\n- name: c\n  releaseName: web\n  valuesInline:\n    color: green\n"
            .write(to: dir.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        let out = try CLI.run(["sync", "--source", dir.path, "--name", "helm-demo", "--server", emulator.url])
        #expect(out.status == 0, "\(out.stdout)\n\(out.stderr)")
        let color = try emulator.kubectl(["get", "configmap/x-web-settings", "-n", "apps", "-o", "jsonpath={.data.color}"])
        #expect(color.stdout == "green", "\(color.stderr)")
    }

    @Test("helmCharts fields tether cannot honour are refused, not ignored")
    func unsupportedFields() throws {
        let dir = try Self.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "helmCharts:\n- name: c\n  nameTemplate: '{{ randAlpha 5 }}'\n".write(to: dir.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        let out = try CLI.run(["render", dir.path])
        #expect(out.status != 0)
        #expect(out.stderr.contains("nameTemplate is not supported"), "\(out.stderr)")
    }
}
