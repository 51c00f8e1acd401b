package import TetherModel

/// What happened to one object during a sync, named as past-tense facts.
package enum ObjectOutcome: String, Sendable, Hashable, Codable {
    case created, configured, unchanged, pruned, skipped, failed, conflicted
}

/// One object's result in a sync.
package struct ObjectResult: Sendable, Hashable {
    package var id: ResourceID
    package var apiVersion: String
    /// What the plan said.
    package var action: PlannedAction
    package var outcome: ObjectOutcome
    /// The error, conflict or skip reason.
    package var message: String?
    /// Field conflicts with other managers, when conflicted.
    package var conflicts: [String]
    /// Time spent on this object's request(s).
    package var duration: Duration

    package init(id: ResourceID, apiVersion: String, action: PlannedAction, outcome: ObjectOutcome,
                 message: String? = nil, conflicts: [String] = [], duration: Duration = .zero) {
        self.id = id
        self.apiVersion = apiVersion
        self.action = action
        self.outcome = outcome
        self.message = message
        self.conflicts = conflicts
        self.duration = duration
    }

    package var failed: Bool { outcome == .failed || outcome == .conflicted }
}

/// Everything a sync did.
package struct SyncResult: Sendable {
    package var revision: String?
    package var applySet: ResourceID
    package var results: [ObjectResult]
    /// Prunes that were due but not done (no `--prune`).
    package var prunePending: Int
    package var duration: Duration
    /// The part of `duration` spent pruning (the rest went to widening the parent,
    /// applying and narrowing it).
    package var pruneDuration: Duration
    /// Why the deletions were held back (the prune budget), when they were; the creates
    /// and updates were applied all the same.
    package var pruneRefusal: EngineError?

    package init(revision: String?, applySet: ResourceID, results: [ObjectResult], prunePending: Int, duration: Duration,
                 pruneDuration: Duration = .zero, pruneRefusal: EngineError? = nil) {
        self.pruneRefusal = pruneRefusal
        self.revision = revision
        self.applySet = applySet
        self.results = results
        self.prunePending = prunePending
        self.duration = duration
        self.pruneDuration = pruneDuration
    }

    package var failures: [ObjectResult] { results.filter(\.failed) }
    /// Every object as planned, and no deletion refused.
    package var succeeded: Bool { failures.isEmpty && pruneRefusal == nil }

    package func count(_ outcome: ObjectOutcome) -> Int { results.reduce(0) { $0 + ($1.outcome == outcome ? 1 : 0) } }
}
