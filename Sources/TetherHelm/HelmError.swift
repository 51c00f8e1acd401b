/// The one error type of `TetherHelm`: what went wrong, where (chart, file, line), how to fix it.
package struct HelmError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; extensible without breaking callers.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Sendable { case invalidManifest, invalidChart, invalidValues, render }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }
        /// A rendered document whose head (`apiVersion`, `kind`, `metadata`) is not valid YAML.
        package static let invalidManifest = Code(.invalidManifest)
        /// `Chart.yaml` or the chart's layout is not what Helm accepts.
        package static let invalidChart = Code(.invalidChart)
        /// A values file or `--set` expression that cannot be read.
        package static let invalidValues = Code(.invalidValues)
        /// A template failed to execute.
        package static let render = Code(.render)
        package var description: String { kind.rawValue }
    }

    /// The failure's category.
    package var code: Code
    /// What happened and how to fix it.
    package var message: String
    /// The file the failure is in (a chart-relative template path such as `mychart/templates/a.yaml`).
    package var path: String?
    /// The underlying error, when there is one.
    package var cause: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the category.
    ///   - message: what happened and how to fix it.
    ///   - path: the file concerned.
    ///   - cause: the underlying error.
    package init(_ code: Code, _ message: String, path: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.cause = cause
    }

    /// `path: message`, as the CLI prints it.
    package var description: String {
        guard let path else { return message }
        return "\(path): \(message)"
    }
}
