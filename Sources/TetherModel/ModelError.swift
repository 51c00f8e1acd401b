/// An error from decoding or validating data in the resource model: bad
/// YAML or JSON, a document that is not a Kubernetes object, a limit
/// exceeded.
///
/// The description follows the project pattern *where: what happened. How to
/// fix it.*, e.g. `base/deploy.yaml:12:5: duplicate mapping key "image"
/// (first at line 9). Remove one of them.`
package struct ModelError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; callers switch on it to choose exit codes.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Raw: String, Sendable {
            case invalidYAML, invalidJSON, duplicateKey, notAnObject, missingField
            case invalidField, limitExceeded, unsupportedValue, invalidPointer
        }
        private let raw: Raw
        private init(_ raw: Raw) { self.raw = raw }
        package static let invalidYAML = Code(.invalidYAML)
        package static let invalidJSON = Code(.invalidJSON)
        package static let duplicateKey = Code(.duplicateKey)
        package static let notAnObject = Code(.notAnObject)
        package static let missingField = Code(.missingField)
        package static let invalidField = Code(.invalidField)
        package static let limitExceeded = Code(.limitExceeded)
        package static let unsupportedValue = Code(.unsupportedValue)
        /// A JSON pointer that does not parse (RFC 6901).
        package static let invalidPointer = Code(.invalidPointer)
        package var description: String { raw.rawValue }
    }

    package var code: Code
    package var message: String
    /// Where the problem is: a file and, when known, a line and column.
    package var location: SourceLocation?
    package var cause: (any Error)?

    package init(_ code: Code, _ message: String, at location: SourceLocation? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.cause = cause
    }

    package var description: String {
        guard let location else { return message }
        return "\(location): \(message)"
    }
}

/// A place in a source file: path (relative to the build root where one
/// exists) and a 1-based line and column when known.
package struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    package var file: String
    package var line: Int?
    package var column: Int?

    package init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    package var description: String {
        var s = file.isEmpty ? "<input>" : file
        if let line {
            s += ":\(line)"
            if let column { s += ":\(column)" }
        }
        return s
    }
}
