import Foundation

/// Runs blocking work (a curl transfer, waiting for a credential plugin) on its own
/// thread, never on the Swift cooperative pool, whose few threads must not block.
/// Cancellation is the caller's business: curl transfers watch a `CancellationFlag`.
/// - Parameter body: the blocking work.
/// - Returns: what `body` returns.
func runOnDedicatedThread<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        let thread = Thread {
            continuation.resume(returning: body())
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }
}
