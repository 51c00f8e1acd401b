/// A value during execution, as Go's `reflect.Value` carries it: `value == nil` is Go's
/// invalid value ("no value"), `boxed` says it came out of an `interface{}` container (a
/// `[]interface{}` element, a `map[string]interface{}` entry), which changes Go's messages.
struct Val: Sendable {
    var value: TemplateValue?
    var boxed: Bool

    static let invalid = Val(value: nil, boxed: false)
    init(_ value: TemplateValue?, boxed: Bool = false) {
        self.value = value
        self.boxed = boxed
    }
    init(value: TemplateValue?, boxed: Bool) {
        self.value = value
        self.boxed = boxed
    }

    /// Go's type name of the reflect.Value (interface {} for a boxed or nil one).
    var goTypeName: String {
        guard let value else { return "<invalid>" }
        if boxed || value.isNull { return "interface {}" }
        return value.typeName
    }
}

/// Where execution is, for error messages (Go's `state.node`).
enum Here {
    case none
    case node(Node)
    case pipe(PipeNode)
    case command(CommandNode)
    case arg(Arg)

    var pos: Int {
        switch self {
        case .none: return 0
        case .node(let n): return n.pos
        case .pipe(let p): return p.pos
        case .command(let c): return c.pos
        case .arg(let a): return a.pos
        }
    }

    var description: String {
        switch self {
        case .none: return ""
        case .node(let n): return n.description
        case .pipe(let p): return p.description
        case .command(let c): return c.description
        case .arg(let a): return a.description
        }
    }
}

/// Control flow out of a walk: `break` and `continue` unwind to the enclosing range.
enum Flow { case normal, breakLoop, continueLoop }

/// Go's `text/template` execution state for one template (`state` in exec.go).
struct Executor {
    let set: TemplateSet
    let execution: TemplateExecution
    var tree: Tree!
    var output = ""
    var vars: [(name: String, value: Val)] = []
    var here = Here.none

    init(set: TemplateSet, execution: TemplateExecution) {
        self.set = set
        self.execution = execution
    }

    mutating func run(_ tree: Tree, data: TemplateValue) throws -> String {
        self.tree = tree
        let dot = data.isNull ? Val.invalid : Val(data)
        vars = [("$", dot)]
        _ = try walk(dot, .list(tree.root))
        return output
    }

    // MARK: errors

    func failure(_ message: String, code: TemplateError.Code = .execution, cause: (any Error & Sendable)? = nil) -> TemplateError {
        if case .none = here {
            return TemplateError(code: code, message: message, templateName: tree.name, cause: cause)
        }
        let pos = here.pos
        let bytes = tree.text.utf8
        var line = 1
        var lineStart = 0
        var i = 0
        for b in bytes.prefix(pos) {
            i += 1
            if b == 0x0A {
                line += 1
                lineStart = i
            }
        }
        return TemplateError(
            code: code, message: message, templateName: tree.parseName, line: line, column: pos - lineStart,
            executing: tree.name, action: here.description, cause: cause)
    }

    // MARK: walking

    enum Walkable {
        case list(ListNode)
        case node(Node)
    }

    mutating func walk(_ dot: Val, _ walkable: Walkable) throws -> Flow {
        switch walkable {
        case .list(let list):
            for node in list.nodes {
                let flow = try walk(dot, .node(node))
                if flow != .normal { return flow }
            }
            return .normal
        case .node(let node):
            return try walkNode(dot, node)
        }
    }

    private mutating func walkNode(_ dot: Val, _ node: Node) throws -> Flow {
        here = .node(node)
        switch node {
        case .text(_, let text):
            output += text
        case .action(_, _, let pipe):
            let value = try evalPipeline(dot, pipe)
            if pipe.decl.isEmpty { try printValue(.node(node), value) }
        case .comment:
            break
        case .ifNode(let b):
            return try walkIfOrWith(isWith: false, dot, b)
        case .with(let b):
            return try walkIfOrWith(isWith: true, dot, b)
        case .range(let b):
            return try walkRange(dot, b, node)
        case .template(let t):
            try walkTemplate(dot, t, node)
        case .breakNode:
            return .breakLoop
        case .continueNode:
            return .continueLoop
        }
        return .normal
    }

    /// Fails instead of overflowing the stack on very deep nesting (see `StackGuard`).
    func checkStack() throws {
        if !execution.stack.hasRoom {
            throw failure(
                "template nesting too deep for the thread's stack at template depth \(execution.depth) (Go allows \(execution.maxDepth)); reduce the recursion")
        }
    }

