/// A function templates can call by name (`{{ upper .x }}`) or through a method of an object
/// (`{{ .Files.Get "a" }}`): its Go parameter types and its body.
///
/// Before the body runs, the engine does what Go's `reflect` call does: it checks the number
/// of arguments, turns number, string, bool and nil constants into the parameter's type, and
/// refuses a value that is not assignable ("wrong type for value; expected int; got
/// float64"). `.any` parameters (Go's `interface{}`) accept everything; an untyped integer
/// constant arrives as `.int(_, .int)`, a float one as `.float`. The pipeline's previous value
/// is the last argument, as in Go.
///
/// ```swift
/// let upper = TemplateFunction([.string]) { args, _ in
///     .string(args[0].stringValue!.uppercased())
/// }
/// let list = TemplateFunction(variadic: .any) { args, _ in .list(args) }
/// ```
package struct TemplateFunction: Sendable {
    /// The body: the converted arguments (one per parameter, then one per variadic argument)
    /// and the call's context; returns the result (`.null` for Go's nil `interface{}`).
    /// Throwing fails the template with Go's "error calling NAME: ERROR"; the error's
    /// `description` is its text.
    package typealias Body = @Sendable (_ arguments: [TemplateValue], _ context: TemplateCallContext) throws -> TemplateValue

    /// The types of the fixed parameters.
    package var parameters: [TemplateType]
    /// The element type of a trailing `...T` parameter, or `nil` when not variadic.
    package var variadic: TemplateType?
    /// The Go type name `%T` prints for the function value, e.g. `func(string) string`.
    package var goTypeName: String
    /// What runs.
    package var body: Body

    /// Makes a function.
    /// - Parameters:
    ///   - parameters: the fixed parameters' Go types.
    ///   - variadic: the element type of a trailing `...` parameter.
    ///   - body: the implementation.
    package init(_ parameters: [TemplateType] = [], variadic: TemplateType? = nil, _ body: @escaping Body) {
        self.parameters = parameters
        self.variadic = variadic
        var names = parameters.map(\.name)
        if let variadic { names.append("..." + variadic.name) }
        self.goTypeName = "func(" + names.joined(separator: ", ") + ") interface {}"
        self.body = body
    }
}

/// A function is also a value: a field may hold one, and the builtin `call` calls it.
extension TemplateFunction: TemplateObject {
    package var typeName: String { goTypeName }
    package func member(named name: String) -> TemplateMember? { nil }
    package var formatted: String { "0x1" }
}

/// The functions a template set knows, by name, besides Go's builtins (`and`, `len`,
/// `printf`, ...). A name defined here hides a builtin of the same name, as in Go's `Funcs`.
package struct TemplateFunctionTable: Sendable {
    private var table: [String: TemplateFunction]

    /// Makes a table.
    /// - Parameter functions: functions by the name templates call them.
    package init(_ functions: [String: TemplateFunction] = [:]) {
        self.table = functions
    }

    /// The function called `name`, or `nil`.
    package subscript(name: String) -> TemplateFunction? {
        get { table[name] }
        set { table[name] = newValue }
    }

    /// Adds or replaces functions (Go's `Template.Funcs`).
    /// - Parameter functions: the functions to add; they win over existing ones.
    package mutating func merge(_ functions: [String: TemplateFunction]) {
        table.merge(functions) { _, new in new }
    }

    /// Every name in the table, sorted.
    package var names: [String] { table.keys.sorted() }
}
