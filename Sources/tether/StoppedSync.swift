import TetherEngine
import TetherModel

/// A sync that stopped after it had started writing (cancelled by SIGINT or SIGTERM, or
/// stopped between objects): the error with the partial result, and the plan, so the
/// output can say what was and was not applied.
struct StoppedSync: Error {
    var error: EngineError
    var plan: Plan
    var prune: Bool

    /// `apply`, or `prune` when deletions had started.
    var stage: String {
        (error.partial?.results ?? []).contains { $0.action == .prune } ? "prune" : "apply"
    }

    /// The planned changes that did not happen, and how to finish them.
    func notApplied() -> String {
        let done = Set((error.partial?.results ?? []).filter { !$0.failed }.map(\.id))
        let pending = plan.entries.filter { entry in
            guard !done.contains(entry.id) else { return false }
            return entry.action == .create || entry.action == .update || (entry.action == .prune && prune)
        }
        var text = "not applied: \(pending.count) of the planned changes"
        for entry in pending.prefix(10) { text += "\n  \(entry.action.rawValue) \(entry.id)" }
        if pending.count > 10 { text += "\n  … and \(pending.count - 10) more" }
        text += "\nThe inventory still lists every member and nothing was pruned after the stop; run the same command again to finish."
        return text
    }
}

/// The parsed command carried into the child task that `Interruption` can cancel.
/// `@unchecked Sendable`: the command is a value holding parsed strings and numbers, and
/// is only read after parsing.
struct UncheckedCommand<Command>: @unchecked Sendable {
    let value: Command
}
