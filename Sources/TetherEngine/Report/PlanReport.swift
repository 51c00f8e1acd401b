import TetherModel

/// How `tether diff` and `tether sync --dry-run` print a plan.
package enum ReportFormat: String, Sendable, CaseIterable {
    /// Unified diffs per object, then the summary line.
    case text
    /// One JSON document for scripts (see docs/engine.md, "JSON plan").
    case json
    /// A summary table and collapsible diffs for a pull-request comment.
    case markdown
}

/// A plan ready to print: each entry's diff, with Secret values masked, and the summary.
package struct PlanReport: Sendable {
    package var plan: Plan
    /// One diff per plan entry, in the plan's order.
    package var diffs: [ObjectDiff]

    /// Computes the diff of every entry.
    /// - Throws: `EngineError` when an object cannot be written as YAML (see `ObjectDiff`).
    package init(plan: Plan) throws(EngineError) {
        self.plan = plan
        var diffs: [ObjectDiff] = []
        diffs.reserveCapacity(plan.entries.count)
        for entry in plan.entries { diffs.append(try ObjectDiff(entry: entry)) }
        self.diffs = diffs
    }

    /// The report in one of the formats.
    /// - Parameters:
    ///   - format: text, JSON or Markdown.
    ///   - diffFormat: colours, for text only.
    package func rendered(as format: ReportFormat, diffFormat: DiffFormat = DiffFormat()) -> String {
        switch format {
        case .text: return text(format: diffFormat)
        case .json: return json()
        case .markdown: return markdown()
        }
    }

    /// Each changed object's unified diff (`--- live/…` / `+++ merged/…`), preceded by a
    /// `note:` line when planning found something the sync will meet (a field another
    /// manager owns, a kind the cluster does not serve, an invalid object, a take-over); a
    /// line for each skipped object (a prune kept by a safety rule says why); then the
    /// summary line `N to create, N to update, N to prune, N unchanged`, and a warning when
    /// some objects will fail as planned — the same facts the JSON and Markdown show.
    package func text(format: DiffFormat = DiffFormat()) -> String {
        var out = ""
        var problems = 0
        for (entry, diff) in zip(plan.entries, diffs) {
            if entry.action == .skip {
                out += "\(entry.id) skipped"
                if let reason = entry.reason { out += ": " + reason }
                out += "\n"
                continue
            }
            if let reason = entry.reason, entry.action != .unchanged {
                out += "note: \(entry.id) \(entry.action.rawValue): \(reason)\n"
                if entry.willFail { problems += 1 }
            }
            out += diff.unified(format: format)
        }
        out += plan.summary.description + "\n"
        if problems > 0 {
            out += "warning: \(problems) object\(problems == 1 ? "" : "s") will not apply as planned (see the note: lines above)\n"
        }
        return out
    }

    /// The plan as JSON: revision, ApplySet, every object with its action and diff, and
    /// the summary.
    package func json() -> String {
        var objects: [Value] = []
        objects.reserveCapacity(diffs.count)
        for (entry, diff) in zip(plan.entries, diffs) {
            var object = Self.identity(entry.id, apiVersion: entry.apiVersion)
            object["action"] = .string(entry.action.rawValue)
            if let reason = entry.reason { object["reason"] = .string(reason) }
            if entry.willFail { object["willFail"] = true }
            object["diff"] = .string(diff.unified())
            objects.append(.map(object))
        }
        var document = OrderedMap()
        document["revision"] = plan.revision.map(Value.string) ?? .null
        document["applySet"] = [
            "id": .string(plan.applySet.applySetID),
            "parent": .string(plan.applySet.id.description),
        ]
        document["objects"] = .list(objects)
        document["summary"] = Self.summaryValue(plan.summary)
        return Self.jsonText(.map(document))
    }

    static func identity(_ id: ResourceID, apiVersion: String) -> OrderedMap {
        OrderedMap([
            ("id", .string(id.description)),
            ("apiVersion", .string(apiVersion)),
            ("kind", .string(id.kind)),
            ("namespace", .string(id.namespace)),
            ("name", .string(id.name)),
        ])
    }

    static func summaryValue(_ summary: PlanSummary) -> Value {
        [
            "create": .int(summary.create),
            "update": .int(summary.update),
            "prune": .int(summary.prune),
            "unchanged": .int(summary.unchanged),
            "skip": .int(summary.skip),
            "hasChanges": .bool(summary.hasChanges),
            "text": .string(summary.description),
        ]
    }

    /// Pretty JSON with a final newline. Reports hold only strings, integers and
    /// Booleans, which always encode.
    static func jsonText(_ value: Value) -> String {
        guard let text = try? JSONEncoding(pretty: true).string(value) else {
            preconditionFailure("a report value failed to encode as JSON")
        }
        return text + "\n"
    }
}
