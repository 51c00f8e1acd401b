/// Runs work over many items with at most `limit` running at once, keeping the results
/// in the items' order.
enum Bounded {
    static func map<Item: Sendable, Output: Sendable>(
        _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async -> Output
    ) async -> [Output] {
        guard !items.isEmpty else { return [] }
        return await withTaskGroup(of: (Int, Output).self) { group in
            var results = [Output?](repeating: nil, count: items.count)
            var next = 0
            let width = max(1, min(limit, items.count))
            while next < width {
                let index = next
                group.addTask { (index, await body(items[index])) }
                next += 1
            }
            while let (index, output) = await group.next() {
                results[index] = output
                if next < items.count, !Task.isCancelled {
                    let index = next
                    group.addTask { (index, await body(items[index])) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}
