import Foundation
import TetherEngine
import TetherModel

/// The compact plan and result listings `sync` prints (the full per-object diffs are
/// `tether diff`'s job).
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

    static func text(_ result: SyncResult) -> String {
        var lines: [String] = []
        for item in result.results where item.outcome != .unchanged {
            var line = "  \(item.outcome.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(item.id)"
            if let message = item.message { line += ": \(message)" }
            lines.append(line)
        }
        lines.append("result: \(result.summary) in \(Self.seconds(result.duration))")
        return lines.joined(separator: "\n")
    }

    static func json(_ plan: Plan) throws -> String {
        var objects: [Value] = []
        for entry in plan.entries {
            var object = OrderedMap([("id", .string(entry.id.description)), ("apiVersion", .string(entry.apiVersion)),
                                     ("kind", .string(entry.id.kind)), ("namespace", .string(entry.id.namespace)),
                                     ("name", .string(entry.id.name)), ("action", .string(entry.action.rawValue))])
            if let reason = entry.reason { object["reason"] = .string(reason) }
            objects.append(.map(object))
        }
        let summary = plan.summary
        let value: Value = [
            "revision": plan.revision.map(Value.string) ?? .null,
            "applySet": .string(plan.applySet.id.description),
            "objects": .list(objects),
            "summary": ["create": .int(summary.create), "update": .int(summary.update), "prune": .int(summary.prune),
                        "unchanged": .int(summary.unchanged), "skip": .int(summary.skip)],
        ]
        return try JSONEncoding(pretty: true).string(value)
    }

    static func json(_ result: SyncResult, plan: Plan, waitError: EngineError?) throws -> String {
        var objects: [Value] = []
        for item in result.results {
            var object = OrderedMap([("id", .string(item.id.description)), ("apiVersion", .string(item.apiVersion)),
                                     ("action", .string(item.action.rawValue)), ("result", .string(item.outcome.rawValue)),
                                     ("durationSeconds", .float(Self.secondsValue(item.duration)))])
            if let message = item.message { object["message"] = .string(message) }
            if !item.conflicts.isEmpty { object["conflicts"] = .list(item.conflicts.map(Value.string)) }
            objects.append(.map(object))
        }
        let value: Value = [
            "revision": result.revision.map(Value.string) ?? .null,
            "applySet": .string(result.applySet.description),
            "succeeded": .bool(result.succeeded && waitError == nil),
            "objects": .list(objects),
            "summary": ["created": .int(result.count(.created)), "configured": .int(result.count(.configured)),
                        "pruned": .int(result.count(.pruned)), "unchanged": .int(result.count(.unchanged)),
                        "skipped": .int(result.count(.skipped)), "failed": .int(result.failures.count),
                        "prunePending": .int(result.prunePending)],
            "durationSeconds": .float(Self.secondsValue(result.duration)),
            "waitError": waitError.map { .string($0.description) } ?? .null,
        ]
        return try JSONEncoding(pretty: true).string(value)
    }

    static func secondsValue(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return ((Double(seconds) + Double(attoseconds) / 1e18) * 1000).rounded() / 1000
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2fs", secondsValue(duration))
    }
}
