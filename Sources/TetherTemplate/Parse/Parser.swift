struct Parser {
    static func parse(text: String, name: String, functions: TemplateFunctionTable, leftDelimiter: String, rightDelimiter: String) throws -> [Tree] {
        throw TemplateError(code: .parse, message: "parser not implemented yet", templateName: name)
    }
}
struct ListNode: Sendable {
    var isEmptyTree: Bool { true }
}
