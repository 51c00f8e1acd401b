/// A credential (token, password, private key) that cannot leak through string
/// interpolation, logging or `dump`: its description is always `<redacted>`.
package struct Redacted<Wrapped: Sendable & Equatable>: Sendable, Equatable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself. Read it only where it is handed to the transport.
    package let value: Wrapped
    package init(_ value: Wrapped) { self.value = value }
    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: [:]) }
}
