/// Why a sync runs. Triggers that arrive while a sync is running are merged into one
/// follow-up whose `reasons` hold every reason that arrived.
package struct SyncTrigger: Sendable, Hashable, CustomStringConvertible {
    /// One cause of a sync.
    package enum Reason: String, Sendable, Hashable, CaseIterable, Comparable {
        /// The first sync after start (or after becoming leader).
        case startup
        /// The `--interval` timer: fetch with the cheap no-change check.
        case poll
        /// An authenticated push webhook for the tracked ref.
        case webhook
        /// The `--resync` timer: compare and apply everything even if Git did not change.
        case resync
        /// The watch cache saw a managed object drift or disappear.
        case drift
        /// A retry after a failed sync, when its backoff ran out.
        case retry

        package static func < (a: Reason, b: Reason) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// Every reason merged into this sync; never empty.
    package private(set) var reasons: Set<Reason>

    /// A trigger with one reason.
    package init(_ reason: Reason) { reasons = [reason] }

    /// A trigger with several reasons; `reasons` must not be empty.
    package init(reasons: Set<Reason>) {
        precondition(!reasons.isEmpty, "a sync trigger needs a reason")
        self.reasons = reasons
    }

    /// This trigger with another's reasons added.
    package func merged(with other: SyncTrigger) -> SyncTrigger { SyncTrigger(reasons: reasons.union(other.reasons)) }

    /// Whether the engine should compare every object even when the revision did not
    /// change (startup, resync, retry, drift).
    package var isFull: Bool { !reasons.isDisjoint(with: [.startup, .resync, .retry, .drift]) }

    /// Whether the engine should fetch from Git first (everything but a pure drift).
    package var needsFetch: Bool { reasons != [.drift] }

    /// Reasons in a fixed order, joined by `+` (e.g. `poll+webhook`), for logs and metrics.
    package var description: String { reasons.sorted().map(\.rawValue).joined(separator: "+") }
}
