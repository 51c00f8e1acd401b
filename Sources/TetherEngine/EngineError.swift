package import TetherModel

/// An error from planning, applying or pruning: what happened, to which object, and
/// how to fix it.
package struct EngineError: Error, Sendable, CustomStringConvertible {
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Raw: String, Sendable {
            case inventoryMismatch, emptyRender, pruneBudget, planStale, invalidPlan
            case invalidConfig, notReady, timeout, cluster, source, render, cancelled
        }
        private let raw: Raw
        private init(_ raw: Raw) { self.raw = raw }
        /// The ApplySet parent belongs to another set or tool.
        package static let inventoryMismatch = Code(.inventoryMismatch)
        /// The render produced nothing and pruning everything was not allowed.
        package static let emptyRender = Code(.emptyRender)
        /// Pruning would delete more than the budget allows.
        package static let pruneBudget = Code(.pruneBudget)
        /// A saved plan no longer matches the cluster or the revision.
        package static let planStale = Code(.planStale)
        /// A saved plan file cannot be read.
        package static let invalidPlan = Code(.invalidPlan)
        /// A targets file or an option is wrong.
        package static let invalidConfig = Code(.invalidConfig)
        /// `--wait` found an object that did not become ready.
        package static let notReady = Code(.notReady)
        package static let timeout = Code(.timeout)
        /// The API server refused or failed a request the sync cannot do without.
        package static let cluster = Code(.cluster)
        /// Fetching the source failed.
        package static let source = Code(.source)
        /// Rendering failed.
        package static let render = Code(.render)
        /// The task was cancelled (SIGINT, SIGTERM, a shutdown timeout, lost leadership):
        /// the objects in flight finished, nothing else was started, and nothing was
        /// pruned or removed from the inventory. `partial` says what was applied.
        package static let cancelled = Code(.cancelled)
        package var description: String { raw.rawValue }
    }

    package var code: Code
    package var message: String
    package var resource: ResourceID?
    package var hint: String?
    package var cause: (any Error)?
    /// What a sync applied before it stopped with this error, when it had started writing.
    package var partial: SyncResult? {
        get { partialBox?.result }
        set { partialBox = newValue.map(PartialBox.init) }
    }
    /// Boxed, since a `SyncResult` can itself hold an `EngineError` (a refused prune).
    private var partialBox: PartialBox?

    private final class PartialBox: Sendable {
        let result: SyncResult
        init(_ result: SyncResult) { self.result = result }
    }

    package init(_ code: Code, _ message: String, resource: ResourceID? = nil, hint: String? = nil,
                 cause: (any Error)? = nil, partial: SyncResult? = nil) {
        self.partialBox = partial.map(PartialBox.init)
        self.code = code
        self.message = message
        self.resource = resource
        self.hint = hint
        self.cause = cause
    }

    package var description: String {
        var text = message
        if let cause { text += ": \(cause)" }
        if !text.hasSuffix(".") { text += "." }
        if let hint { text += " " + hint }
        return text
    }
}

extension EngineError {
    /// The error for work stopped by cancellation, with what was done before it.
    /// - Parameters:
    ///   - stage: what was running (`plan`, `apply`, `prune`, `wait`), for the message.
    ///   - partial: what the sync applied before it stopped, once it had started writing.
    package static func cancelled(during stage: String, partial: SyncResult? = nil) -> EngineError {
        EngineError(.cancelled, "the sync was cancelled during \(stage)",
                    hint: "Nothing was pruned and the inventory still lists every member; run the same command again to finish.",
                    partial: partial)
    }
}
