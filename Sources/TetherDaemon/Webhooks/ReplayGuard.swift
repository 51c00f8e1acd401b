/// Remembers the delivery ids of accepted webhooks for a bounded time and count, so the
/// same request sent again is refused.
///
/// Ids are remembered for `window` and at most `capacity` of them; when full, the oldest
/// is forgotten first. With the default rate bound (5 per second, burst 20) and window
/// (10 minutes) at most 3,020 ids can be accepted within a window, well under the default
/// capacity, so the capacity only matters if the rate bound is raised.
package struct ReplayGuard<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    package let window: Duration
    package let capacity: Int
    private var expiries: [String: Instant] = [:]
    /// Ids in the order they were admitted (so also in expiry order); `head` skips the
    /// ones already dropped without shifting the array each time.
    private var order: [String] = []
    private var head = 0

    /// - Parameters:
    ///   - window: how long an id is remembered.
    ///   - capacity: how many ids are remembered at most.
    package init(window: Duration = .seconds(600), capacity: Int = 10_000) {
        precondition(capacity > 0, "a replay guard needs room for at least one id")
        self.window = window
        self.capacity = capacity
    }

    /// How many ids are remembered now.
    package var count: Int { expiries.count }

    /// Records `id` unless it was already seen within the window.
    /// - Returns: `true` when `id` is new (the request may proceed), `false` for a replay.
    package mutating func admit(_ id: String, now: Instant) -> Bool {
        expire(now: now)
        if let expiry = expiries[id], expiry > now { return false }
        while expiries.count >= capacity { dropOldest() }
        expiries[id] = now.advanced(by: window)
        order.append(id)
        return true
    }

    private mutating func expire(now: Instant) {
        while head < order.count, let expiry = expiries[order[head]], expiry <= now {
            expiries[order[head]] = nil
            head += 1
        }
        // Keep `order` from growing without end: compact once half of it is dead.
        if head > 64, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    private mutating func dropOldest() {
        guard head < order.count else { return }
        expiries[order[head]] = nil
        head += 1
    }
}
