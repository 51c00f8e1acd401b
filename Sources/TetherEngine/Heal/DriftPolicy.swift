package import TetherModel

/// What the daemon does when a managed object drifts from the rendered state:
/// `--self-heal` chooses the default, the `tether.dev/drift` annotation (on the
/// rendered object or the live one) overrides it per object.
package enum DriftPolicy: String, Sendable, Hashable, CaseIterable {
    /// Re-apply the rendered object, forcing conflicts.
    case correct
    /// Log it and count it, change nothing.
    case report
    /// Do not even report it.
    case ignore

    /// The policy for one object.
    package static func forObject(desired: Resource, live: Resource?, selfHeal: Bool) -> DriftPolicy {
        for source in [live, desired] {
            if let text = source?.annotation(Annotations.drift), let policy = DriftPolicy(rawValue: text) { return policy }
        }
        return selfHeal ? .correct : .report
    }
}

/// Decides whether a change seen by a watch is drift: the object was deleted, or it no
/// longer holds every rendered field (the planner's fast-path test, no request needed).
package struct DriftDetector: Sendable {
    package var fieldManager: String

    package init(fieldManager: String) {
        self.fieldManager = fieldManager
    }

    /// nil when `live` still matches `desired`, otherwise a short description.
    package func drift(desired: Resource, live: Resource?) -> String? {
        guard let live else { return "deleted" }
        if LiveComparison(fieldManager: fieldManager).isUnchanged(desired: desired, live: live) { return nil }
        return "changed"
    }
}

/// Spaces out corrections of one object, so a flapping object (another controller
/// fighting over a field) cannot cause a storm: the first correction is immediate, then
/// each further one within `window` doubles the wait, up to `maximum`.
package struct DriftDebouncer: Sendable {
    package var minimum: Duration
    package var maximum: Duration
    package var window: Duration
    private var history: [ResourceID: (last: ContinuousClock.Instant, streak: Int)] = [:]

    package init(minimum: Duration = .milliseconds(250), maximum: Duration = .seconds(300), window: Duration = .seconds(60)) {
        self.minimum = minimum
        self.maximum = maximum
        self.window = window
    }

    /// How long to wait before correcting `id` now, and records the correction.
    package mutating func delay(for id: ResourceID, now: ContinuousClock.Instant) -> Duration {
        var streak = 0
        var wait = Duration.zero
        if let previous = history[id], now - previous.last < window {
            streak = previous.streak + 1
            var backoff = minimum
            for _ in 1..<min(streak + 1, 20) { backoff = min(backoff * 2, maximum) }
            let earliest = previous.last + backoff
            wait = earliest > now ? earliest - now : .zero
        }
        history[id] = (now + wait, streak)
        if history.count > 10_000 { history = history.filter { now - $0.value.last < window } }
        return wait
    }
}
