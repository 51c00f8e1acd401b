/// An error from the daemon's building blocks: a secret file, a listen address, a lease
/// or a configuration value that cannot be used.
///
/// The description follows the project pattern *where: what happened. How to fix it.* It
/// never contains a secret: a secret file's path may appear, its content never does.
package struct DaemonError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    package enum Code: String, Sendable {
        /// The webhook secret file is missing, unreadable, empty or too large.
        case secretFile
        /// The HTTP listen address is malformed or cannot be bound.
        case listenFailed
        /// A configuration value is out of range (durations, sizes, rates).
        case invalidConfiguration
        /// The leader-election Lease could not be read or written.
        case lease
    }

    package var code: Code
    package var message: String
    package var cause: (any Error)?

    package init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    package var description: String {
        var text = message
        if let cause { text += " Caused by: \(cause)" }
        return text
    }
}
