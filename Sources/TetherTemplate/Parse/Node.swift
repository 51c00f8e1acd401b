/// Nodes of a parsed template, as Go's `text/template/parse` builds them. `description` is
/// Go's `String()` of the node, which execution errors show as `at <...>`.
indirect enum Node: Sendable {
    case text(pos: Int, text: String)
    case action(pos: Int, line: Int, pipe: PipeNode)
    case comment(pos: Int, text: String)
    case ifNode(BranchNode)
    case range(BranchNode)
    case with(BranchNode)
    case template(TemplateCallNode)
    case breakNode(pos: Int, line: Int)
    case continueNode(pos: Int, line: Int)

    var pos: Int {
        switch self {
        case .text(let pos, _), .action(let pos, _, _), .comment(let pos, _), .breakNode(let pos, _),
            .continueNode(let pos, _):
            return pos
        case .ifNode(let b), .range(let b), .with(let b): return b.pos
        case .template(let t): return t.pos
        }
    }

    var description: String {
        switch self {
        case .text(_, let text): return text
        case .action(_, _, let pipe): return "{{" + pipe.description + "}}"
        case .comment(_, let text): return "{{" + text + "}}"
        case .ifNode(let b): return b.description(keyword: "if")
        case .range(let b): return b.description(keyword: "range")
        case .with(let b): return b.description(keyword: "with")
        case .template(let t):
            if let pipe = t.pipe { return "{{template \(goQuote(t.name)) \(pipe.description)}}" }
            return "{{template \(goQuote(t.name))}}"
        case .breakNode: return "{{break}}"
        case .continueNode: return "{{continue}}"
        }
    }

    /// Go's IsEmptyTree for one node.
    var isEmptyTree: Bool {
        switch self {
        case .comment: return true
        case .text(_, let text): return text.allSatisfy { $0.isWhitespace }
        default: return false
        }
    }
}

struct ListNode: Sendable {
    var pos: Int
    var nodes: [Node] = []

    var description: String { nodes.map(\.description).joined() }
    var isEmptyTree: Bool { nodes.allSatisfy(\.isEmptyTree) }
}

/// `if`, `range` and `with`.
struct BranchNode: Sendable {
    var pos: Int
    var line: Int
    var pipe: PipeNode
    var list: ListNode
    var elseList: ListNode?

    func description(keyword: String) -> String {
        var s = "{{\(keyword) \(pipe.description)}}\(list.description)"
        if let elseList { s += "{{else}}" + elseList.description }
        return s + "{{end}}"
    }
}

struct TemplateCallNode: Sendable {
    var pos: Int
    var line: Int
    var name: String
    var pipe: PipeNode?
}

final class PipeNode: Sendable {
    let pos: Int
    let line: Int
    let isAssign: Bool
    let decl: [VariableRef]
    let cmds: [CommandNode]

    init(pos: Int, line: Int, isAssign: Bool, decl: [VariableRef], cmds: [CommandNode]) {
        self.pos = pos
        self.line = line
        self.isAssign = isAssign
        self.decl = decl
        self.cmds = cmds
    }

    var description: String {
        var s = ""
        if !decl.isEmpty {
            s = decl.map { $0.idents.joined(separator: ".") }.joined(separator: ", ")
            s += isAssign ? " = " : " := "
        }
        return s + cmds.map(\.description).joined(separator: " | ")
    }
}

struct VariableRef: Sendable {
    var pos: Int
    var idents: [String]
}

struct CommandNode: Sendable {
    var pos: Int
    var args: [Arg]

    var description: String {
        args.map { arg in
            if case .pipe(let p) = arg { return "(" + p.description + ")" }
            return arg.description
        }.joined(separator: " ")
    }
}

struct NumberNode: Sendable {
    var pos: Int
    var text: String
    var isInt = false, isUint = false, isFloat = false, isComplex = false
    var int64: Int64 = 0
    var uint64: UInt64 = 0
    var float64: Double = 0
    var complex: (Double, Double) = (0, 0)
}

/// An operand of a command.
indirect enum Arg: Sendable {
    case field(pos: Int, idents: [String])
    case chain(pos: Int, node: Arg, fields: [String])
    case identifier(pos: Int, name: String)
    case pipe(PipeNode)
    case variable(VariableRef)
    case bool(pos: Int, value: Bool)
    case dot(pos: Int)
    case nilValue(pos: Int)
    case number(NumberNode)
    case string(pos: Int, quoted: String, text: String)

    var pos: Int {
        switch self {
        case .field(let pos, _), .chain(let pos, _, _), .identifier(let pos, _), .bool(let pos, _), .dot(let pos),
            .nilValue(let pos), .string(let pos, _, _):
            return pos
        case .pipe(let p): return p.pos
        case .variable(let v): return v.pos
        case .number(let n): return n.pos
        }
    }

    var description: String {
        switch self {
        case .field(_, let idents): return idents.map { "." + $0 }.joined()
        case .chain(_, let node, let fields):
            var s: String
            if case .pipe(let p) = node { s = "(" + p.description + ")" } else { s = node.description }
            for f in fields { s += "." + f }
            return s
        case .identifier(_, let name): return name
        case .pipe(let p): return p.description
        case .variable(let v): return v.idents.joined(separator: ".")
        case .bool(_, let b): return b ? "true" : "false"
        case .dot: return "."
        case .nilValue: return "nil"
        case .number(let n): return n.text
        case .string(_, let quoted, _): return quoted
        }
    }

    var typeName: String {
        switch self {
        case .bool: return "bool"
        case .dot: return "dot"
        case .nilValue: return "nil"
        case .number: return "number"
        case .string: return "string"
        default: return "other"
        }
    }
}
