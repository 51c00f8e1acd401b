/// Go's `text/template/parse` parser: turns one text into its template and the templates its
/// `define` and `block` actions declare. A long recursive-descent parser in one file, because
/// it mirrors Go's `parse.go` function for function (the error messages depend on it).
struct Parser {
    let items: [Item]
    var index = 0
    var furthest = 0
    private let parseName: String
    private let text: String
    private let functions: TemplateFunctionTable
    var vars: [String] = ["$"]
    private var rangeDepth = 0
    var stackDepth = 0
    private var actionLine = 0
    private var trees: [Tree] = []
    let stack = StackGuard()

    static let builtinNames: Set<String> = [
        "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println",
        "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
    ]

    static func parse(
        text: String, name: String, functions: TemplateFunctionTable, leftDelimiter: String, rightDelimiter: String
    ) throws -> [Tree] {
        let items = Lexer.lex(
            text, leftDelim: leftDelimiter, rightDelim: rightDelimiter,
            breakOK: functions["break"] == nil, continueOK: functions["continue"] == nil)
        var parser = Parser(items: items, parseName: name, text: text, functions: functions)
        let root = try parser.parseTop()
        try parser.add(Tree(name: name, parseName: name, text: text, root: root))
        return parser.trees
    }

    private init(items: [Item], parseName: String, text: String, functions: TemplateFunctionTable) {
        self.items = items
        self.parseName = parseName
        self.text = text
        self.functions = functions
    }

    // MARK: tokens

    mutating func next() -> Item {
        let item: Item
        if index < items.count {
            item = items[index]
        } else {
            let last = items[items.count - 1]
            item = Item(kind: .eof, pos: last.pos, value: "", line: last.line)
        }
        furthest = max(furthest, min(index, items.count - 1))
        index += 1
        return item
    }

    mutating func backup(_ n: Int = 1) { index -= n }

    mutating func peek() -> Item {
        let item = next()
        backup()
        return item
    }

    mutating func nextNonSpace() -> Item {
        var item = next()
        while item.kind == .space { item = next() }
        return item
    }

    mutating func peekNonSpace() -> Item {
        let item = nextNonSpace()
        backup()
        return item
    }

    // MARK: errors

    func failure(_ message: String) -> TemplateError {
        let line = items[max(0, min(furthest, items.count - 1))].line
        return TemplateError(code: .parse, message: message, templateName: parseName, line: line)
    }

    func unexpected(_ token: Item, _ context: String) -> TemplateError {
        if token.kind == .error {
            var extra = ""
            if actionLine != 0 && actionLine != token.line {
                extra = " in action started at \(parseName):\(actionLine)"
                if token.value.hasSuffix(" action") { extra = String(extra.dropFirst(" in action".count)) }
            }
            return failure(token.description + extra)
        }
        return failure("unexpected \(token.description) in \(context)")
    }

    mutating func expect(_ kind: Item.Kind, _ context: String) throws -> Item {
        let token = nextNonSpace()
        if token.kind != kind { throw unexpected(token, context) }
        return token
    }

    func hasFunction(_ name: String) -> Bool {
        functions[name] != nil || Self.builtinNames.contains(name)
    }

    // MARK: structure

    private mutating func add(_ tree: Tree) throws {
        if let i = trees.firstIndex(where: { $0.name == tree.name }) {
            if trees[i].isEmpty {
                trees[i] = tree
            } else if !tree.isEmpty {
                throw failure("template: multiple definition of template \(goQuote(tree.name))")
            }
            return
        }
        trees.append(tree)
    }

    private enum Stop { case end(pos: Int), elseNode(pos: Int, line: Int) }
    private enum Parsed { case node(Node), stop(Stop) }

