import Foundation
import TetherModel
package import TetherTemplate

/// Renders a chart as Helm v4's engine does (`pkg/engine`, with `pkg/chartutil`'s dependency
/// and values processing): every template of the chart and its enabled subcharts parsed into
/// one set (deeper paths first, so a parent's `define` wins), each non-partial template run
/// with its own chart's scoped values, `missingkey=zero`, and every `<no value>` removed.
///
/// ```swift
/// let chart = try Chart(directory: "charts/redis")
/// let rendered = try HelmEngine(release: .init(name: "rel", namespace: "ns")).render(chart, values: [:])
/// let text = try ManifestStream(rendered: rendered).text()   // what `helm template` prints
/// ```
package struct HelmEngine: Sendable {
    /// The release the templates see as `.Release`.
    package struct Release: Sendable {
        package var name: String
        package var namespace: String
        package var revision: Int = 1
        package var isUpgrade = false
        package init(name: String, namespace: String) {
            self.name = name
            self.namespace = namespace
        }
    }

    /// What `lookup` answers; offline rendering (`helm template`) answers an empty map.
    package typealias Lookup = @Sendable (_ apiVersion: String, _ kind: String, _ namespace: String, _ name: String) throws -> TemplateValue

    package var release: Release
    package var capabilities: HelmCapabilities
    package var lookup: Lookup
    /// Whether each chart's `values.schema.json` is checked (`--skip-schema-validation` turns it off).
    package var validatesSchema = true

    package init(release: Release, capabilities: HelmCapabilities = .default, lookup: @escaping Lookup = { _, _, _, _ in .map([:]) }) {
        self.release = release
        self.capabilities = capabilities
        self.lookup = lookup
    }

    /// Renders every template.
    /// - Parameters:
    ///   - chart: the loaded chart.
    ///   - values: the user's values (`-f` files and `--set`, already merged).
    /// - Returns: template path (`chart/templates/x.yaml`) to rendered text, for every template
    ///   that is not a partial, `NOTES.txt` included, as Helm's engine returns them.
    /// - Throws: `HelmError` `.render` with Helm's message (file, line, column, action).
    package func render(_ chart: Chart, values: [String: TemplateValue]) throws(HelmError) -> [String: String] {
        let tree = try RenderTree(chart: chart, values: values)
        if validatesSchema { try Self.validateSchemas(tree) }
        var sources: [Source] = []
        // One values tree for the whole render, as Helm's: a change a template makes to it
        // (`set .Values.x ...`) is seen by the templates that run after it, and a subchart's
        // `.Values` is the very map its parent sees as `.Values.NAME`.
        collect(tree.root, values: TemplateMap(tree.values).deepCopy(), release: releaseValue, parentPath: nil, into: &sources)

        var functions = TemplateFunctionTable(Sprig.functions())
        functions.merge(HelmFunctions.table(lookup: lookup))
        var set = TemplateSet(name: "gotpl", functions: functions, options: TemplateOptions(missingKey: .zero))
        let order = sources.indices.sorted { a, b in
            let da = sources[a].path.split(separator: "/").count, db = sources[b].path.split(separator: "/").count
            if da != db { return da > db }
            return sources[b].path.utf8.lexicographicallyPrecedes(sources[a].path.utf8)
        }
        for i in order {
            do {
                try set.parse(sources[i].text, name: sources[i].path)
            } catch {
                throw HelmError(.render, Self.message(for: error), path: sources[i].path, cause: error)
            }
        }
        var out: [String: String] = [:]
        for i in order {
            guard let scope = sources[i].scope else { continue }
            // Helm sets `.Template` on the chart's shared top-level map before each template.
            scope.setValue(.map(["Name": .string(sources[i].path), "BasePath": .string(sources[i].basePath)]), forKey: "Template")
            do {
                let text = try set.execute(sources[i].path, data: .map(scope))
                out[sources[i].path] = text.replacingOccurrences(of: "<no value>", with: "")
            } catch {
                throw HelmError(.render, Self.message(for: error), path: sources[i].path, cause: error)
            }
        }
        return out
    }

    /// The CRD files of the chart and of every subchart that renders, as `--include-crds`
    /// prints them: `.yaml`, `.yml` and `.json` files under `crds/`, the chart's own first, each
    /// named by its full path (`chart/charts/sub/crds/x.yaml`).
    package func crds(_ chart: Chart, values: [String: TemplateValue]) throws(HelmError) -> [(path: String, text: String)] {
        let tree = try RenderTree(chart: chart, values: values)
        var out: [(path: String, text: String)] = []
        func collect(_ node: RenderTree.Node, prefix: String) {
            for name in node.chart.crds.keys.sorted() where [".yaml", ".yml", ".json"].contains(where: name.hasSuffix) {
                out.append((prefix + "/" + name, node.chart.crds[name]!))
            }
            for child in node.children { collect(child, prefix: prefix + "/charts/" + child.name) }
        }
        collect(tree.root, prefix: tree.root.name)
        return out
    }

    /// Helm's `ValidateAgainstSchema` over the charts that render: each chart's schema checks
    /// its own coalesced values; all violations are reported together, chart by chart.
    /// - Throws: `HelmError` `.invalidValues` with Helm's text.
    private static func validateSchemas(_ tree: RenderTree) throws(HelmError) {
        var text = ""
        try collectViolations(tree.root, values: tree.values, into: &text)
        if !text.isEmpty {
            throw HelmError(.invalidValues, "values don't meet the specifications of the schema(s) in the following chart(s):\n" + text)
        }
    }

    private static func collectViolations(_ node: RenderTree.Node, values: [String: TemplateValue], into text: inout String) throws(HelmError) {
        if let bytes = node.chart.schema {
            let schema = try ValuesSchema(bytes: bytes, file: node.name + "/values.schema.json")
            if let violations = schema.violations(of: .map(values)) { text += node.name + ":\n" + violations }
        }
        for child in node.children {
            try collectViolations(child, values: values[child.name]?.mapValue ?? [:], into: &text)
        }
    }

    /// A template to parse, and the top-level map it runs with (`nil` for a partial or a
    /// library chart's template, which are only parsed).
    private struct Source {
        var path: String
        var text: String
        var basePath: String
        var scope: TemplateMap?
    }

    /// Adds the chart's templates (and its subcharts') with the top-level map they share, as
    /// Helm's `recAllTpls` does; returns that map, which the parent sees as `.Subcharts.NAME`.
    @discardableResult
    private func collect(_ node: RenderTree.Node, values: TemplateMap, release: TemplateValue, parentPath: String?, into sources: inout [Source]) -> TemplateValue {
        let fullPath = parentPath.map { $0 + "/charts/" + node.name } ?? node.name
        var subcharts: [String: TemplateValue] = [:]
        for child in node.children {
            // Helm's `vals.Table("Values." + name)`: the parent's map itself, or a new empty one.
            let childValues = values[child.name]?.mapReference ?? TemplateMap()
            subcharts[child.name] = collect(child, values: childValues, release: release, parentPath: fullPath, into: &sources)
        }
        let top = TemplateMap([
            "Values": .map(values, .any),
            "Release": release,
            "Chart": chartValue(node, isRoot: parentPath == nil),
            "Capabilities": .object(capabilities.object),
            "Files": .object(FilesObject(files: node.chart.files)),
            "Subcharts": .map(subcharts),
        ])
        let basePath = fullPath + "/templates"
        for (name, text) in node.chart.templates {
            let base = name.split(separator: "/").last.map(String.init) ?? name
            let renders = !base.hasPrefix("_") && !node.chart.isLibrary
            sources.append(Source(path: fullPath + "/" + name, text: text, basePath: basePath, scope: renders ? top : nil))
        }
        return .map(top, .any)
    }

    private var releaseValue: TemplateValue {
        .map([
            "Name": .string(release.name), "Namespace": .string(release.namespace),
            "Revision": .int(Int64(release.revision)), "IsUpgrade": .bool(release.isUpgrade),
            "IsInstall": .bool(!release.isUpgrade), "Service": .string("Helm"),
        ])
    }

    /// `.Chart`: the chart's metadata under Go's field names, with `IsRoot`.
    private func chartValue(_ node: RenderTree.Node, isRoot: Bool) -> TemplateValue {
        let m = node.chart.metadata
        func string(_ key: String) -> TemplateValue { .string(m[key]?.stringValue ?? "") }
        func strings(_ key: String) -> TemplateValue {
            .list((m[key]?.listValue ?? []).map { .string($0.stringValue ?? "") }, .string)
        }
        var annotations: [String: TemplateValue] = [:]
        if case .map(let entries)? = m["annotations"] {
            for entry in entries.entries { annotations[entry.key] = .string(entry.value.stringValue ?? GoFormat.string(HelmValues.templateValue(entry.value))) }
        }
        let maintainers: [TemplateValue] = (m["maintainers"]?.listValue ?? []).map { item in
            .map(["Name": .string(item["name"]?.stringValue ?? ""), "Email": .string(item["email"]?.stringValue ?? ""), "URL": .string(item["url"]?.stringValue ?? "")])
        }
        let dependencies: [TemplateValue] = node.dependencies.map { d in
            .map([
                "Name": .string(d["alias"]?.stringValue ?? d["name"]?.stringValue ?? ""),
                "Version": .string(d["version"]?.stringValue ?? ""),
                "Repository": .string(d["repository"]?.stringValue ?? ""),
                "Condition": .string(d["condition"]?.stringValue ?? ""),
                "Tags": .list((d["tags"]?.listValue ?? []).map { .string($0.stringValue ?? "") }, .string),
                "Enabled": .bool(true),
                "Alias": .string(d["alias"]?.stringValue ?? ""),
            ])
        }
        return .map([
            "Name": .string(node.name), "Version": string("version"), "AppVersion": string("appVersion"),
            "APIVersion": string("apiVersion"), "Description": string("description"), "Type": string("type"),
            "Home": string("home"), "Icon": string("icon"), "KubeVersion": string("kubeVersion"),
            "Condition": string("condition"), "Tags": string("tags"),
            "Deprecated": .bool(m["deprecated"]?.boolValue ?? false),
            "Keywords": strings("keywords"), "Sources": strings("sources"),
            "Maintainers": .list(maintainers), "Annotations": .map(annotations, .string),
            "Dependencies": .list(dependencies), "IsRoot": .bool(isRoot),
        ])
    }

    /// Helm's wording of a parse or execution failure.
    static func message(for error: any Error) -> String {
        guard let error = error as? TemplateError else { return "\(error)" }
        if error.code == .parse, let line = error.line {
            return "parse error at (\(error.templateName):\(line)): \(error.message)"
        }
        if let (failure, at) = innermostFailure(error) {
            return "execution error at (\(at)): \(failure.message)"
        }
        var text = error.description
        if text.hasPrefix("template: ") { text.removeFirst("template: ".count) }
        if let line = error.line, let column = error.column {
            let location = "\(error.templateName):\(line):\(column)"
            if text.hasPrefix(location + ": ") {
                text = location + " " + text.dropFirst(location.count + 2)
            }
        }
        return text
    }

    /// The `fail`/`required` failure under `error`, with the position of the call that raised it.
    private static func innermostFailure(_ error: TemplateError) -> (HelmTemplateFailure, String)? {
        var current: any Error = error
        var position: String?
        while true {
            if let t = current as? TemplateError {
                if let line = t.line, let column = t.column { position = "\(t.templateName):\(line):\(column)" }
                guard let cause = t.cause else { return nil }
                current = cause
            } else if let tpl = current as? TplFailure {
                current = tpl.cause
            } else if let failure = current as? HelmTemplateFailure {
                return position.map { (failure, $0) }
            } else {
                return nil
            }
        }
    }
}

extension Value {
    fileprivate var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
}
