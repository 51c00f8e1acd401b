import Foundation
import TetherModel
import TetherTemplate

/// The charts that render and the values each sees, as Helm's `ProcessDependencies` and
/// `CoalesceValues` make them: each `dependencies:` entry matched to its chart under `charts/`
/// (an `alias` renames it), disabled by `tags` and then `condition` (read from the coalesced
/// values; the first condition path that holds a boolean decides), `import-values` copied
/// into the parent, and values coalesced top-down (user values over the chart's
/// `values.yaml`, each subchart's under its name, the parent's `global` pushed into every
/// subchart's `global`).
struct RenderTree {
    struct Node {
        /// The name it renders under (the alias, or `Chart.yaml`'s name).
        var name: String
        var chart: Chart
        /// The `Chart.yaml` dependency entries that stay enabled.
        var dependencies: [Value]
        /// `import-values` of each enabled child, by child name.
        var imports: [String: [Value]]
        var children: [Node]
    }

    var root: Node
    /// The coalesced values of the root chart (subcharts' under their names).
    var values: [String: TemplateValue]

    init(chart: Chart, values user: [String: TemplateValue]) throws(HelmError) {
        var root = Self.node(chart, name: chart.name)
        let all = try Self.coalesce(root, user)
        Self.prune(&root, values: all, path: "")
        var values = try Self.coalesce(root, user)
        if Self.hasImports(root) {
            Self.importValues(root, into: &values)
            values = try Self.coalesce(root, values)
        }
        self.root = root
        self.values = values
    }

    /// The chart with every dependency attached under its alias (charts in `charts/` that no
    /// entry names are kept under their own name).
    private static func node(_ chart: Chart, name: String) -> Node {
        var children: [Node] = []
        var dependencies: [Value] = []
        var imports: [String: [Value]] = [:]
        let entries = chart.metadata["dependencies"]?.listValue ?? []
        let named = Set(entries.compactMap { $0["name"]?.stringValue })
        for sub in chart.subcharts where !named.contains(sub.name) {
            children.append(node(sub, name: sub.name))
        }
        for entry in entries {
            guard let depName = entry["name"]?.stringValue, let sub = chart.subcharts.first(where: { $0.name == depName }) else { continue }
            let alias = entry["alias"]?.stringValue ?? depName
            children.append(node(sub, name: alias))
            dependencies.append(entry)
            if let list = entry["import-values"]?.listValue { imports[alias] = list }
        }
        return Node(name: name, chart: chart, dependencies: dependencies, imports: imports, children: children)
    }

    /// Removes the children whose tags or condition turn them off, recursively; conditions of
    /// deeper charts are paths below their parents' names (`sub.dep.enabled`).
    private static func prune(_ node: inout Node, values: [String: TemplateValue], path: String) {
        let tags = values["tags"]?.mapValue ?? [:]
        var disabled: Set<String> = []
        for entry in node.dependencies {
            let name = entry["alias"]?.stringValue ?? entry["name"]?.stringValue ?? ""
            var enabled = true
            let entryTags = (entry["tags"]?.listValue ?? []).compactMap(\.stringValue)
            if !entryTags.isEmpty {
                var hasTrue = false, hasFalse = false
                for tag in entryTags {
                    if case .bool(let b)? = tags[tag] { if b { hasTrue = true } else { hasFalse = true } }
                }
                if !hasTrue && hasFalse { enabled = false }
            }
            if let condition = entry["condition"]?.stringValue, !condition.isEmpty {
                for raw in condition.split(separator: ",") {
                    let key = path + raw.trimmingCharacters(in: .whitespaces)
                    if case .bool(let b)? = pathValue(values, key) {
                        enabled = b
                        break
                    }
                }
            }
            if !enabled { disabled.insert(name) }
        }
        node.dependencies.removeAll { disabled.contains($0["alias"]?.stringValue ?? $0["name"]?.stringValue ?? "") }
        node.children.removeAll { disabled.contains($0.name) }
        for i in node.children.indices {
            prune(&node.children[i], values: values, path: path + node.children[i].name + ".")
        }
    }

