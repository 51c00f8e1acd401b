/// What a function sees of the execution that calls it: the template set being executed, so
/// that Helm's `include` can run a named template of the same set and `tpl` can parse new
/// text into a copy of it and run that.
///
/// ```swift
/// let include = TemplateFunction([.string, .any]) { args, context in
///     .string(try context.execute(args[0].stringValue!, data: args[1]))
/// }
/// let tpl = TemplateFunction([.string, .any]) { args, context in
///     var copy = context.templates            // Go's Clone: a value copy
///     try copy.parse(args[0].stringValue!, name: "tpl")
///     return .string(try context.execute("tpl", data: args[1], in: copy))
/// }
/// ```
package struct TemplateCallContext {
    /// The set whose template is executing (for `tpl`, the copy it runs in).
    package let templates: TemplateSet
    /// The name of the template executing (the `define`d name or the file name).
    package let templateName: String
    let execution: TemplateExecution

    /// Counters that live as long as the outermost `execute` call, shared by every nested
    /// call; Helm's `include` keeps its per-name recursion count here.
    package var counters: [String: Int] {
        get { execution.counters }
        nonmutating set { execution.counters = newValue }
    }

    /// How many templates deep the call is (`template`, `include`, `tpl` nesting).
    package var depth: Int { execution.depth }

    /// Executes the template called `name` of `templates` (default: the executing set) with
    /// `data` as dot and `$`, as Go's `ExecuteTemplate` does, one level deeper.
    /// - Parameters:
    ///   - name: the template's name.
    ///   - data: dot for the template.
    ///   - templates: the set to run in; the current one when `nil`.
    /// - Returns: the output.
    /// - Throws: `TemplateError` when there is no such template, the depth limit is reached,
    ///   or execution fails.
    package func execute(_ name: String, data: TemplateValue, in templates: TemplateSet? = nil) throws -> String {
        try execution.execute(templates ?? self.templates, name: name, data: data)
    }
}
