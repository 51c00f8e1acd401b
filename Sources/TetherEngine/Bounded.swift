/// Runs work over many items with at most `limit` running at once, keeping the results
/// in the items' order.
///
/// Cancellation is an outcome, not a trap: once the calling task is cancelled no new
/// item is started, the items already running finish (each body decides how quickly),
/// and the caller learns which ones did.
enum Bounded {
    /// What a bounded run finished: the outputs of the items that ran, in the items' order.
    struct Finished<Output: Sendable>: Sendable {
        /// One slot per item; nil for the items that were never started (cancelled).
        var slots: [Output?]
        /// The outputs of the items that ran, in the items' order.
        var outputs: [Output] { slots.compactMap { $0 } }
        /// Whether every item ran.
        var isComplete: Bool { !slots.contains { $0 == nil } }
    }

    /// Runs `body` over every item, or over as many as ran before the task was cancelled.
    /// - Returns: every item's output, or (after cancellation) those that finished.
    static func run<Item: Sendable, Output: Sendable>(
        _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async -> Output
    ) async -> Finished<Output> {
        guard !items.isEmpty else { return Finished(slots: []) }
        return await withTaskGroup(of: (Int, Output).self) { group in
            var slots = [Output?](repeating: nil, count: items.count)
            var next = 0
            let width = max(1, min(limit, items.count))
            while next < width, !Task.isCancelled {
                let index = next
                group.addTask { (index, await body(items[index])) }
                next += 1
            }
            while let (index, output) = await group.next() {
                slots[index] = output
                if next < items.count, !Task.isCancelled {
                    let index = next
                    group.addTask { (index, await body(items[index])) }
                    next += 1
                }
            }
            return Finished(slots: slots)
        }
    }

    /// Runs `body` over every item and returns every output, in the items' order.
    /// - Throws: `CancellationError` when the task was cancelled before every item ran
    ///   (the items that were running have finished by then).
    static func map<Item: Sendable, Output: Sendable>(
        _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async -> Output
    ) async throws(CancellationError) -> [Output] {
        let finished = await run(items, limit: limit, body)
        guard finished.isComplete else { throw CancellationError() }
        return finished.outputs
    }
}
