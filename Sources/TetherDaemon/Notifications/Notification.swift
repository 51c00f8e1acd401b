package import Foundation
import TetherEngine
import TetherGit
import TetherModel

/// What a notification says, built from a sync or a drift record. It holds object names,
/// counts and engine messages only, never object data (so never a Secret value).
package struct Notification: Sendable, Equatable {
    /// The `--notify-on` names.
    package enum Kind: String, Sendable, CaseIterable {
        /// A sync that created, configured or pruned something.
        case synced
        /// A failed sync, or a refused prune.
        case failed
        /// Drift corrected, failed to correct, or reported (self-heal off).
        case drift
    }

    /// As Flux's notification-controller: a provider set to `error` gets failures only.
    package enum Severity: String, Sendable, CaseIterable, Comparable {
        case info, error
        package static func < (a: Severity, b: Severity) -> Bool { a == .info && b == .error }
    }

    package struct Change: Sendable, Equatable {
        /// `Kind/namespace/name`.
        package var object: String
        /// `created`, `configured`, `pruned`, `failed`, …
        package var outcome: String
    }

    package var kind: Kind
    package var severity: Severity
    /// The Event reason: `Synced`, `SyncFailed`, `PruneRefused`, `DriftCorrected`, …
    package var reason: String
    package var target: String
    /// Full commit SHA, when known.
    package var revision: String?
    /// The commit's first line and author, when known.
    package var commitSubject: String?
    package var commitAuthor: String?
    package var message: String
    package var trigger: String?
    /// Objects by outcome (syncs only).
    package var counts: [String: Int]
    /// The objects changed (at most `maxChanges`, in sync order).
    package var changes: [Change]
    package var time: Date

    package static let maxChanges = 50

    package var shortRevision: String { revision.map { String($0.prefix(12)) } ?? "-" }
    /// One line for chat: `tether/prod: Synced revision abc123def456 — 2 created, …`.
    package var title: String { "tether/\(target): \(reason) (revision \(shortRevision))" }
}

extension Notification {
    /// The notification for a sync: nil when it changed nothing and did not fail.
    package init?(_ sync: SyncRecord, target: String) {
        let base = (revision: sync.outcome.revision ?? sync.revision?.sha, subject: sync.revision?.subject, author: sync.revision?.author)
        var counts: [String: Int] = [:]
        for (outcome, count) in sync.counts { counts[outcome.rawValue] = count }
        let changes = (sync.result?.results ?? []).lazy.filter { $0.outcome != .unchanged && $0.outcome != .skipped }
            .prefix(Self.maxChanges).map { Change(object: $0.id.description, outcome: $0.outcome.rawValue) }
        if let failure = sync.outcome.failureMessage {
            self.init(kind: .failed, severity: .error, reason: sync.pruneRefused ? "PruneRefused" : "SyncFailed", target: target,
                      revision: base.revision, commitSubject: base.subject, commitAuthor: base.author, message: failure,
                      trigger: sync.trigger.description, counts: counts, changes: Array(changes), time: Date())
        } else if sync.changed {
            self.init(kind: .synced, severity: .info, reason: "Synced", target: target, revision: base.revision,
                      commitSubject: base.subject, commitAuthor: base.author, message: "Applied revision \(sync.shortRevision): \(sync.countsText)",
                      trigger: sync.trigger.description, counts: counts, changes: Array(changes), time: Date())
        } else {
            return nil
        }
    }

    /// The notification for a drift record: nil while a correction is still pending.
    package init?(_ drift: DriftRecord, target: String) {
        let reason: String
        let severity: Severity
        let message: String
        if drift.endedAt == nil {
            guard drift.policy == .report else { return nil }
            (reason, severity, message) = ("DriftDetected", .error, "\(drift.id) was \(drift.what) outside tether; self-heal is off for it")
        } else if let failure = drift.failure {
            (reason, severity, message) = ("DriftCorrectionFailed", .error, "\(drift.id) was \(drift.what) and could not be restored: \(failure)")
        } else {
            (reason, severity, message) = ("DriftCorrected", .info, "\(drift.id) was \(drift.what) and has been restored")
        }
        self.init(kind: .drift, severity: severity, reason: reason, target: target, revision: drift.revision, message: message,
                  trigger: nil, counts: [:], changes: [Change(object: drift.id.description, outcome: drift.corrected ? "corrected" : drift.what)],
                  time: drift.endedAt ?? drift.detectedAt)
    }
}
