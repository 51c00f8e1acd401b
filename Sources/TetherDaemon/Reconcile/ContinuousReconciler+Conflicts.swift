import Logging
import TetherEngine
import TetherModel

extension ContinuousReconciler {
    /// Re-applies, with force, the objects a sync could not apply because another field
    /// manager holds one of their fields (409 Conflict) and whose drift policy is
    /// `correct`.
    ///
    /// A sync applies without `--force-conflicts`, so a field taken by `kubectl scale`
    /// failed the sync with 409 until the watch-driven correction (which forces) won the
    /// race; and drift made while no daemon ran was never corrected at all, since the
    /// watches' first list reports nothing. Self-heal takes such fields back anyway, so
    /// the sync does what the correction does. Objects with `tether.dev/drift: report` or
    /// `ignore`, every object with `--self-heal=false`, and objects of another ApplySet
    /// stay conflicted.
    /// - Returns: whether any object was taken back (the caller then syncs again, so the
    ///   result and the ApplySet parent's last-result annotation say what holds now).
    func forceCorrectableConflicts(_ result: SyncResult, plan: Plan) async -> Bool {
        let conflicted = Set(result.results.filter { $0.outcome == .conflicted }.map(\.id))
        guard !conflicted.isEmpty else { return false }
        let applySetID = plan.applySet.applySetID
        let entries = plan.entries.filter { entry in
            guard conflicted.contains(entry.id), let desired = entry.desired, let live = entry.live else { return false }
            let owner = live.label(ApplySetID.partOfLabel) ?? ""
            guard owner.isEmpty || owner == applySetID else { return false }
            return DriftPolicy.forObject(desired: desired, live: live, selfHeal: configuration.selfHeal) == .correct
        }
        guard !entries.isEmpty else { return false }
        var takenBack = 0
        for outcome in await reconciler.heal(entries) where !outcome.failed {
            takenBack += 1
            logger.notice("conflicting field taken back", metadata: ["object": "\(outcome.id)", "result": "\(outcome.outcome.rawValue)"])
        }
        // Drift corrected, if by the sync rather than by the watch.
        guard takenBack > 0 else { return false }
        metrics?.recordDriftCorrections(takenBack)
        recordCorrections(takenBack)
        return true
    }
}
