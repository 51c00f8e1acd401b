import Foundation
import TetherEngine
import TetherModel

/// The compact plan listing `sync` prints before applying (the full per-object diffs are
/// `tether diff`'s job; results are printed by `SyncReport`).
enum PlanListing {
    /// One line per object that changes or is skipped, then the summary.
    static func text(_ plan: Plan, prune: Bool) -> String {
        var lines: [String] = []
        if let revision = plan.revision { lines.append("revision \(revision)") }
        for entry in plan.entries where entry.action != .unchanged {
            var line = "  \(entry.action.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(entry.id)"
            if entry.action == .prune, !prune { line += " (pass --prune to delete)" }
            if let reason = entry.reason { line += " — \(reason)" }
            lines.append(line)
        }
        lines.append("plan: \(plan.summary)")
        return lines.joined(separator: "\n")
    }
}
