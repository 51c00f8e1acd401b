/// The one error type of `TetherSOPS`.
///
/// Every refusal ends here: a file that is not SOPS data, a missing or wrong key, a value or
/// MAC that does not authenticate, an unsupported version, cipher or key kind. Messages name
/// the file and what failed, and never contain a decrypted value, a data key or an identity.
package struct SOPSError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Extensible: new codes can be added without breaking callers.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Raw: String, Hashable, Sendable {
            case invalidFormat, noMatchingKey, invalidKey, authenticationFailed
            case macMismatch, unsupported, notEncrypted, keyTool
        }

        private let raw: Raw
        private init(_ raw: Raw) { self.raw = raw }

        /// The file, its metadata, an age file or an identity file is malformed.
        package static let invalidFormat = Code(.invalidFormat)
        /// None of the configured identities or keys opens any of the file's data-key stanzas.
        package static let noMatchingKey = Code(.noMatchingKey)
        /// A key file or identity could not be parsed, or the data key has the wrong size.
        package static let invalidKey = Code(.invalidKey)
        /// A value, the MAC or an age header failed authenticated decryption (tampering or wrong key).
        package static let authenticationFailed = Code(.authenticationFailed)
        /// The decrypted MAC does not match the values, or the file has no MAC.
        package static let macMismatch = Code(.macMismatch)
        /// A cipher, value type, key kind or store this implementation does not support.
        package static let unsupported = Code(.unsupported)
        /// The file carries no SOPS metadata.
        package static let notEncrypted = Code(.notEncrypted)
        /// An external key tool (gpg) failed.
        package static let keyTool = Code(.keyTool)

        package var description: String { raw.rawValue }
    }

    /// What kind of failure this is.
    package var code: Code
    /// What happened and how to fix it. Never contains a plaintext value or key material.
    package var message: String
    /// The file the error concerns (as the caller named it), when known.
    package var file: String?
    /// The underlying error, if any.
    package var cause: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - message: what happened and how to fix it; must not contain secrets.
    ///   - file: the file the error concerns.
    ///   - cause: the underlying error.
    package init(_ code: Code, _ message: String, file: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.cause = cause
    }

    /// The same error, attributed to `file` unless it already names one.
    package func inFile(_ file: String) -> SOPSError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }

    package var description: String {
        var text = file.map { "\($0): \(message)" } ?? message
        if let cause { text += " (cause: \(cause))" }
        return text
    }
}
