/// The one error type of `TetherGit`.
///
/// Every failure of a git source ends here: bad input, network faults, authentication,
/// host keys, missing refs, a broken cache and failed disk writes. The URL is always the
/// redacted form, and no message ever contains a credential.
package struct GitError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Extensible: new codes can be added without breaking callers.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidInput, unreachable, timeout, authentication, hostKey, refNotFound
            case corruptCache, diskWrite, signature, cancelled, unsupported, library
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A URL, ref or option was refused before any network work.
        package static let invalidInput = Code(.invalidInput)
        /// The server could not be reached (DNS, refused connection, reset, unexpected EOF).
        package static let unreachable = Code(.unreachable)
        /// A connect, idle or total deadline passed.
        package static let timeout = Code(.timeout)
        /// The server refused the credentials, or none were configured when it asked.
        package static let authentication = Code(.authentication)
        /// The SSH host key is unknown or changed, or the TLS certificate was refused.
        package static let hostKey = Code(.hostKey)
        /// The pinned branch, tag or commit does not exist on the remote.
        package static let refNotFound = Code(.refNotFound)
        /// The cache repository is damaged; it has been removed and must be cloned again.
        package static let corruptCache = Code(.corruptCache)
        /// Writing the cache or the checkout to disk failed.
        package static let diskWrite = Code(.diskWrite)
        /// Commit signature verification failed (unsigned, untrusted or invalid).
        package static let signature = Code(.signature)
        /// The calling task was cancelled.
        package static let cancelled = Code(.cancelled)
        /// The linked libgit2 lacks a needed feature (for example SSH support).
        package static let unsupported = Code(.unsupported)
        /// Any other libgit2 failure.
        package static let library = Code(.library)

        package var description: String { "\(value)" }
    }

    /// What kind of failure this is.
    package var code: Code
    /// A human-readable message: what happened and how to fix it. Never contains secrets.
    package var message: String
    /// The source URL with user information removed, when the error concerns a remote.
    package var url: String?
    /// The underlying error, if any.
    package var cause: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - message: what happened and how to fix it; must not contain secrets.
    ///   - url: the redacted URL the error concerns.
    ///   - cause: the underlying error.
    package init(_ code: Code, _ message: String, url: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.url = url
        self.cause = cause
    }

    package var description: String {
        var text = url.map { "\($0): \(message)" } ?? message
        if let cause { text += " (cause: \(cause))" }
        return text
    }
}

/// A libgit2 failure as read from `git_error_last` in the same frame as the failing call.
package struct Libgit2Failure: Error, Sendable, CustomStringConvertible {
    /// The negative return code (`git_error_code`).
    package var result: Int32
    /// The error class (`git_error_t`).
    package var errorClass: Int32
    /// libgit2's message, already passed through URL redaction.
    package var message: String

    package var description: String { "libgit2 error \(result)/\(errorClass): \(message)" }
}