    private mutating func walkIfOrWith(isWith: Bool, _ dot: Val, _ b: BranchNode) throws -> Flow {
        try checkStack()
        let mark = vars.count
        defer { vars.removeLast(vars.count - mark) }
        let value = try evalPipeline(dot, b.pipe)
        if truth(value) {
            if isWith { return try walk(value, .list(b.list)) }
            return try walk(dot, .list(b.list))
        } else if let elseList = b.elseList {
            return try walk(dot, .list(elseList))
        }
        return .normal
    }

    private mutating func walkRange(_ dot: Val, _ r: BranchNode, _ node: Node) throws -> Flow {
        here = .node(node)
        try checkStack()
        let outerMark = vars.count
        defer { vars.removeLast(vars.count - outerMark) }
        var collection = try evalPipeline(dot, r.pipe).value
        if case .object(let object)? = collection, let underlying = object.underlying { collection = underlying }
        let mark = vars.count
        var iterated = false
        // Returns false when the loop must stop ({{break}}).
        func iterate(_ this: inout Executor, index: Val, element: Val) throws -> Bool {
            iterated = true
            let decl = r.pipe.decl
            if !decl.isEmpty {
                if r.pipe.isAssign {
                    try this.setVar(decl[0].idents[0], decl.count > 1 ? index : element)
                } else {
                    this.vars[this.vars.count - 1].value = element
                }
            }
            if decl.count > 1 {
                if r.pipe.isAssign {
                    try this.setVar(decl[1].idents[0], element)
                } else {
                    this.vars[this.vars.count - 2].value = index
                }
            }
            defer { this.vars.removeLast(this.vars.count - mark) }
            return try this.walk(element, .list(r.list)) != .breakLoop
        }
        switch collection {
        case .list(let items, let elementType)?:
            for (i, item) in items.enumerated() {
                if try !iterate(&self, index: Val(.int(Int64(i))), element: Val(item, boxed: elementType == .any)) { break }
            }
        case .map(let entries, let valueType)?:
            for key in entries.sortedKeys {
                let element = Val(entries[key], boxed: valueType == .any)
                if try !iterate(&self, index: Val(.string(key)), element: element) { break }
            }
        case .int(let n, let kind)?:
            if r.pipe.decl.count > 1 { throw failure("can't use \(GoFormat.string(.int(n, kind))) to iterate over more than one variable") }
            var i: Int64 = 0
            while i < n {
                if try !iterate(&self, index: .invalid, element: Val(.int(i, kind))) { break }
                i += 1
            }
        case .uint(let n, let kind)?:
            if r.pipe.decl.count > 1 { throw failure("can't use \(GoFormat.string(.uint(n, kind))) to iterate over more than one variable") }
            var i: UInt64 = 0
            while i < n {
                if try !iterate(&self, index: .invalid, element: Val(.uint(i, kind))) { break }
                i += 1
            }
        case nil, .null?:
            break
        case let other?:
            throw failure("range can't iterate over \(GoFormat.string(other))")
        }
        if !iterated, let elseList = r.elseList {
            return try walk(dot, .list(elseList))
        }
        return .normal
    }

    private mutating func walkTemplate(_ dot: Val, _ t: TemplateCallNode, _ node: Node) throws {
        here = .node(node)
        guard let target = set.trees[t.name] else { throw failure("template \(goQuote(t.name)) not defined") }
        if execution.depth >= execution.maxDepth {
            throw failure("exceeded maximum template depth (\(execution.maxDepth))")
        }
        try checkStack()
        let newDot = try t.pipe.map { try evalPipeline(dot, $0) } ?? .invalid
        var nested = Executor(set: set, execution: execution)
        nested.tree = target
        nested.vars = [("$", newDot)]
        execution.depth += 1
        defer { execution.depth -= 1 }
        _ = try nested.walk(newDot, .list(target.root))
        output += nested.output
    }

    // MARK: variables

    mutating func setVar(_ name: String, _ value: Val) throws {
        for i in stride(from: vars.count - 1, through: 0, by: -1) where vars[i].name == name {
            vars[i].value = value
            return
        }
        throw failure("undefined variable: \(name)")
    }

    func varValue(_ name: String) throws -> Val {
        for i in stride(from: vars.count - 1, through: 0, by: -1) where vars[i].name == name {
            return vars[i].value
        }
        throw failure("undefined variable: \(name)")
    }

    // MARK: printing

    func truth(_ v: Val) -> Bool {
        v.value?.isTruthy ?? false
    }

    mutating func printValue(_ at: Here, _ v: Val) throws {
        here = at
        guard let value = v.value else {
            output += "<no value>"
            return
        }
        if case .object(let object) = value, object is TemplateFunction {
            throw failure("can't print \(at.description) of type \(value.typeName)")
        }
        output += GoFormat.string(value)
    }
}
