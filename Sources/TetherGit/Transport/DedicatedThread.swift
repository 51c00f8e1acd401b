import Foundation

/// Runs blocking libgit2 work on its own thread, never on the Swift cooperative pool, and
/// aborts it through `context` when the calling task is cancelled.
/// - Parameters:
///   - context: the operation's deadlines; `abort(.cancelled)` is called on cancellation.
///   - body: the blocking work.
/// - Returns: what `body` returns.
/// - Throws: what `body` throws (`GitError`), or `.cancelled` if the task was already cancelled.
func runOnDedicatedThread<T: Sendable>(context: OperationContext,
                                       _ body: @escaping @Sendable () throws(GitError) -> T) async throws(GitError) -> T {
    if Task.isCancelled { throw GitError(.cancelled, "cancelled before starting.") }
    let result: Result<T, GitError> = await withTaskCancellationHandler {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, GitError>, Never>) in
            let thread = Thread {
                let outcome: Result<T, GitError>
                do throws(GitError) {
                    outcome = .success(try context.run(body))
                } catch {
                    outcome = .failure(error)
                }
                continuation.resume(returning: outcome)
            }
            thread.name = "tether-git"
            thread.stackSize = 8 << 20
            thread.start()
        }
    } onCancel: {
        context.abort(.cancelled)
    }
    return try result.get()
}
