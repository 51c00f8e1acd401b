import Foundation  // Thread: the one place TetherModel needs it (named threads with a set stack size).

/// Runs blocking work (a libgit2 fetch, a curl transfer, a credential plugin, `openssl`)
/// on a thread of its own, never on the Swift cooperative pool, whose few threads must
/// not block. The one way Tether leaves the pool for a single piece of work.
///
/// Cancellation is the caller's business: the work cannot be stopped from outside, so a
/// caller that must stop it early gives it its own abort flag (curl transfers watch a
/// `CancellationFlag`, libgit2 work an `OperationContext`).
/// - Parameters:
///   - name: the thread's name, as `top` and debuggers show it.
///   - stackSize: the thread's stack, in bytes.
///   - body: the blocking work.
/// - Returns: what `body` returns.
/// - Throws: what `body` throws.
package func runOnDedicatedThread<T: Sendable, E: Error>(
    name: String, stackSize: Int = 1 << 20, _ body: @escaping @Sendable () throws(E) -> T
) async throws(E) -> T {
    let result: Result<T, E> = await withCheckedContinuation { continuation in
        let thread = Thread {
            continuation.resume(returning: Result { () throws(E) -> T in try body() })
        }
        thread.name = name
        thread.stackSize = stackSize
        thread.start()
    }
    return try result.get()
}
