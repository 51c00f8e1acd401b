import Foundation
import TetherModel
package import TetherTemplate

/// `helm template` as one call: a chart directory, the user's values as Helm's flags give them,
/// and the stream `helm template` prints (CRDs first with `--include-crds`, then the manifests
/// in install order with `# Source:` comments, then hooks).
///
/// ```swift
/// var template = HelmTemplate()
/// template.releaseName = "web"
/// template.values.values = ["replicaCount=2"]
/// let text = try template.render(chartDirectory: "charts/nginx")
/// ```
package struct HelmTemplate: Sendable {
    /// `--release-name` (helm's positional NAME); Helm's default is `release-name`.
    package var releaseName = "release-name"
    /// `-n/--namespace`.
    package var namespace = "default"
    /// `-f`, `--set` and their siblings.
    package var values = HelmValueOptions()
    /// `--kube-version` (`1.30`, `v1.30.2`); Helm's default when nil.
    package var kubeVersion: String?
    /// `--api-versions`, added to the defaults.
    package var apiVersions: [String] = []
    /// `--include-crds`.
    package var includeCRDs = false
    /// `--skip-tests`.
    package var skipTests = false
    /// `--skip-schema-validation` turns this off.
    package var validatesSchema = true

    package init() {}

    /// The capabilities the templates see.
    /// - Throws: `HelmError` `.invalidValues` for a `--kube-version` that is no version.
    package func capabilities() throws(HelmError) -> HelmCapabilities {
        var capabilities = HelmCapabilities.default
        if let kubeVersion {
            capabilities.kubeVersion = try Self.normalizedKubeVersion(kubeVersion)
        }
        capabilities.apiVersions += apiVersions
        return capabilities
    }

    /// Helm's `ParseKubeVersion`: a semantic version, `v` optional, missing parts zero.
    static func normalizedKubeVersion(_ text: String) throws(HelmError) -> String {
        let bare = text.hasPrefix("v") ? String(text.dropFirst()) : text
        let core = bare.prefix { $0 != "-" && $0 != "+" }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && UInt($0) != nil }) else {
            throw HelmError(.invalidValues, "invalid kube version \(goQuote(text)): not a semantic version. Give it as 1.30 or v1.30.2.")
        }
        let padded = parts.map(String.init) + Array(repeating: "0", count: 3 - parts.count)
        return "v" + padded.joined(separator: ".") + bare.dropFirst(core.count)
    }

    /// Renders the chart in `chartDirectory`.
    /// - Parameter valuesDirectory: where relative `-f` and `--set-file` names are read from
    ///   (the working directory when nil).
    /// - Returns: what `helm template` prints.
    /// - Throws: `HelmError` for a bad chart, bad values, a schema violation or a template error.
    package func render(chartDirectory: String, valuesDirectory: String? = nil) throws(HelmError) -> String {
        try render(try Self.chart(at: chartDirectory), valuesDirectory: valuesDirectory)
    }

    /// Whether `path` names a chart: a directory holding `Chart.yaml`, or a `.tgz` file.
    package static func isChart(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return false }
        if isDirectory.boolValue { return FileManager.default.fileExists(atPath: path + "/Chart.yaml") }
        return path.hasSuffix(".tgz") || path.hasSuffix(".tar.gz")
    }

    /// The chart at `path`: a chart directory, or a packaged `.tgz`.
    package static func chart(at path: String) throws(HelmError) -> Chart {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw HelmError(.invalidChart, "cannot read the chart archive. Check its permissions.", path: path)
            }
            return try Chart(archive: [UInt8](data), source: path)
        }
        return try Chart(directory: path)
    }

    /// Helm's release-name rule: a DNS subdomain of lowercase labels, at most 53 characters.
    /// - Throws: `HelmError` `.invalidValues` with Helm's text.
    package static func validateReleaseName(_ name: String) throws(HelmError) {
        if name.isEmpty { throw HelmError(.invalidValues, "no name provided. Give --release-name NAME.") }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        let valid = name.utf8.count <= 53 && labels.allSatisfy { label in
            guard let first = label.utf8.first, let last = label.utf8.last else { return false }
            func alnum(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) }
            return alnum(first) && alnum(last) && label.utf8.allSatisfy { alnum($0) || $0 == 0x2D }
        }
        guard valid else {
            throw HelmError(
                .invalidValues,
                #"release name \#(goQuote(name)): invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53"#)
        }
    }

    /// Renders a loaded chart; see ``render(chartDirectory:valuesDirectory:)``.
    package func render(_ chart: Chart, valuesDirectory: String? = nil) throws(HelmError) -> String {
        try render(chart, userValues: try values.merged(directory: valuesDirectory))
    }

    /// Renders a loaded chart with user values merged already (a kustomization's `helmCharts`
    /// values); ``values`` is not read.
    package func render(_ chart: Chart, userValues user: [String: TemplateValue]) throws(HelmError) -> String {
        try Self.validateReleaseName(releaseName)
        var engine = HelmEngine(release: .init(name: releaseName, namespace: namespace), capabilities: try capabilities())
        engine.validatesSchema = validatesSchema
        let rendered = try engine.render(chart, values: user)
        let crds = includeCRDs ? try engine.crds(chart, values: user) : []
        return try ManifestStream(rendered: rendered).text(crds: crds, options: .init(skipTests: skipTests))
    }
}
