import TetherModel

extension SyncReport {
    /// A line per object that was not unchanged (`Deployment.apps/prod/web configured (120ms)`,
    /// conflicts with each manager and field), the reason the sync stopped if it did, then
    /// the summary with the total time.
    package func text() -> String {
        var out = ""
        for object in objects where object.outcome != .unchanged {
            out += "\(object.id) \(object.outcome.name)"
            switch object.outcome {
            case .failed(let message): out += ": " + Self.oneLine(message)
            case .skipped(let reason): out += ": " + Self.oneLine(reason)
            case .conflicted(let conflicts):
                out += ": " + conflicts.map(Self.conflictText).joined(separator: "; ")
                out += " (--force-conflicts takes ownership)"
            case .created, .configured, .pruned, .unchanged:
                if object.duration > .zero { out += " (\(Self.humanDuration(object.duration)))" }
            }
            out += "\n"
        }
        if let error { out += "sync stopped" + (stage.map { " during \($0)" } ?? "") + ": " + Self.oneLine(error) + "\n" }
        out += summary.description
        if prunePending > 0 { out += ", \(prunePending) to prune (pass --prune)" }
        out += " in \(Self.humanDuration(duration))\n"
        return out
    }

    static func conflictText(_ conflict: FieldConflict) -> String {
        conflict.manager.isEmpty ? conflict.field : "\(conflict.field) is owned by \"\(conflict.manager)\""
    }

    /// The report as JSON: revision, ApplySet, each object's action, result, message or
    /// conflicts and duration, the stages' durations, the total and the summary.
    package func json() -> String {
        var document = OrderedMap()
        document["revision"] = revision.map(Value.string) ?? .null
        document["applySet"] = applySet.map { .string($0.description) } ?? .null
        document["objects"] = .list(objects.map(Self.objectValue))
        document["phases"] = .list(phases.map { ["name": .string($0.name), "durationMs": Self.milliseconds($0.duration)] })
        document["durationMs"] = Self.milliseconds(duration)
        document["error"] = error.map(Value.string) ?? .null
        document["stage"] = stage.map(Value.string) ?? .null
        let s = summary
        document["summary"] = [
            "created": .int(s.created),
            "configured": .int(s.configured),
            "unchanged": .int(s.unchanged),
            "pruned": .int(s.pruned),
            "failed": .int(s.failed),
            "conflicts": .int(s.conflicts),
            "skipped": .int(s.skipped),
            "prunePending": .int(prunePending),
            "success": .bool(!hasFailures),
            "text": .string(s.description),
        ]
        return PlanReport.jsonText(.map(document))
    }

    static func objectValue(_ object: Entry) -> Value {
        var value = PlanReport.identity(object.id, apiVersion: object.apiVersion)
        value["action"] = .string(object.action.rawValue)
        value["result"] = .string(object.outcome.name)
        switch object.outcome {
        case .failed(let message): value["message"] = .string(message)
        case .skipped(let reason): value["reason"] = .string(reason)
        case .conflicted(let conflicts):
            value["conflicts"] = .list(conflicts.map { ["manager": .string($0.manager), "field": .string($0.field)] })
        case .created, .configured, .unchanged, .pruned: break
        }
        value["durationMs"] = milliseconds(object.duration)
        return .map(value)
    }

    /// Milliseconds with microsecond precision.
    static func milliseconds(_ duration: Duration) -> Value {
        let (seconds, attoseconds) = duration.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        if micros % 1000 == 0 { return .int(Int(micros / 1000)) }
        return .float(Double(micros) / 1000)
    }

    /// `850ms`, `1.25s`, `2m05s`.
    static func humanDuration(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let millis = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if millis < 1000 { return "\(millis)ms" }
        if millis < 60_000 {
            let hundredths = (millis + 5) / 10
            let fraction = hundredths % 100
            return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)s"
        }
        let total = (millis + 500) / 1000
        let secondsPart = total % 60
        return "\(total / 60)m\(secondsPart < 10 ? "0" : "")\(secondsPart)s"
    }

    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
