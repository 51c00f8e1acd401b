import Foundation
package import TetherModel
package import TetherTemplate

/// A chart loaded from a directory or a packaged `.tgz`: `Chart.yaml`, `values.yaml`,
/// `values.schema.json`, `templates/`, `crds/`, other files, and the subcharts under `charts/`
/// (folders or `.tgz` archives). A directory's `.helmignore` is honoured as Helm's loader does.
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
    /// `values.schema.json`, when the chart has one.
    package var schema: [UInt8]?

    /// The chart's name from `Chart.yaml`.
    package var name: String { metadata["name"]?.stringValue ?? "" }

    /// Whether `Chart.yaml` says `type: library` (only its partials are used).
    package var isLibrary: Bool { metadata["type"]?.stringValue == "library" }

    /// Makes a chart from its parts (for charts built in memory).
    package init(
        metadata: Value, values: [String: TemplateValue] = [:], templates: [String: String] = [:],
        crds: [String: String] = [:], files: [String: [UInt8]] = [:], subcharts: [Chart] = [], schema: [UInt8]? = nil
    ) {
        self.schema = schema
        self.metadata = metadata
        self.values = values
        self.templates = templates
        self.crds = crds
        self.files = files
        self.subcharts = subcharts
    }

    /// Loads a chart directory; subcharts under `charts/` may be directories or `.tgz` archives.
    /// - Parameter directory: the folder holding `Chart.yaml`.
    /// - Throws: `HelmError` `.invalidChart` when `Chart.yaml` is missing or lacks a name, or a
    ///   subchart archive cannot be read; `.invalidValues` for a bad `values.yaml`.
    package init(directory: String) throws(HelmError) {
        let chartFile = directory + "/Chart.yaml"
        guard let chartText = try? String(contentsOfFile: chartFile, encoding: .utf8) else {
            throw HelmError(.invalidChart, "no Chart.yaml. Point at a chart directory (the folder holding Chart.yaml).", path: directory)
        }
        self.init(metadata: try Self.metadata(chartText, file: chartFile))
        let ignore = try HelmIgnore(directory: directory)
        var subchartDirectories: Set<String> = []
        var archives: [String: [UInt8]] = [:]
        for entry in ignore.walk(directory) {
            let parts = entry.path.split(separator: "/", maxSplits: 2).map(String.init)
            if parts.first == "charts", parts.count >= 2 {
                if entry.isDirectory, parts.count == 2 {
                    subchartDirectories.insert(parts[1])
                } else if !entry.isDirectory, parts.count == 2, parts[1].hasSuffix(".tgz") || parts[1].hasSuffix(".tar.gz"),
                          let data = FileManager.default.contents(atPath: directory + "/" + entry.path) {
                    archives[parts[1]] = [UInt8](data)
                }
                continue
            }
            guard !entry.isDirectory, let data = FileManager.default.contents(atPath: directory + "/" + entry.path) else { continue }
            try absorb(entry.path, [UInt8](data), source: directory)
        }
        let names = subchartDirectories.filter { FileManager.default.fileExists(atPath: directory + "/charts/" + $0 + "/Chart.yaml") }
        for name in (Array(names) + Array(archives.keys)).sorted() {
            if let bytes = archives[name] {
                subcharts.append(try Chart(archive: bytes, source: directory + "/charts/" + name))
            } else {
                subcharts.append(try Chart(directory: directory + "/charts/" + name))
            }
        }
    }

    /// Loads a packaged chart (`.tgz`), as `helm template chart.tgz` does: subcharts are the
    /// folders and `.tgz` files under its `charts/`. `.helmignore` was applied when it was packaged.
    /// - Parameters:
    ///   - bytes: the archive.
    ///   - source: its path, for errors.
    /// - Throws: `HelmError` `.invalidChart` when it is no chart archive or lacks `Chart.yaml`.
    package init(archive bytes: [UInt8], source: String) throws(HelmError) {
        try self.init(files: try ChartArchive.files(bytes, source: source), source: source)
    }

    /// A chart from its files by chart-relative path (Helm's `LoadFiles`).
    init(files: [(path: String, bytes: [UInt8])], source: String) throws(HelmError) {
        guard let chartFile = files.last(where: { $0.path == "Chart.yaml" }) else {
            throw HelmError(.invalidChart, "Chart.yaml file is missing. Package a chart directory (the folder holding Chart.yaml).", path: source)
        }
        self.init(metadata: try Self.metadata(String(decoding: chartFile.bytes, as: UTF8.self), file: source + "/Chart.yaml"))
        var nested: [String: [(path: String, bytes: [UInt8])]] = [:]
        var archives: [String: [UInt8]] = [:]
        for file in files {
            let parts = file.path.split(separator: "/", maxSplits: 2).map(String.init)
            if parts.first == "charts", parts.count >= 2 {
                if parts.count == 3 {
                    nested[parts[1], default: []].append((parts[2], file.bytes))
                } else if parts[1].hasSuffix(".tgz") || parts[1].hasSuffix(".tar.gz") {
                    archives[parts[1]] = file.bytes
                }
                continue
            }
            try absorb(file.path, file.bytes, source: source)
        }
        for name in (Array(nested.keys) + Array(archives.keys)).sorted() {
            if let bytes = archives[name] {
                subcharts.append(try Chart(archive: bytes, source: source + "/charts/" + name))
            } else if let sub = nested[name], sub.contains(where: { $0.path == "Chart.yaml" }) {
                subcharts.append(try Chart(files: sub, source: source + "/charts/" + name))
            }
        }
    }

    /// `Chart.yaml` read, its name required.
    private static func metadata(_ text: String, file: String) throws(HelmError) -> Value {
        let metadata: Value
        do {
            metadata = try YAMLDecoder(options: .init(yaml11Booleans: true, duplicateKeys: .lastWins, scalarKeys: .stringified))
                .decode(text, file: file).first?.value ?? .null
        } catch {
            throw HelmError(.invalidChart, "cannot read Chart.yaml: \(error). Fix the YAML.", path: file, cause: error)
        }
        guard case .string(let name)? = metadata["name"], !name.isEmpty else {
            throw HelmError(.invalidChart, "validation: chart.metadata.name is required. Add `name:` to Chart.yaml.", path: file)
        }
        return metadata
    }

    /// Files one chart file where Helm's loader puts it.
    private mutating func absorb(_ path: String, _ bytes: [UInt8], source: String) throws(HelmError) {
        switch path {
        case "Chart.yaml", "Chart.lock", "requirements.lock": return
        case "values.schema.json":
            schema = bytes
            return
        case "values.yaml":
            values = try HelmValues.parse(String(decoding: bytes, as: UTF8.self), file: source + "/values.yaml")
            return
        default: break
        }
        if path.hasPrefix("templates/") {
            templates[path] = String(decoding: bytes, as: UTF8.self)
            return
        }
        if path.hasPrefix("crds/") { crds[path] = String(decoding: bytes, as: UTF8.self) }
        files[path] = bytes
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
