import Foundation
package import TetherModel
package import TetherTemplate

/// A chart loaded from a directory: `Chart.yaml`, `values.yaml`, `templates/`, `crds/`, other
/// files, and the subcharts under `charts/` (directories only so far; `.tgz` archives and
/// `.helmignore` are not read yet and loading refuses an archive rather than skip it).
package struct Chart: Sendable {
    /// `Chart.yaml` as read (name, version, apiVersion, type, dependencies...).
    package var metadata: Value
    /// `values.yaml`, numbers as float64.
    package var values: [String: TemplateValue]
    /// Chart-relative file name (`templates/x.yaml`) to text, for every file under `templates/`.
    package var templates: [String: String]
    /// Chart-relative name to text for `crds/` files.
    package var crds: [String: String]
    /// The charts under `charts/`, by directory name.
    package var subcharts: [Chart]

    /// The chart's name from `Chart.yaml`.
    package var name: String { metadata["name"]?.stringValue ?? "" }

    /// Loads a chart directory.
    /// - Parameter directory: the folder holding `Chart.yaml`.
    /// - Throws: `HelmError` `.invalidChart` when `Chart.yaml` is missing or lacks a name, or a
    ///   subchart is an archive; `.invalidValues` for a bad `values.yaml`.
    package init(directory: String) throws(HelmError) {
        let fm = FileManager.default
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
        let valuesFile = directory + "/values.yaml"
        values = try (try? String(contentsOfFile: valuesFile, encoding: .utf8)).map { text throws(HelmError) in
            try HelmValues.parse(text, file: valuesFile)
        } ?? [:]
        templates = Self.texts(under: directory, folder: "templates")
        crds = Self.texts(under: directory, folder: "crds")
        subcharts = []
        let chartsDir = directory + "/charts"
        for entry in ((try? fm.contentsOfDirectory(atPath: chartsDir)) ?? []).sorted() {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: chartsDir + "/" + entry, isDirectory: &isDir) else { continue }
            if isDir.boolValue {
                subcharts.append(try Chart(directory: chartsDir + "/" + entry))
            } else if entry.hasSuffix(".tgz") {
                throw HelmError(.invalidChart, "subchart archive \(entry) cannot be read yet. Unpack it into charts/\(entry.dropLast(4))/.", path: chartsDir)
            }
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

    /// Chart-relative name to text of every regular file under `folder`, recursively.
    private static func texts(under directory: String, folder: String) -> [String: String] {
        let root = directory + "/" + folder
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [:] }
        var out: [String: String] = [:]
        while let relative = walker.nextObject() as? String {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDir), !isDir.boolValue,
                  let data = FileManager.default.contents(atPath: root + "/" + relative) else { continue }
            out[folder + "/" + relative] = String(decoding: data, as: UTF8.self)
        }
        return out
    }
}