    private mutating func parseTop() throws -> ListNode {
        var root = ListNode(pos: peek().pos)
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                let delimIndex = index
                _ = next()
                if nextNonSpace().kind == .define {
                    try parseDefinition()
                    continue
                }
                index = delimIndex
            }
            switch try textOrAction() {
            case .node(let n): root.nodes.append(n)
            case .stop(.end): throw failure("unexpected {{end}}")
            case .stop(.elseNode): throw failure("unexpected {{else}}")
            }
        }
        return root
    }

    private mutating func parseDefinition() throws {
        let context = "define clause"
        let nameToken = nextNonSpace()
        guard nameToken.kind == .string || nameToken.kind == .rawString else { throw unexpected(nameToken, context) }
        let name = try unquote(nameToken.value)
        _ = try expect(.rightDelim, context)
        try parseTemplateBody(name: name, context)
    }

    /// The body of `{{define}}` or `{{block}}` up to its `{{end}}`, added as template `name`:
    /// a scope of its own (only `$`), outside any enclosing `{{range}}`.
    private mutating func parseTemplateBody(name: String, _ context: String) throws {
        let savedVars = vars
        vars = ["$"]
        let savedRange = rangeDepth
        rangeDepth = 0
        let (list, stop) = try itemList()
        vars = savedVars
        rangeDepth = savedRange
        if case .elseNode = stop { throw failure("unexpected {{else}} in \(context)") }
        try add(Tree(name: name, parseName: parseName, text: text, root: list))
    }

    private mutating func itemList() throws -> (ListNode, Stop) {
        var list = ListNode(pos: peekNonSpace().pos)
        while peekNonSpace().kind != .eof {
            switch try textOrAction() {
            case .node(let n): list.nodes.append(n)
            case .stop(let stop): return (list, stop)
            }
        }
        throw failure("unexpected EOF")
    }

    private mutating func textOrAction() throws -> Parsed {
        let token = nextNonSpace()
        switch token.kind {
        case .text:
            return .node(.text(pos: token.pos, text: token.value))
        case .leftDelim:
            actionLine = token.line
            defer { actionLine = 0 }
            return try action()
        case .comment:
            return .node(.comment(pos: token.pos, text: token.value))
        default:
            throw unexpected(token, "input")
        }
    }

    private mutating func action() throws -> Parsed {
        let token = nextNonSpace()
        switch token.kind {
        case .block: return .node(try blockControl())
        case .breakKeyword: return .node(try loopControl(token, keyword: "break"))
        case .continueKeyword: return .node(try loopControl(token, keyword: "continue"))
        case .elseKeyword: return .stop(try elseControl())
        case .end: return .stop(.end(pos: try expect(.rightDelim, "end").pos))
        case .ifKeyword: return .node(.ifNode(try parseControl("if")))
        case .range: return .node(.range(try parseControl("range")))
        case .template: return .node(try templateControl())
        case .with: return .node(.with(try parseControl("with")))
        default: break
        }
        backup()
        let first = peek()
        let pipe = try pipeline("command", end: .rightDelim)
        return .node(.action(pos: first.pos, line: first.line, pipe: pipe))
    }

    private mutating func loopControl(_ token: Item, keyword: String) throws -> Node {
        let after = nextNonSpace()
        if after.kind != .rightDelim { throw unexpected(after, "{{\(keyword)}}") }
        if rangeDepth == 0 { throw failure("{{\(keyword)}} outside {{range}}") }
        return keyword == "break" ? .breakNode(pos: token.pos, line: token.line) : .continueNode(pos: token.pos, line: token.line)
    }

    private mutating func elseControl() throws -> Stop {
        let p = peekNonSpace()
        if p.kind == .ifKeyword || p.kind == .with { return .elseNode(pos: p.pos, line: p.line) }
        let token = try expect(.rightDelim, "else")
        return .elseNode(pos: token.pos, line: token.line)
    }

    /// Fails instead of overflowing the stack on very deep nesting (see `StackGuard`).
    func checkStack() throws {
        if !stack.hasRoom { throw failure("max expression depth exceeded: nesting too deep for the thread's stack") }
    }

    private mutating func parseControl(_ context: String) throws -> BranchNode {
        try checkStack()
        let savedVars = vars.count
        defer { vars.removeLast(vars.count - savedVars) }
        let pipe = try pipeline(context, end: .rightDelim)
        if context == "range" { rangeDepth += 1 }
        let (list, stop) = try itemList()
        if context == "range" { rangeDepth -= 1 }
        var elseList: ListNode?
        if case .elseNode(let pos, _) = stop {
            if context == "if" && peek().kind == .ifKeyword {
                _ = next()
                elseList = ListNode(pos: pos, nodes: [.ifNode(try parseControl("if"))])
            } else if context == "with" && peek().kind == .with {
                _ = next()
                elseList = ListNode(pos: pos, nodes: [.with(try parseControl("with"))])
            } else {
                let (list2, stop2) = try itemList()
                if case .elseNode = stop2 { throw failure("expected end; found {{else}}") }
                elseList = list2
            }
        }
        return BranchNode(pos: pipe.pos, line: pipe.line, pipe: pipe, list: list, elseList: elseList)
    }

    private mutating func blockControl() throws -> Node {
        let context = "block clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        let pipe = try pipeline(context, end: .rightDelim)
        try parseTemplateBody(name: name, context)
        return .template(TemplateCallNode(pos: token.pos, line: token.line, name: name, pipe: pipe))
    }

    private mutating func templateControl() throws -> Node {
        let context = "template clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        var pipe: PipeNode?
        if nextNonSpace().kind != .rightDelim {
            backup()
            pipe = try pipeline(context, end: .rightDelim)
        }
        return .template(TemplateCallNode(pos: token.pos, line: token.line, name: name, pipe: pipe))
    }

    private mutating func templateName(_ token: Item, _ context: String) throws -> String {
        guard token.kind == .string || token.kind == .rawString else { throw unexpected(token, context) }
        return try unquote(token.value)
    }

    func unquote(_ quoted: String) throws -> String {
        do {
            return try GoUnquote.unquote(quoted)
        } catch {
            throw self.failure("invalid syntax")
        }
    }
}
