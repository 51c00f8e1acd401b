package import TetherModel

/// What a sync did, object by object: filled in by the applier and the pruner, printed
/// by `tether sync` (text, or JSON with `--output json` for CI).
///
/// A failed or conflicting object is a result, not an error: the sync goes on with the
/// others and the report says which ones need attention (`hasFailures`).
package struct SyncReport: Sendable, Hashable {
    /// One field another manager owns, which server-side apply refused to take over.
    package struct FieldConflict: Sendable, Hashable {
        /// The field manager that owns the field (`kubectl-edit`, `hpa-controller`).
        package var manager: String
        /// The field path as the API server reports it (`.spec.replicas`).
        package var field: String

        package init(manager: String, field: String) {
            self.manager = manager
            self.field = field
        }
    }

    /// The outcome for one object, named as past-tense facts (the names of `ObjectOutcome`).
    package enum Outcome: Sendable, Hashable {
        /// Created by server-side apply.
        case created
        /// Changed by server-side apply.
        case configured
        /// Already as rendered; nothing was sent, or the apply changed nothing.
        case unchanged
        /// Deleted because it left the rendered set.
        case pruned
        /// The API server refused or failed the request; the message says why
        /// (for a 422, the server's causes).
        case failed(message: String)
        /// Another field manager owns fields the object sets; `--force-conflicts` takes them.
        case conflicted([FieldConflict])
        /// Left alone, with the reason (`tether.dev/sync: disabled`, a protected prune).
        case skipped(reason: String)

        /// The name used in JSON and text: created, configured, unchanged, pruned, failed,
        /// conflicted, skipped.
        package var name: String {
            switch self {
            case .created: return "created"
            case .configured: return "configured"
            case .unchanged: return "unchanged"
            case .pruned: return "pruned"
            case .failed: return "failed"
            case .conflicted: return "conflicted"
            case .skipped: return "skipped"
            }
        }

        /// Whether the object did not end up as planned.
        package var isFailure: Bool {
            switch self {
            case .failed, .conflicted: return true
            case .created, .configured, .unchanged, .pruned, .skipped: return false
            }
        }
    }

    /// One object's line in the report.
    package struct Entry: Sendable, Hashable {
        package var id: ResourceID
        package var apiVersion: String
        /// What the plan said to do.
        package var action: PlannedAction
        package var outcome: Outcome
        /// Time spent on this object's requests (zero when nothing was sent).
        package var duration: Duration

        package init(id: ResourceID, apiVersion: String, action: PlannedAction, outcome: Outcome,
                     duration: Duration = .zero) {
            self.id = id
            self.apiVersion = apiVersion
            self.action = action
            self.outcome = outcome
            self.duration = duration
        }
    }

    /// A stage of the sync and how long it took.
    package struct Phase: Sendable, Hashable {
        /// The stage: `fetch`, `render`, `plan`, `apply`, `prune`, `wait`.
        package var name: String
        package var duration: Duration

        package init(name: String, duration: Duration) {
            self.name = name
            self.duration = duration
        }
    }

    /// Counts by outcome.
    package struct Summary: Sendable, Hashable, CustomStringConvertible {
        package var created = 0
        package var configured = 0
        package var unchanged = 0
        package var pruned = 0
        package var failed = 0
        package var conflicts = 0
        package var skipped = 0

        package init(_ objects: [Entry] = []) {
            for object in objects {
                switch object.outcome {
                case .created: created += 1
                case .configured: configured += 1
                case .unchanged: unchanged += 1
                case .pruned: pruned += 1
                case .failed: failed += 1
                case .conflicted: conflicts += 1
                case .skipped: skipped += 1
                }
            }
        }

        /// `N created, N configured, N pruned, N unchanged`, then skips, failures and
        /// conflicts when there are any.
        package var description: String {
            var text = "\(created) created, \(configured) configured, \(pruned) pruned, \(unchanged) unchanged"
            if skipped > 0 { text += ", \(skipped) skipped" }
            if failed > 0 { text += ", \(failed) failed" }
            if conflicts > 0 { text += ", \(conflicts) with conflicts" }
            return text
        }
    }

    /// The Git revision synced, when known.
    package var revision: String?
    /// The ApplySet parent, `Kind/namespace/name`.
    package var applySet: ResourceID?
    /// Results in the order the objects were handled (apply order, then prunes).
    package var objects: [Entry]
    /// Prunes that were due but not done because `--prune` was not given.
    package var prunePending: Int
    /// Stages in the order they ran.
    package var phases: [Phase]
    /// Wall time of the whole sync.
    package var duration: Duration
    /// Why the sync stopped early (a refused prune budget, a stale plan), when it did.
    /// Must not hold Secret values; error messages from the engine never do.
    package var error: String?
    /// The stage the sync stopped in (`fetch`, `render`, `plan`, `apply`, `prune`,
    /// `wait`), when it stopped early.
    package var stage: String?

    package init(revision: String?, applySet: ResourceID? = nil, objects: [Entry] = [], prunePending: Int = 0,
                 phases: [Phase] = [], duration: Duration = .zero, error: String? = nil) {
        self.revision = revision
        self.applySet = applySet
        self.objects = objects
        self.prunePending = prunePending
        self.phases = phases
        self.duration = duration
        self.error = error
    }

    package var summary: Summary { Summary(objects) }

    /// Whether an object failed or conflicted, or the sync stopped early: `tether sync`
    /// then exits non-zero.
    package var hasFailures: Bool { error != nil || objects.contains { $0.outcome.isFailure } }
}
