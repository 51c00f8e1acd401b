package import TetherModel

/// An error from planning, applying or pruning: what happened, to which object, and
/// how to fix it.
package struct EngineError: Error, Sendable, CustomStringConvertible {
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Raw: String, Sendable {
            case inventoryMismatch, emptyRender, pruneBudget, planStale, invalidPlan
            case invalidConfig, notReady, timeout, cluster, source, render
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
        package var description: String { raw.rawValue }
    }

    package var code: Code
    package var message: String
    package var resource: ResourceID?
    package var hint: String?
    package var cause: (any Error)?

    package init(_ code: Code, _ message: String, resource: ResourceID? = nil, hint: String? = nil,
                 cause: (any Error)? = nil) {
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
