/// A failure to parse or execute a template. `description` is Go's message, byte for byte:
///
/// - parse: `template: NAME:LINE: MESSAGE`
/// - execution: `template: NAME:LINE:COL: executing "TEMPLATE" at <ACTION>: MESSAGE`
///
/// The parts are kept apart (`templateName`, `line`, `column`, `executing`, `action`,
/// `message`) so that Helm's engine can rewrite the message as Helm does.
package struct TemplateError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable { case parse, execution, function, undefinedTemplate }
        private let kind: Kind
        /// Bad template text (lexing or parsing).
        package static let parse = Code(kind: .parse)
        /// Execution failed in the engine (missing key, wrong type, nil pointer, ...).
        package static let execution = Code(kind: .execution)
        /// A function threw; `cause` is its error.
        package static let function = Code(kind: .function)
        /// `execute` was asked for a template name the set does not have.
        package static let undefinedTemplate = Code(kind: .undefinedTemplate)
        package var description: String { "\(kind)" }
    }

    /// The kind of failure.
    package var code: Code
    /// What went wrong, without the location prefix (`map has no entry for key "x"`).
    package var message: String
    /// The name of the template text the position is in (Go's `ParseName`: for a `define`
    /// block, the file that holds it); empty when there is no position.
    package var templateName: String
    /// 1-based line of the failing node or token, when known.
    package var line: Int?
    /// Go's column: the 0-based byte offset of the node within its line (execution errors
    /// only; Go's parse errors carry no column).
    package var column: Int?
    /// The template being executed (Go's `executing "NAME"`), for execution errors.
    package var executing: String?
    /// The failing action as Go prints it (`.Values.x`, `eq . 1`), for execution errors.
    package var action: String?
    /// The error a function threw, for `.function`.
    package var cause: (any Error & Sendable)?

    /// Makes an error.
    package init(
        code: Code, message: String, templateName: String = "", line: Int? = nil, column: Int? = nil,
        executing: String? = nil, action: String? = nil, cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.templateName = templateName
        self.line = line
        self.column = column
        self.executing = executing
        self.action = action
        self.cause = cause
    }

    /// Go's text of the error.
    package var description: String {
        if code == .undefinedTemplate { return message }
        guard let line else {
            return templateName.isEmpty ? "template: \(message)" : "template: \(templateName): \(message)"
        }
        guard let column, let executing else {
            return "template: \(templateName):\(line): \(message)"
        }
        let location = "\(templateName):\(line):\(column)"
        return "template: \(location): executing \(goQuote(executing)) at <\(action ?? "")>: \(message)"
    }
}
