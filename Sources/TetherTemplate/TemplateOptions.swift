/// Options of a template set: Go's `Template.Option` and `Template.Delims`.
package struct TemplateOptions: Sendable, Hashable {
    /// What a missing map key evaluates to (Go's `missingkey=` option).
    package enum MissingKey: Sendable, Hashable {
        /// `missingkey=default`/`invalid`: "no value" (prints `<no value>`; a field of it is
        /// again no value).
        case invalid
        /// `missingkey=zero`: the zero value of the map's element type; for
        /// `map[string]interface{}` that is nil, which still prints `<no value>`, but a field
        /// of it fails with "nil pointer evaluating interface {}.x". Helm uses this.
        case zero
        /// `missingkey=error`: execution stops with "map has no entry for key".
        case error
    }

    /// What a missing map key evaluates to.
    package var missingKey: MissingKey = .invalid
    /// The left action delimiter used by later `parse` calls.
    package var leftDelimiter: String = "{{"
    /// The right action delimiter used by later `parse` calls.
    package var rightDelimiter: String = "}}"
    /// How deeply templates may call templates before execution fails (Go: 100000).
    package var maxExecutionDepth: Int = 100_000

    /// Makes options; every argument defaults to Go's default.
    package init(missingKey: MissingKey = .invalid, leftDelimiter: String = "{{", rightDelimiter: String = "}}") {
        self.missingKey = missingKey
        self.leftDelimiter = leftDelimiter
        self.rightDelimiter = rightDelimiter
    }
}