    /// Helm's `Values.PathValue`: a dotted path to a non-table value.
    private static func pathValue(_ values: [String: TemplateValue], _ path: String) -> TemplateValue? {
        let parts = path.split(separator: ".").map(String.init)
        guard let last = parts.last else { return nil }
        var table = values
        for part in parts.dropLast() {
            guard let next = table[part]?.mapValue else { return nil }
            table = next
        }
        return table[last]
    }

    /// Helm's `coalesce`: the chart's values under `dest`, then each child's under its name
    /// with the globals pushed down.
    static func coalesce(_ node: Node, _ dest: [String: TemplateValue]) throws(HelmError) -> [String: TemplateValue] {
        var out = HelmValues.coalesced(dest, over: node.chart.values)
        for child in node.children {
            var sub: [String: TemplateValue]
            switch out[child.name] {
            case nil, .null?: sub = [:]
            case .map(let m, _)?: sub = m.entries
            case let other?:
                throw HelmError(.invalidValues, "type mismatch on \(child.name): \(other.typeName). Make `\(child.name):` a map of the subchart's values.")
            }
            sub["global"] = .map(coalescedGlobals(into: sub["global"]?.mapValue ?? [:], from: out["global"]?.mapValue ?? [:]))
            out[child.name] = .map(try coalesce(child, sub))
        }
        return out
    }

    /// Helm's `coalesceGlobals`: the parent's globals win; tables merge.
    private static func coalescedGlobals(into dest: [String: TemplateValue], from parent: [String: TemplateValue]) -> [String: TemplateValue] {
        var out = dest
        for (key, value) in parent {
            if case .map(let table, _) = value {
                if let existing = out[key] {
                    guard case .map(let existingTable, _) = existing else { continue }
                    out[key] = .map(HelmValues.merged(existingTable.entries, with: table.entries))  // `coalesceTablesFullKey` with merge on: nothing is deleted
                } else {
                    out[key] = value
                }
            } else if case .map? = out[key] {
                continue
            } else {
                out[key] = value
            }
        }
        return out
    }

    private static func hasImports(_ node: Node) -> Bool {
        !node.imports.isEmpty || node.children.contains(where: hasImports)
    }

    /// Helm's `processImportValues`, bottom-up: each `import-values` entry copies a child's
    /// `exports.NAME` table (a string entry) or `child: PATH` table (a `{child, parent}` entry)
    /// into the parent's values at the top or at `parent: PATH`; the parent's own values win.
    private static func importValues(_ node: Node, into values: inout [String: TemplateValue]) {
        for child in node.children {
            var childValues = values[child.name]?.mapValue ?? [:]
            importValues(child, into: &childValues)
            values[child.name] = .map(childValues)
        }
        var imported: [String: TemplateValue] = [:]
        for child in node.children {
            let childValues = values[child.name]?.mapValue ?? [:]
            for entry in node.imports[child.name] ?? [] {
                var source: String
                var target: String
                if let name = entry.stringValue {
                    source = "exports." + name
                    target = ""
                } else {
                    source = entry["child"]?.stringValue ?? ""
                    target = entry["parent"]?.stringValue ?? ""
                }
                guard let table = tableAt(childValues, source) else { continue }
                imported = HelmValues.merged(imported, with: target.isEmpty ? table : nest(table, at: target))
            }
        }
        if !imported.isEmpty { values = HelmValues.merged(imported, with: values) }
    }

    private static func tableAt(_ values: [String: TemplateValue], _ path: String) -> [String: TemplateValue]? {
        var table = values
        for part in path.split(separator: ".") {
            guard let next = table[String(part)]?.mapValue else { return nil }
            table = next
        }
        return table
    }

    private static func nest(_ table: [String: TemplateValue], at path: String) -> [String: TemplateValue] {
        var out = table
        for part in path.split(separator: ".").reversed() { out = [String(part): .map(out)] }
        return out
    }
}
