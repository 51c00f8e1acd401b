struct Executor {
    let set: TemplateSet
    let execution: TemplateExecution
    mutating func run(_ tree: Tree, data: TemplateValue) throws -> String {
        throw TemplateError(code: .execution, message: "executor not implemented yet", templateName: tree.name)
    }
}
