import UnixSignals

/// SIGINT and SIGTERM during `tether sync` and `tether diff`: the first one cancels the
/// work, which stops after the objects in flight and reports what it did (exit 130); a
/// second one ends the process at once (the handlers are back to the default by then).
enum Interruption {
    /// Runs `body`, cancelling it on the first SIGINT or SIGTERM.
    /// - Returns: what `body` returned (after cancellation, what it made of it).
    static func cancellingOnSignals<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        return await withTaskGroup(of: T?.self) { group in
            group.addTask { await body() }
            group.addTask {
                for await signal in signals {
                    printError("\(signal): stopping after the objects in flight (send it again to stop at once)")
                    return nil
                }
                return nil
            }
            var result: T?
            while let next = await group.next() {
                if let next {
                    result = next
                    group.cancelAll()  // ends the signal listener
                } else if result == nil {
                    group.cancelAll()  // a signal: the body stops and returns
                }
            }
            // The body always returns a value; the listener only ever returns nil.
            guard let result else { preconditionFailure("the body task ended without a result") }
            return result
        }
    }
}
