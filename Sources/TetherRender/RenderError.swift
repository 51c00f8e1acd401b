package import TetherModel

/// An error from rendering a kustomization: a bad or unsupported field, a
/// file outside the root, a cycle, a patch with no target, a limit exceeded.
///
/// The description follows the project pattern *where: what happened. How to
/// fix it.*, for example `overlays/prod/kustomization.yaml: resource
/// '../../shared' is outside the root. Move the base inside the repository.`
package struct RenderError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; the CLI maps every code to exit code 2.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Raw: String, Sendable {
            case invalidKustomization, unsupportedField, fileNotFound, outsideRoot, remoteRefused
            case cycle, limitExceeded, invalidResource, conflict, noMatch, invalidPatch, io, encrypted
        }
        private let raw: Raw
        private init(_ raw: Raw) { self.raw = raw }
        /// A kustomization that does not parse or has a bad field.
        package static let invalidKustomization = Code(.invalidKustomization)
        /// A kustomize field Tether does not implement.
        package static let unsupportedField = Code(.unsupportedField)
        /// A referenced file or directory does not exist.
        package static let fileNotFound = Code(.fileNotFound)
        /// A path leaves the kustomization or the filesystem root.
        package static let outsideRoot = Code(.outsideRoot)
        /// A remote base (URL) was referenced; rendering is local only.
        package static let remoteRefused = Code(.remoteRefused)
        /// Kustomizations include each other.
        package static let cycle = Code(.cycle)
        /// A size, object-count or expansion limit was exceeded.
        package static let limitExceeded = Code(.limitExceeded)
        /// A resource file is not valid Kubernetes YAML.
        package static let invalidResource = Code(.invalidResource)
        /// Two resources have the same identity.
        package static let conflict = Code(.conflict)
        /// A patch or transformer target matched nothing where it must.
        package static let noMatch = Code(.noMatch)
        /// A patch could not be applied.
        package static let invalidPatch = Code(.invalidPatch)
        /// Reading a file failed.
        package static let io = Code(.io)
        /// An input file is SOPS-encrypted and no decrypter was given.
        package static let encrypted = Code(.encrypted)
        package var description: String { raw.rawValue }
    }

    package var code: Code
    /// What happened and how to fix it, without the location.
    package var message: String
    /// Where: a path relative to the build root, with line and column when known.
    package var origin: SourceLocation?
    package var cause: (any Error)?

    package init(_ code: Code, _ message: String, at origin: SourceLocation? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.origin = origin
        self.cause = cause
    }

    /// Convenience for an error located in a file without a line.
    package init(_ code: Code, _ message: String, file: String, cause: (any Error)? = nil) {
        self.init(code, message, at: SourceLocation(file: file), cause: cause)
    }

    package var description: String {
        guard let origin else { return message }
        return "\(origin): \(message)"
    }
}

extension RenderError {
    /// Wraps a model error (bad YAML), keeping its line and column.
    static func wrapping(_ error: ModelError) -> RenderError {
        RenderError(.invalidResource, error.message, at: error.location, cause: error)
    }
}
