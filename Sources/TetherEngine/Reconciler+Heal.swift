import TetherKube
import TetherModel

extension Reconciler {
    /// Re-applies drifted objects, taking ownership of conflicting fields (self-heal
    /// always forces), without touching the inventory.
    /// - Parameter entries: entries with the rendered object in `desired` and the
    ///   current live object (nil when it was deleted) in `live`.
    /// - Returns: `configured` for a restored object, `created` for a re-created one;
    ///   after cancellation, only the objects that were in flight (none is started after it).
    package func heal(_ entries: [PlanEntry]) async -> [ObjectResult] {
        var copy = self
        copy.options.forceConflicts = true
        let forcing = copy
        return await Bounded.run(entries.filter { $0.desired != nil }, limit: options.concurrency) { entry in
            var entry = entry
            entry.action = entry.live == nil ? .create : .update
            return await forcing.applyOne(entry)
        }.outputs
    }
}
