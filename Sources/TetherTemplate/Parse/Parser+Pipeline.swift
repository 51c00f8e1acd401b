/// Pipelines, commands and operands (Go's `pipeline`, `command`, `operand`, `term`).
extension Parser {
    mutating func pipeline(_ context: String, end: Item.Kind) throws -> PipeNode {
        let first = peekNonSpace()
        var decl: [VariableRef] = []
        var isAssign = false
        decls: while true {
            let v = peekNonSpace()
            guard v.kind == .variable else { break }
            _ = nextNonSpace()
            let variableIndex = index - 1
            let tokenAfterVariable = peek()
            let after = peekNonSpace()
            if after.kind == .assign || after.kind == .declare {
                isAssign = after.kind == .assign
                _ = nextNonSpace()
                decl.append(VariableRef(pos: v.pos, idents: [v.value]))
                vars.append(v.value)
            } else if after.kind == .char && after.value == "," {
                _ = nextNonSpace()
                decl.append(VariableRef(pos: v.pos, idents: [v.value]))
                vars.append(v.value)
                if context == "range" && decl.count < 2 {
                    switch peekNonSpace().kind {
                    case .variable, .rightDelim, .rightParen:
                        continue decls
                    default:
                        throw failure("range can only initialize variables")
                    }
                }
                throw failure("too many declarations in \(context)")
            } else {
                // Push back the variable: "$x foo" or "$x.F" uses $x as an operand.
                _ = tokenAfterVariable
                index = variableIndex
            }
            break
        }
        var cmds: [CommandNode] = []
        while true {
            let token = nextNonSpace()
            switch token.kind {
            case end:
                try checkPipeline(cmds, context)
                return PipeNode(pos: first.pos, line: first.line, isAssign: isAssign, decl: decl, cmds: cmds)
            case .bool, .charConstant, .complex, .dot, .field, .identifier, .number, .nilKeyword, .rawString, .string,
                .variable, .leftParen:
                backup()
                cmds.append(try command())
            default:
                throw unexpected(token, context)
            }
        }
    }

    private func checkPipeline(_ cmds: [CommandNode], _ context: String) throws {
        if cmds.isEmpty { throw failure("missing value for \(context)") }
        for (i, c) in cmds.enumerated().dropFirst() {
            switch c.args[0] {
            case .bool, .dot, .nilValue, .number, .string:
                throw failure("non executable command in pipeline stage \(i + 1)")
            default:
                continue
            }
        }
    }

    private mutating func command() throws -> CommandNode {
        let pos = peekNonSpace().pos
        var args: [Arg] = []
        loop: while true {
            _ = peekNonSpace()
            if let operand = try operand() { args.append(operand) }
            let token = next()
            switch token.kind {
            case .space:
                continue loop
            case .rightDelim, .rightParen:
                backup()
            case .pipe:
                break
            default:
                throw unexpected(token, "operand")
            }
            break loop
        }
        if args.isEmpty { throw failure("empty command") }
        return CommandNode(pos: pos, args: args)
    }

    private mutating func operand() throws -> Arg? {
        guard var node = try term() else { return nil }
        if peek().kind == .field {
            let chainPos = peek().pos
            var fields: [String] = []
            while peek().kind == .field { fields.append(String(next().value.dropFirst())) }
            switch node {
            case .field(let pos, let idents):
                _ = pos
                node = .field(pos: chainPos, idents: idents + fields)
            case .variable(let v):
                node = .variable(VariableRef(pos: chainPos, idents: v.idents + fields))
            case .bool, .string, .number, .nilValue, .dot:
                throw failure("unexpected . after term \(goQuote(node.description))")
            default:
                node = .chain(pos: chainPos, node: node, fields: fields)
            }
        }
        return node
    }

    private mutating func term() throws -> Arg? {
        let token = nextNonSpace()
        switch token.kind {
        case .identifier:
            if !hasFunction(token.value) { throw failure("function \(goQuote(token.value)) not defined") }
            return .identifier(pos: token.pos, name: token.value)
        case .dot:
            return .dot(pos: token.pos)
        case .nilKeyword:
            return .nilValue(pos: token.pos)
        case .variable:
            let idents = token.value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard vars.contains(idents[0]) else { throw failure("undefined variable \(goQuote(idents[0]))") }
            return .variable(VariableRef(pos: token.pos, idents: idents))
        case .field:
            let idents = token.value.dropFirst().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            return .field(pos: token.pos, idents: idents)
        case .bool:
            return .bool(pos: token.pos, value: token.value == "true")
        case .charConstant, .complex, .number:
            do {
                return .number(try NumberParser.parse(pos: token.pos, text: token.value, kind: token.kind))
            } catch let numberError as NumberParser.Failure {
                throw failure(numberError.message)
            }
        case .leftParen:
            if stackDepth >= 10000 { throw failure("max expression depth exceeded") }
            try checkStack()
            stackDepth += 1
            defer { stackDepth -= 1 }
            return .pipe(try pipeline("parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            return .string(pos: token.pos, quoted: token.value, text: try unquote(token.value))
        default:
            backup()
            return nil
        }
    }
}
