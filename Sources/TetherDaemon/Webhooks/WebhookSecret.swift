import Foundation

/// The shared secret webhooks are signed with, read from a file (for example a mounted
/// Kubernetes Secret). Its description is always `<redacted>`, so interpolating it into a
/// log line or an error cannot leak it.
package struct WebhookSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret's bytes. Read them only to compute or compare a signature.
    package let bytes: [UInt8]

    /// The largest secret file accepted; anything bigger is surely the wrong file.
    package static let maxFileBytes = 4096

    /// Wraps secret bytes (tests; production code uses `load(path:)`).
    /// - Throws: `DaemonError` `.secretFile` when `bytes` is empty.
    package init(bytes: [UInt8]) throws(DaemonError) {
        guard !bytes.isEmpty else {
            throw DaemonError(.secretFile, "the webhook secret is empty. Put the shared secret in the file.")
        }
        self.bytes = bytes
    }

    /// Reads the secret from a file. One trailing line break (`\n` or `\r\n`) is dropped,
    /// because editors and `echo` add one that the sender's copy does not have.
    /// - Parameter path: the file, e.g. `/etc/tether/webhook/secret`.
    /// - Throws: `DaemonError` `.secretFile` when the file cannot be read, is empty or is
    ///   larger than `maxFileBytes`. The message names the path, never the content.
    package static func load(path: String) throws(DaemonError) -> WebhookSecret {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DaemonError(.secretFile, "\(path): cannot read the webhook secret file. Check that it exists and is readable by this process.")
        }
        guard data.count <= maxFileBytes else {
            throw DaemonError(.secretFile, "\(path): the webhook secret file has \(data.count) bytes, more than \(maxFileBytes). Point --webhook-secret-file at the file holding only the secret.")
        }
        var bytes = [UInt8](data)
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard !bytes.isEmpty else {
            throw DaemonError(.secretFile, "\(path): the webhook secret file is empty. Put the shared secret in it.")
        }
        return try WebhookSecret(bytes: bytes)
    }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: [:]) }
}
