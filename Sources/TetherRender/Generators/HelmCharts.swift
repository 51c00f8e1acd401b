package import TetherModel

/// One `helmCharts` entry of a kustomization, resolved against the tree: what the
/// ``ChartRenderer`` needs to run `helm template` on a chart vendored in the repository.
/// Paths are root-relative (as every path the renderer hands out).
package struct HelmChartRequest: Sendable {
    /// How `valuesInline` combines with the values file (kustomize's `valuesMerge`).
    package enum ValuesMerge: String, Sendable {
        /// The inline values win, maps merging key by key (the default).
        case override
        /// The file's values win; inline values only fill in missing keys.
        case merge
        /// The inline values alone; the values file is not read.
        case replace
    }

    /// The chart's `name`.
    package var name: String
    /// The release name (`releaseName`; the chart name when not given).
    package var releaseName: String
    /// `namespace` (`--namespace`); Helm's `default` when nil.
    package var namespace: String?
    /// The values file (`valuesFile`, or the chart's own `values.yaml`), root-relative;
    /// nil with `valuesMerge: replace`.
    package var valuesFile: String?
    /// `additionalValuesFiles`, root-relative, given after `valuesFile` (later files win).
    package var additionalValuesFiles: [String] = []
    /// `valuesInline`.
    package var valuesInline: OrderedMap?
    package var valuesMerge: ValuesMerge = .override
    package var includeCRDs = false
    package var skipTests = false
    package var apiVersions: [String] = []
    package var kubeVersion: String?

    package init(name: String, releaseName: String) {
        self.name = name
        self.releaseName = releaseName
    }
}

/// Renders a local Helm chart as `helm template` prints it: the seam through which
/// kustomize's `helmCharts` reach a Helm engine without TetherRender depending on one.
/// The executable supplies it (backed by TetherHelm); without one, `helmCharts` is refused.
package protocol ChartRenderer: Sendable {
    /// - Parameters:
    ///   - chartDirectory: the chart's directory (holding `Chart.yaml`), root-relative.
    ///   - request: the release, values and flags.
    /// - Returns: the multi-document YAML stream `helm template` prints.
    /// - Throws: any error, with a message naming the chart; the renderer wraps it.
    func render(chartDirectory: String, request: HelmChartRequest) throws -> String
}

/// Makes the ``ChartRenderer`` for a tree whose root is the absolute directory `root`, reading
/// values files through `decrypter` (nil: as stored). The daemon's pipeline renders many
/// checkouts, so the executable hands it this rather than one renderer.
package typealias ChartRendererFactory = @Sendable (_ root: String, _ decrypter: (any FileDecrypting)?) -> any ChartRenderer

extension Kustomization {
    /// A `helmCharts` entry as written.
    struct HelmChart {
        var name: String
        var version: String?
        var repo: String?
        var releaseName: String?
        var namespace: String?
        var valuesFile: String?
        var additionalValuesFiles: [String] = []
        var valuesInline: OrderedMap?
        var valuesMerge: HelmChartRequest.ValuesMerge = .override
        var includeCRDs = false
        var skipTests = false
        var apiVersions: [String] = []
        var kubeVersion: String?
    }

    static let helmChartFields: Set<String> = [
        "name", "version", "repo", "releaseName", "namespace", "valuesFile", "additionalValuesFiles", "valuesInline",
        "valuesMerge", "includeCRDs", "skipTests", "skipHooks", "apiVersions", "kubeVersion", "nameTemplate", "debug",
    ]
}

extension KustomizationParser {
    /// `helmGlobals` and `helmCharts`.
    func helm(into k: inout Kustomization) throws {
        if let globals = root["helmGlobals"], !globals.isNull {
            guard let map = globals.mapValue else { throw fail("helmGlobals", "must be a map, not \(globals.typeDescription).") }
            if strict, let unknown = map.keys.first(where: { $0 != "chartHome" && $0 != "configHome" }) {
                throw fail("helmGlobals.\(unknown)", "is not a known field. Remove it or check its spelling.")
            }
            k.helmChartHome = try string(map["chartHome"], "helmGlobals.chartHome")
        }
        for (i, m) in try maps(root["helmCharts"], "helmCharts", known: Kustomization.helmChartFields) {
            let at = "helmCharts.\(i)"
            guard let name = try string(m["name"], at + ".name"), !name.isEmpty else { throw fail(at + ".name", "is required (chart name cannot be empty).") }
            for flag in ["skipHooks", "debug"] where try bool(m[flag], "\(at).\(flag)") == true {
                throw RenderError(
                    .unsupportedField, "\(at).\(flag) is not supported by tether's Helm engine. Remove it.", at: locate("/helmCharts/\(i)/\(flag)"))
            }
            if try string(m["nameTemplate"], at + ".nameTemplate") != nil {
                throw RenderError(
                    .unsupportedField, "\(at).nameTemplate is not supported by tether's Helm engine. Give the release name as releaseName instead.",
                    at: locate("/helmCharts/\(i)/nameTemplate"))
            }
            var chart = Kustomization.HelmChart(name: name)
            chart.version = try string(m["version"], at + ".version")
            chart.repo = try string(m["repo"], at + ".repo")
            chart.releaseName = try string(m["releaseName"], at + ".releaseName")
            chart.namespace = try string(m["namespace"], at + ".namespace")
            chart.valuesFile = try string(m["valuesFile"], at + ".valuesFile")
            chart.additionalValuesFiles = try strings(m["additionalValuesFiles"], at + ".additionalValuesFiles")
            if let inline = m["valuesInline"], !inline.isNull {
                guard let map = inline.mapValue else { throw fail(at + ".valuesInline", "must be a map, not \(inline.typeDescription).") }
                chart.valuesInline = map
            }
            if let merge = try string(m["valuesMerge"], at + ".valuesMerge"), !merge.isEmpty {
                guard let parsed = HelmChartRequest.ValuesMerge(rawValue: merge) else {
                    throw fail(at + ".valuesMerge", "must be one of 'override', 'merge' or 'replace', not '\(merge)'.")
                }
                chart.valuesMerge = parsed
            }
            chart.includeCRDs = try bool(m["includeCRDs"], at + ".includeCRDs") ?? false
            chart.skipTests = try bool(m["skipTests"], at + ".skipTests") ?? false
            chart.apiVersions = try strings(m["apiVersions"], at + ".apiVersions")
            chart.kubeVersion = try string(m["kubeVersion"], at + ".kubeVersion")
            k.helmCharts.append(chart)
        }
    }
}

