/// An error from applying a patch: a malformed patch document, a directive
/// used where it has no meaning, a JSON patch `test` that failed, or a path
/// that does not exist.
///
/// The description follows the project pattern *where: what happened. How to
/// fix it.*, with the field path as the where, e.g.
/// `spec.template.spec.containers[2]: element has no merge key "name". Add "name" to the element.`
package struct PatchError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; callers map it to exit codes or HTTP
    /// statuses (the emulator answers 422 for `invalidPatch` and
    /// `testFailed`, 409 for none).
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Raw: String, Sendable {
            case invalidPatch, invalidDirective, missingMergeKey, invalidPath, testFailed, typeMismatch
        }
        private let raw: Raw
        private init(_ raw: Raw) { self.raw = raw }
        /// The patch document is not of the shape its type requires.
        package static let invalidPatch = Code(.invalidPatch)
        /// A `$patch`, `$retainKeys`, `$setElementOrder` or
        /// `$deleteFromPrimitiveList` directive is malformed or misplaced.
        package static let invalidDirective = Code(.invalidDirective)
        /// An element of a merge list lacks its merge key.
        package static let missingMergeKey = Code(.missingMergeKey)
        /// A JSON pointer names a location that does not exist.
        package static let invalidPath = Code(.invalidPath)
        /// A JSON patch `test` operation found a different value.
        package static let testFailed = Code(.testFailed)
        /// The patch and the document disagree on the type at a path.
        package static let typeMismatch = Code(.typeMismatch)
        package var description: String { raw.rawValue }
    }

    package var code: Code
    package var message: String
    /// The field path (`spec.template.spec.containers[0]`) or JSON pointer
    /// (`/spec/replicas`) the error is about; empty for the document root.
    package var path: String
    package var cause: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - message: what happened and how to fix it, without the path.
    ///   - path: where in the document.
    ///   - cause: an underlying error, if any.
    package init(_ code: Code, _ message: String, at path: String = "", cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.cause = cause
    }

    package var description: String {
        path.isEmpty ? "<root>: \(message)" : "\(path): \(message)"
    }
}

/// A field path being walked, printed the way kubectl prints one
/// (`spec.containers[1].image`).
struct FieldPath: CustomStringConvertible {
    private(set) var text = ""

    func appending(_ key: String) -> FieldPath {
        var copy = self
        copy.text = text.isEmpty ? key : "\(text).\(key)"
        return copy
    }

    func appending(index: Int) -> FieldPath {
        var copy = self
        copy.text += "[\(index)]"
        return copy
    }

    var description: String { text }
}
