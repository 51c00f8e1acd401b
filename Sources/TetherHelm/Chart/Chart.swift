import Foundation
package import TetherModel
package import TetherTemplate

/// A chart loaded from a directory: `Chart.yaml`, `values.yaml`, `templates/`, `crds/`, other
/// files, and the subcharts under `charts/` (directories only so far: loading refuses a
/// `.tgz` archive rather than skip it). `.helmignore` is honoured as Helm's loader does.
package struct Chart: Sendable {
    /// `Chart.yaml` as read (name, version, apiVersion, type, dependencies...).
    package var metadata: Value
    /// `values.yaml`, numbers as float64.
    package var values: [String: TemplateValue]
    /// Chart-relative file name (`templates/x.yaml`) to text, for every file under `templates/`.
    package var templates: [String: String]
    /// Chart-relative name to text for `crds/` files.
    package var crds: [String: String]
    /// Every other file Helm keeps (what `.Files` sees): chart-relative name to bytes. Leaves out
    /// `Chart.yaml`, `values.yaml`, `values.schema.json`, `Chart.lock`, `templates/` and `charts/`.
    package var files: [String: [UInt8]]
    /// The charts under `charts/`, in directory order.
    package var subcharts: [Chart]

    /// The chart's name from `Chart.yaml`.
    package var name: String { metadata["name"]?.stringValue ?? "" }

    /// Whether `Chart.yaml` says `type: library` (only its partials are used).
    package var isLibrary: Bool { metadata["type"]?.stringValue == "library" }

    /// Makes a chart from its parts (for charts built in memory).
    package init(
        metadata: Value, values: [String: TemplateValue] = [:], templates: [String: String] = [:],
        crds: [String: String] = [:], files: [String: [UInt8]] = [:], subcharts: [Chart] = []
    ) {
        self.metadata = metadata
        self.values = values
        self.templates = templates
        self.crds = crds
        self.files = files
        self.subcharts = subcharts
    }

    /// Loads a chart directory.
    /// - Parameter directory: the folder holding `Chart.yaml`.
    /// - Throws: `HelmError` `.invalidChart` when `Chart.yaml` is missing or lacks a name, or a
    ///   subchart is an archive; `.invalidValues` for a bad `values.yaml`.
    package init(directory: String) throws(HelmError) {
        let chartFile = directory + "/Chart.yaml"
        guard let chartText = try? String(contentsOfFile: chartFile, encoding: .utf8) else {
            throw HelmError(.invalidChart, "no Chart.yaml. Point at a chart directory (the folder holding Chart.yaml).", path: directory)
        }
        do {
            metadata = try YAMLDecoder(options: .init(yaml11Booleans: true)).decode(chartText, file: chartFile).first?.value ?? .null
        } catch {
            throw HelmError(.invalidChart, "cannot read Chart.yaml: \(error). Fix the YAML.", path: chartFile, cause: error)
        }
        guard case .string(let name)? = metadata["name"], !name.isEmpty else {
            throw HelmError(.invalidChart, "validation: chart.metadata.name is required. Add `name:` to Chart.yaml.", path: chartFile)
        }
        let ignore = try HelmIgnore(directory: directory)
        values = [:]
        templates = [:]
        crds = [:]
        files = [:]
        subcharts = []
        var subchartDirectories: Set<String> = []
        for entry in ignore.walk(directory) {
            let parts = entry.path.split(separator: "/", maxSplits: 2).map(String.init)
            if parts.first == "charts", parts.count >= 2 {
                if entry.isDirectory, parts.count == 2 {
                    subchartDirectories.insert(parts[1])
                } else if parts.count == 2, parts[1].hasSuffix(".tgz") || parts[1].hasSuffix(".tar.gz") {
                    throw HelmError(.invalidChart, "subchart archive \(parts[1]) cannot be read yet. Unpack it into charts/\(parts[1].replacingOccurrences(of: ".tgz", with: ""))/.", path: directory + "/charts")
                }
                continue
            }
            guard !entry.isDirectory, let data = FileManager.default.contents(atPath: directory + "/" + entry.path) else { continue }
            let bytes = [UInt8](data)
            switch entry.path {
            case "Chart.yaml", "Chart.lock", "values.schema.json", "requirements.lock": continue
            case "values.yaml":
                values = try HelmValues.parse(String(decoding: bytes, as: UTF8.self), file: directory + "/values.yaml")
                continue
            default: break
            }
            if entry.path.hasPrefix("templates/") {
                templates[entry.path] = String(decoding: bytes, as: UTF8.self)
                continue
            }
            if entry.path.hasPrefix("crds/") { crds[entry.path] = String(decoding: bytes, as: UTF8.self) }
            files[entry.path] = bytes
        }
        for sub in subchartDirectories.sorted() where FileManager.default.fileExists(atPath: directory + "/charts/" + sub + "/Chart.yaml") {
            subcharts.append(try Chart(directory: directory + "/charts/" + sub))
        }
    }

    /// Every template's full path as Helm names it (`chart/templates/x`, `chart/charts/sub/templates/y`),
    /// built from `Chart.yaml` names, with each dependency `alias` replacing its chart's name.
    package var templatePaths: [String] {
        paths(prefix: name)
    }

    private func paths(prefix: String) -> [String] {
        var out = templates.keys.map { prefix + "/" + $0 }
        let aliases = aliasByName
        for sub in subcharts {
            for alias in aliases[sub.name] ?? [sub.name] {
                out += sub.paths(prefix: prefix + "/charts/" + alias)
            }
        }
        return out.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Dependency name to the names it is rendered under (its aliases, or its own name).
    private var aliasByName: [String: [String]] {
        var out: [String: [String]] = [:]
        for dependency in metadata["dependencies"]?.listValue ?? [] {
            guard let name = dependency["name"]?.stringValue else { continue }
            out[name, default: []].append(dependency["alias"]?.stringValue ?? name)
        }
        return out
    }
}
