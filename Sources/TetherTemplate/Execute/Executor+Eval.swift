/// Evaluation of pipelines, commands, fields and calls (Go's `eval*` functions in exec.go).
extension Executor {
    /// The pipeline's previous value, given to the next command as its last argument.
    enum Final {
        case missing
        case value(Val)

        var isMissing: Bool {
            if case .missing = self { return true }
            return false
        }
    }

    mutating func evalPipeline(_ dot: Val, _ pipe: PipeNode) throws -> Val {
        here = .pipe(pipe)
        try checkStack()
        var value = Val.invalid
        var final = Final.missing
        for cmd in pipe.cmds {
            value = try evalCommand(dot, cmd, final)
            // An interface{} value gives way to the thing inside; nil becomes no value.
            if value.boxed || value.value?.isNull == true {
                value = Val(value.value?.isNull == true ? nil : value.value)
            }
            final = .value(value)
        }
        for variable in pipe.decl {
            if pipe.isAssign {
                try setVar(variable.idents[0], value)
            } else {
                vars.append((variable.idents[0], value))
            }
        }
        return value
    }

    private mutating func notAFunction(_ args: [Arg], _ final: Final) throws {
        if args.count > 1 || !final.isMissing {
            throw failure("can't give argument to non-function \(args[0].description)")
        }
    }

    mutating func evalCommand(_ dot: Val, _ cmd: CommandNode, _ final: Final) throws -> Val {
        let first = cmd.args[0]
        switch first {
        case .field(_, let idents):
            here = .arg(first)
            return try evalFieldChain(dot, receiver: dot, node: first, idents: idents, args: cmd.args, final: final)
        case .chain(_, let node, let fields):
            here = .arg(first)
            // Go leaves the position at the last node the receiver evaluated.
            let receiver = try evalArg(dot, .reflect, node)
            return try evalFieldChain(dot, receiver: receiver, node: first, idents: fields, args: cmd.args, final: final)
        case .identifier(_, let name):
            here = .arg(first)
            return try evalFunction(dot, name: name, node: first, cmd: .command(cmd), args: cmd.args, final: final)
        case .pipe(let pipe):
            try notAFunction(cmd.args, final)
            return try evalPipeline(dot, pipe)
        case .variable(let v):
            return try evalVariable(dot, v, node: first, args: cmd.args, final: final)
        default:
            break
        }
        here = .arg(first)
        try notAFunction(cmd.args, final)
        switch first {
        case .bool(_, let b): return Val(.bool(b))
        case .dot: return dot
        case .nilValue: throw failure("nil is not a command")
        case .number(let n): return try idealConstant(n, first)
        case .string(_, _, let text): return Val(.string(text))
        default: throw failure("can't evaluate command \(goQuote(first.description))")
        }
    }

    mutating func idealConstant(_ n: NumberNode, _ node: Arg) throws -> Val {
        here = .arg(node)
        let text = n.text
        let isHexInt = text.count > 2 && text.hasPrefix("0") && (text.dropFirst().first == "x" || text.dropFirst().first == "X")
            && !text.contains(where: { $0 == "p" || $0 == "P" })
        if n.isComplex { return Val(.complex(real: n.complex.0, imaginary: n.complex.1)) }
        if n.isFloat && !isHexInt && !text.hasPrefix("'") && text.contains(where: { ".eEpP".contains($0) }) {
            return Val(.float(n.float64))
        }
        if n.isInt { return Val(.int(n.int64)) }
        if n.isUint { throw failure("\(text) overflows int") }
        return .invalid
    }

    mutating func evalVariable(_ dot: Val, _ v: VariableRef, node: Arg, args: [Arg], final: Final) throws -> Val {
        here = .arg(node)
        let value = try varValue(v.idents[0])
        if v.idents.count == 1 {
            try notAFunction(args, final)
            return value
        }
        return try evalFieldChain(dot, receiver: value, node: node, idents: Array(v.idents.dropFirst()), args: args, final: final)
    }

    mutating func evalFieldChain(_ dot: Val, receiver: Val, node: Arg, idents: [String], args: [Arg], final: Final) throws -> Val {
        var receiver = receiver
        for name in idents.dropLast() {
            receiver = try evalField(dot, name, node: node, args: [], final: .missing, receiver: receiver)
        }
        return try evalField(dot, idents[idents.count - 1], node: node, args: args, final: final, receiver: receiver)
    }

    mutating func evalFunction(_ dot: Val, name: String, node: Arg, cmd: Here, args: [Arg], final: Final) throws -> Val {
        here = .arg(node)
        if let function = set.functions[name] {
            return try evalCall(dot, Callee(function), name: name, at: cmd, args: args, final: final)
        }
        if let builtin = Builtins.table[name] {
            return try evalCall(dot, builtin, name: name, at: cmd, args: args, final: final)
        }
        throw failure("\(goQuote(name)) is not a defined function")
    }

    /// `.Name` on `receiver`, possibly a method call with `args` (args[0] is the name itself).
    mutating func evalField(_ dot: Val, _ name: String, node: Arg, args: [Arg], final: Final, receiver: Val) throws -> Val {
        guard let value = receiver.value else {
            if set.options.missingKey == .error { throw failure("nil data; no entry for key \(goQuote(name))") }
            return .invalid
        }
        let typeName = receiver.goTypeName
        if value.isNull { throw failure("nil pointer evaluating \(typeName).\(name)") }
        let hasArgs = args.count > 1 || !final.isMissing
        var mapEntries: TemplateMap?
        var mapValueType = TemplateType.any
        switch value {
        case .object(let object):
            switch object.member(named: name) {
            case .method(let method)?:
                return try evalCall(dot, Callee(method), name: name, at: .arg(node), args: args, final: final)
            case .field(let field)?:
                if object.isNil { throw failure("nil pointer evaluating \(typeName).\(name)") }
                if hasArgs { throw failure("\(name) has arguments but cannot be invoked as function") }
                return Val(field, boxed: false)
            case nil:
                if case .map(let entries, let valueType)? = object.underlying {
                    mapEntries = entries
                    mapValueType = valueType
                }
            }
        case .map(let entries, let valueType):
            mapEntries = entries
            mapValueType = valueType
        default:
            break
        }
        if let entries = mapEntries {
            if hasArgs { throw failure("\(name) is not a method but has arguments") }
            if let found = entries[name] { return Val(found, boxed: mapValueType == .any) }
            switch set.options.missingKey {
            case .invalid: return .invalid
            case .zero: return Val(Self.zeroValue(mapValueType), boxed: mapValueType == .any)
            case .error: throw failure("map has no entry for key \(goQuote(name))")
            }
        }
        throw failure("can't evaluate field \(name) in type \(typeName)")
    }

    /// Go's zero value of a type.
    static func zeroValue(_ type: TemplateType) -> TemplateValue {
        switch type {
        case .any, .named: return .null
        case .bool: return .bool(false)
        case .string: return .string("")
        case .int(let k): return .int(0, k)
        case .uint(let k): return .uint(0, k)
        case .float(let k): return .float(0, k)
        case .complex128: return .complex(real: 0, imaginary: 0)
        case .slice(let e): return .list([], e)
        case .map(let v): return .map([:], v)
        }
    }
}
