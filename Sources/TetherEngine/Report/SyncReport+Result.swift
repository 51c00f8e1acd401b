import Foundation

extension SyncReport {
    /// The report of what `Reconciler.apply` (and the pruner) returned.
    /// - Parameters:
    ///   - result: the sync's results.
    ///   - before: the stages before applying (fetch, render, plan), in order; `apply`
    ///     and `prune` come from `result`.
    ///   - after: the stages after it (wait).
    ///   - error: why the sync stopped early, when it did (never holding Secret values).
    package init(_ result: SyncResult, before: [Phase] = [], after: [Phase] = [], error: String? = nil) {
        var phases = before
        phases.append(Phase(name: "apply", duration: result.duration - result.pruneDuration))
        if result.pruneDuration > .zero { phases.append(Phase(name: "prune", duration: result.pruneDuration)) }
        phases += after
        let total = phases.reduce(Duration.zero) { $0 + $1.duration }
        self.init(revision: result.revision, applySet: result.applySet, objects: result.results.map(Entry.init),
                  prunePending: result.prunePending, phases: phases, duration: max(total, result.duration),
                  error: error ?? result.pruneRefusal?.description)
        if error == nil, result.pruneRefusal != nil { stage = "prune" }
    }
}

extension SyncReport.Entry {
    /// One object's line from the applier's result.
    package init(_ result: ObjectResult) {
        let outcome: SyncReport.Outcome
        switch result.outcome {
        case .created: outcome = .created
        case .configured: outcome = .configured
        case .unchanged: outcome = .unchanged
        case .pruned: outcome = .pruned
        case .skipped: outcome = .skipped(reason: result.message ?? "")
        case .failed: outcome = .failed(message: result.message ?? "the request failed")
        case .conflicted: outcome = .conflicted(result.conflicts.map(SyncReport.FieldConflict.init(cause:)))
        }
        self.init(id: result.id, apiVersion: result.apiVersion, action: result.action, outcome: outcome,
                  duration: result.duration)
    }
}

extension SyncReport.FieldConflict {
    /// Reads a conflict cause as `KubeError.Cause.description` words it: the field, `: `,
    /// then the API server's message, `conflict with "kubectl-edit" using apps/v1`.
    /// Text in another shape is kept whole as the field, with no manager.
    /// - Parameter text: the cause's description.
    package init(cause text: String) {
        var field = ""
        var message = Substring(text)
        if let colon = text.range(of: ": ") {
            field = String(text[..<colon.lowerBound])
            message = text[colon.upperBound...]
        }
        let marker = "conflict with \""
        guard let start = message.range(of: marker),
              let end = message[start.upperBound...].firstIndex(of: "\"") else {
            self.init(manager: "", field: text)
            return
        }
        self.init(manager: String(message[start.upperBound..<end]), field: field)
    }
}
