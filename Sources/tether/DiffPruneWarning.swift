import Foundation
import TetherEngine
import TetherModel

/// What `tether diff` adds to a plan report: the refusal `tether sync --prune` would meet
/// (the empty-render guard, the prune budget with the default limits), in every format.
enum DiffPruneWarning {
    /// The refusal, or nil when `sync --prune` would delete the prunes as planned.
    static func refusal(_ plan: Plan, options: EngineOptions) -> String? {
        var options = options
        options.prune = true
        let safety = PruneSafety(options: options)
        if let empty = safety.emptyRenderRefusal(plan) { return empty.message + " (pass --allow-empty to sync --prune if that is intended)" }
        guard let budget = safety.budgetRefusal(plan) else { return nil }
        let head = budget.message.prefix { $0 != ";" }
        return "tether sync --prune would hold back the deletions, \(head); creates and updates still apply. "
            + "Pass --force-prune to sync, or raise --max-prune/--max-prune-percent."
    }

    /// `report` in `format`, with the refusal (when there is one) as a closing
    /// `warning:` line, a Markdown quote, or a `pruneRefusal` field in the JSON.
    static func rendered(_ report: PlanReport, format: ReportFormat, colours: DiffFormat, refusal: String?) throws -> String {
        let text = report.rendered(as: format, diffFormat: colours)
        guard let refusal else { return text }
        switch format {
        case .json:
            guard case .map(var document) = try JSONParsing().value(from: text) else { return text }
            document["pruneRefusal"] = .string(refusal)
            return try JSONEncoding(pretty: true).string(.map(document)) + "\n"
        case .markdown:
            return text + "\n> **Warning:** \(refusal)\n"
        default:
            return text + "warning: \(refusal)\n"
        }
    }
}
