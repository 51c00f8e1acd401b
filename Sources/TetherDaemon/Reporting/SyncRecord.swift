package import Foundation
package import TetherEngine
package import TetherGit
package import TetherModel

/// One sync as the reporters (Kubernetes Events, notifications, traces) see it, put
/// together by `SyncRecorder` from the reconciler's observer calls.
package struct SyncRecord: Sendable {
    package var trigger: SyncTrigger
    package var startedAt: Date
    /// When the fetch ended and when planning ended, when they did.
    package var fetchedAt: Date?
    package var plannedAt: Date?
    package var duration: Duration
    /// The commit (author, subject), when the source is a Git repository.
    package var revision: GitRevision?
    /// The outcome the scheduler got: result, revision, failure message.
    package var outcome: SyncOutcome
    /// Every object's result and the refused prune budget, when the plan was applied; nil
    /// when the revision was already applied (nothing planned) or a stage before failed.
    package var result: SyncResult?
    /// The timed stages (`fetch`, `render`, `plan`, `apply`, `prune`).
    package var phases: [SyncReport.Phase]
    /// The planned object ids with their apiVersion and live uid (for event references).
    package var objects: [ResourceID: ObjectReference]

    /// The revision as Flux prints it, `sha` (first 12 hex digits), or `-` when unknown.
    package var shortRevision: String {
        guard let sha = outcome.revision ?? revision?.sha else { return "-" }
        return String(sha.prefix(12))
    }

    package var succeeded: Bool { outcome.succeeded }
    /// Whether the plan was applied and something was created, configured or pruned.
    package var changed: Bool { (result?.results.contains { [.created, .configured, .pruned].contains($0.outcome) }) ?? false }
    /// Whether the prune budget held the deletions back.
    package var pruneRefused: Bool { result?.pruneRefusal != nil }

    /// Objects by outcome (`created`, `configured`, `pruned`, `unchanged`, …).
    package var counts: [ObjectOutcome: Int] {
        var counts: [ObjectOutcome: Int] = [:]
        for entry in result?.results ?? [] { counts[entry.outcome, default: 0] += 1 }
        return counts
    }

    /// `2 created, 1 configured, 0 pruned, 7 unchanged` (failures when any).
    package var countsText: String {
        let counts = counts
        var parts = [ObjectOutcome.created, .configured, .pruned, .unchanged].map { "\(counts[$0] ?? 0) \($0.rawValue)" }
        let failed = (counts[.failed] ?? 0) + (counts[.conflicted] ?? 0)
        if failed > 0 { parts.append("\(failed) failed") }
        return parts.joined(separator: ", ")
    }
}

/// Where an object lives, for an Event's `involvedObject` or a message.
package struct ObjectReference: Sendable, Hashable {
    package var apiVersion: String
    /// The live object's uid when the plan read it (nil for a create).
    package var uid: String?
    package init(apiVersion: String, uid: String? = nil) {
        self.apiVersion = apiVersion
        self.uid = uid
    }
}

/// Drift on one member, from detection to its correction.
package struct DriftRecord: Sendable {
    package var id: ResourceID
    package var object: ObjectReference?
    /// `changed` or `deleted`.
    package var what: String
    package var policy: DriftPolicy
    package var detectedAt: Date
    /// When the correction ended (nil while only reported).
    package var endedAt: Date?
    /// Why the correction failed, when it did.
    package var failure: String?
    /// The revision whose state was restored.
    package var revision: String?

    package var corrected: Bool { endedAt != nil && failure == nil }
}