extension Build {
    /// kustomize's HelmChartInflationGenerator for each `helmCharts` entry: the chart under
    /// `helmGlobals.chartHome` (default `charts`) rendered by the ``ChartRenderer``, its objects
    /// added as resources of this kustomization. Charts are never downloaded.
    func inflateHelmCharts(_ k: Kustomization, dir: String, file: String, into objects: inout [RenderedObject]) throws {
        guard !k.helmCharts.isEmpty else { return }
        guard let charts = renderer.chartRenderer else {
            throw RenderError(
                .unsupportedField,
                "field 'helmCharts' needs a Helm engine, and this renderer has none. Render with the tether executable, or render the chart into plain manifests and list them under resources.",
                file: file)
        }
        let homeEntry = k.helmChartHome ?? "charts"
        guard !homeEntry.hasPrefix("/"), let home = RootedPath.join(dir, homeEntry), RootedPath.isWithin(home, dir) else {
            throw RenderError(
                .outsideRoot, "helmGlobals.chartHome '\(homeEntry)' is not in or below '\(RootedPath.display(dir))'. Use a relative path inside the kustomization directory.",
                file: file)
        }
        for chart in k.helmCharts {
            // kustomize v5.5 looks in <chartHome>/<name>-<version>/<name> for a chart it would
            // pull (repo and version given), and in <chartHome>/<name> otherwise.
            var candidates: [String] = []
            if let version = chart.version, !version.isEmpty, chart.repo?.isEmpty == false {
                candidates.append("\(home)/\(chart.name)-\(version)/\(chart.name)")
            }
            candidates.append("\(home)/\(chart.name)")
            guard !chart.name.contains("/"), chart.name != "..", chart.name != "." else {
                throw RenderError(.invalidKustomization, "helmCharts: chart name '\(chart.name)' must be a plain name, not a path. Put the chart under \(RootedPath.display(home)).", file: file)
            }
            guard let chartDir = try candidates.first(where: { try fs.kind(of: $0 + "/Chart.yaml") == .file }) else {
                let looked = candidates.map(RootedPath.display).joined(separator: " or ")
                let repo = chart.repo.map { " from \($0)" } ?? ""
                throw RenderError(
                    .fileNotFound,
                    "helmCharts: chart '\(chart.name)' is not present locally (no Chart.yaml in \(looked)); tether never downloads charts\(repo). Vendor the chart there (for example helm pull --untar into \(RootedPath.display(home))) and commit it.",
                    file: file)
            }
            var request = HelmChartRequest(name: chart.name, releaseName: chart.releaseName.flatMap { $0.isEmpty ? nil : $0 } ?? chart.name)
            request.namespace = chart.namespace.flatMap { $0.isEmpty ? nil : $0 }
            if chart.valuesMerge != .replace || chart.valuesInline == nil {
                if let entry = chart.valuesFile, !entry.isEmpty {
                    request.valuesFile = try filePath(entry, dir: dir, file: file, field: "helmCharts.valuesFile")
                } else if try fs.kind(of: chartDir + "/values.yaml") == .file {
                    request.valuesFile = chartDir + "/values.yaml"
                }
            }
            request.additionalValuesFiles = try chart.additionalValuesFiles.map {
                try filePath($0, dir: dir, file: file, field: "helmCharts.additionalValuesFiles")
            }
            request.valuesInline = chart.valuesInline
            request.valuesMerge = chart.valuesMerge
            request.includeCRDs = chart.includeCRDs
            request.skipTests = chart.skipTests
            request.apiVersions = chart.apiVersions
            request.kubeVersion = chart.kubeVersion
            let text: String
            do {
                text = try charts.render(chartDirectory: chartDir, request: request)
            } catch {
                throw RenderError(.invalidKustomization, "helmCharts: cannot render chart '\(chart.name)' (\(RootedPath.display(chartDir))): \(error)", file: file)
            }
            let decoded: [Resource]
            do {
                decoded = try Resource.decodeStream(
                    text, file: chartDir, decoder: YAMLDecoder(options: .init(annotationsAsText: true)), validation: .kustomize)
            } catch { throw RenderError.wrapping(error) }
            guard decoded.count + objects.count <= renderer.limits.maxObjects else {
                throw RenderError(.limitExceeded, "more than \(renderer.limits.maxObjects) objects. Split the input.", file: file)
            }
            for object in decoded { try Self.append(RenderedObject(object), to: &objects, file: file) }
        }
    }
}
