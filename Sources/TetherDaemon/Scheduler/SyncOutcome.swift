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
    /// Per-object state for `/status`, when the engine reports it.
    package var objects: [ObjectState]

    /// One managed object's state after a sync, for `/status`.
    package struct ObjectState: Sendable, Equatable {
        /// The object, as `group/Kind/namespace/name` (the engine's `ResourceID` text).
        package var id: String
        /// What the sync did or found: `created`, `updated`, `unchanged`, `pruned`,
        /// `drifted`, `failed`, …
        package var state: String
        /// Why, for `failed` (never a Secret value).
        package var message: String?
        package init(id: String, state: String, message: String? = nil) {
            self.id = id
            self.state = state
            self.message = message
        }
    }

    /// - Parameters: see the properties.
    package init(result: Result, revision: String? = nil, objectsManaged: Int? = nil, driftCorrections: Int = 0,
                 objects: [ObjectState] = []) {
        self.result = result
        self.revision = revision
        self.objectsManaged = objectsManaged
        self.driftCorrections = driftCorrections
        self.objects = objects
    }

    /// A successful sync of `revision`.
    package static func succeeded(revision: String?, objectsManaged: Int? = nil, driftCorrections: Int = 0,
                                  objects: [ObjectState] = []) -> SyncOutcome {
        SyncOutcome(result: .succeeded, revision: revision, objectsManaged: objectsManaged,
                    driftCorrections: driftCorrections, objects: objects)
    }

    /// A failed sync.
    package static func failed(_ message: String, revision: String? = nil) -> SyncOutcome {
        SyncOutcome(result: .failed(message: message), revision: revision)
    }

    /// The failure message, for a failed sync.
    package var failureMessage: String? {
        if case .failed(let message) = result { return message }
        return nil
    }

    /// Whether the sync succeeded.
    package var succeeded: Bool { result == .succeeded }
}
