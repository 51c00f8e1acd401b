/// A set of named templates that share their `define`d templates, functions and options:
/// Go's `*template.Template` with its associated templates.
///
/// `parse(_:name:)` is Go's `t.New(name).Parse(text)`: the text becomes the template `name`,
/// and every `{{define "x"}}` in it becomes (or replaces) template `x` of the whole set, so
/// any template can `{{template "x"}}` it. An empty definition never replaces a non-empty
/// one, as in Go. The set is a value: copying it is Go's `Clone`.
///
/// ```swift
/// var set = TemplateSet(functions: TemplateFunctionTable(["upper": upper]),
///                       options: TemplateOptions(missingKey: .zero))
/// try set.parse(#"{{define "name"}}{{.name | upper}}{{end}}"#, name: "_helpers.tpl")
/// try set.parse(#"name: {{template "name" .}}"#, name: "deploy.yaml")
/// let out = try set.execute("deploy.yaml", data: .map(["name": .string("web")]))
/// // "name: WEB"
/// ```
package struct TemplateSet: Sendable {
    /// The set's own name (Go's root template name), used in "no template ... associated with".
    package var name: String
    /// The functions templates may call besides Go's builtins. Parsing checks that every
    /// called function exists, so add functions before parsing.
    package var functions: TemplateFunctionTable
    /// Missing-key behaviour (read at execution) and delimiters (read at parse time).
    package var options: TemplateOptions
    var trees: [String: Tree] = [:]

    /// Makes an empty set.
    /// - Parameters:
    ///   - name: the set's name.
    ///   - functions: functions besides the builtins.
    ///   - options: options.
    package init(name: String = "", functions: TemplateFunctionTable = TemplateFunctionTable(), options: TemplateOptions = TemplateOptions()) {
        self.name = name
        self.functions = functions
        self.options = options
    }

    /// Parses `text` as the template `name` and adds its `define`/`block` templates to the set.
    /// - Parameters:
    ///   - text: the template text.
    ///   - name: the template's name; also the name positions in errors refer to.
    /// - Throws: `TemplateError` with code `.parse` and Go's message (`template: NAME:LINE:
    ///   unexpected "}" in operand`); the set is unchanged then.
    ///   - replacing: whether the text itself becomes template `name` even when it is empty
    ///     and `name` already has a non-empty body. Go's `t.New(name).Parse(text)` followed by
    ///     `t.Execute` runs the new text whatever it holds (Helm's `tpl` does this); only its
    ///     `define`d templates follow the rule that an empty one never replaces another.
    package mutating func parse(_ text: String, name: String, replacing: Bool = false) throws {
        let parsed = try Parser.parse(
            text: text, name: name, functions: functions,
            leftDelimiter: options.leftDelimiter, rightDelimiter: options.rightDelimiter)
        for tree in parsed {
            // Go's associate: an empty template never replaces a defined one.
            if let old = trees[tree.name], tree.isEmpty, !old.isEmpty, !(replacing && tree.name == name) { continue }
            trees[tree.name] = tree
        }
    }

    /// The names of every template in the set, sorted.
    package var templateNames: [String] { trees.keys.sorted() }

    /// Whether the set has a template called `name`.
    package func contains(_ name: String) -> Bool { trees[name] != nil }

    /// Executes the template `name` with `data` as dot and `$` (Go's `ExecuteTemplate`).
    /// - Parameters:
    ///   - name: the template to run.
    ///   - data: the data.
    /// - Returns: the output. A missing value prints `<no value>`, as in Go; Helm removes it.
    /// - Throws: `TemplateError`: `.undefinedTemplate` when there is no such template,
    ///   `.execution` or `.function` when execution fails.
    package func execute(_ name: String, data: TemplateValue) throws -> String {
        let execution = TemplateExecution(maxDepth: options.maxExecutionDepth)
        return try execution.execute(self, name: name, data: data)
    }
}

/// The state one outermost `execute` shares with every nested one (`include`, `tpl`).
final class TemplateExecution {
    var counters: [String: Int] = [:]
    var depth = 0
    let maxDepth: Int
    let stack = StackGuard()

    init(maxDepth: Int) {
        self.maxDepth = maxDepth
    }

    func execute(_ set: TemplateSet, name: String, data: TemplateValue) throws -> String {
        guard let tree = set.trees[name] else {
            throw TemplateError(
                code: .undefinedTemplate,
                message: "template: no template \(goQuote(name)) associated with template \(goQuote(set.name))")
        }
        if depth >= maxDepth {
            throw TemplateError(
                code: .execution, message: "exceeded maximum template depth (\(maxDepth))", templateName: name)
        }
        depth += 1
        defer { depth -= 1 }
        var executor = Executor(set: set, execution: self)
        return try executor.run(tree, data: data)
    }
}
