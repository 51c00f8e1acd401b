/// What one sync achieved, as the engine reports it to the scheduler.
package struct SyncOutcome: Sendable, Equatable {
    package enum Result: Sendable, Equatable {
        /// Everything rendered was applied (or already equal).
        case succeeded
        /// Fetch, render or apply failed; `message` says what (never a secret). Nothing was
        /// pruned, and the previous revision stays in place.
        case failed(message: String)
    }

    package var result: Result
    /// The Git revision applied (success) or attempted (failure), when known.
    package var revision: String?
    /// Objects in the inventory after the sync, when known.
    package var objectsManaged: Int?
    /// Objects re-applied because they had drifted.
    package var driftCorrections: Int

    /// - Parameters: see the properties.
    package init(result: Result, revision: String? = nil, objectsManaged: Int? = nil, driftCorrections: Int = 0) {
        self.result = result
        self.revision = revision
        self.objectsManaged = objectsManaged
        self.driftCorrections = driftCorrections
    }

    /// A successful sync of `revision`.
    package static func succeeded(revision: String?, objectsManaged: Int? = nil, driftCorrections: Int = 0) -> SyncOutcome {
        SyncOutcome(result: .succeeded, revision: revision, objectsManaged: objectsManaged, driftCorrections: driftCorrections)
    }

    /// A failed sync.
    package static func failed(_ message: String, revision: String? = nil) -> SyncOutcome {
        SyncOutcome(result: .failed(message: message), revision: revision)
    }

    /// Whether the sync succeeded.
    package var succeeded: Bool { result == .succeeded }
}
