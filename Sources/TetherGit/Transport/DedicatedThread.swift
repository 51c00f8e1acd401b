import TetherModel

/// Runs blocking libgit2 work on its own thread (`TetherModel.runOnDedicatedThread`) and
/// aborts it through `context` when the calling task is cancelled.
/// - Parameters:
///   - context: the operation's deadlines; `abort(.cancelled)` is called on cancellation.
///   - body: the blocking work.
/// - Returns: what `body` returns.
/// - Throws: what `body` throws (`GitError`), or `.cancelled` if the task was already cancelled.
func runOnDedicatedThread<T: Sendable>(context: OperationContext,
                                       _ body: @escaping @Sendable () throws(GitError) -> T) async throws(GitError) -> T {
    if Task.isCancelled { throw GitError(.cancelled, "cancelled before starting.") }
    let result: Result<T, GitError> = await withTaskCancellationHandler { () async -> Result<T, GitError> in
        do throws(GitError) {
            return .success(try await runOnDedicatedThread(name: "tether-git", stackSize: 8 << 20) { () throws(GitError) -> T in
                try context.run(body)
            })
        } catch {
            return .failure(error)
        }
    } onCancel: {
        context.abort(.cancelled)
    }
    return try result.get()
}
