/// Calls and argument conversion (Go's `evalCall`, `evalArg`, `validateType`).
extension Executor {
    mutating func evalCall(_ dot: Val, _ callee: Callee, name: String, at node: Here, args allArgs: [Arg], final: Final) throws -> Val {
        let args = Array(allArgs.dropFirst())
        var numIn = args.count
        if !final.isMissing { numIn += 1 }
        var numFixed = args.count
        if callee.variadic != nil {
            numFixed = callee.params.count
            if numIn < numFixed {
                throw failure("wrong number of args for \(name): want at least \(callee.params.count) got \(args.count)")
            }
        } else if numIn != callee.params.count {
            throw failure("wrong number of args for \(name): want \(callee.params.count) got \(numIn)")
        }

        // and/or short-circuit: later arguments are not evaluated.
        if callee.isBuiltin && (name == "and" || name == "or") {
            var v = Val.invalid
            for arg in args {
                v = try evalArg(dot, .reflect, arg)
                if truth(v) == (name == "or") { return v }
            }
            if case .value(let f) = final { v = f }
            return v
        }

        var argv: [Val] = []
        argv.reserveCapacity(numIn)
        var i = 0
        while i < numFixed && i < args.count {
            argv.append(try evalArg(dot, callee.params[i], args[i]))
            i += 1
        }
        if let variadic = callee.variadic {
            while i < args.count {
                argv.append(try evalArg(dot, variadic, args[i]))
                i += 1
            }
        }
        if case .value(let f) = final {
            var t = callee.params.last ?? callee.variadic ?? .reflect
            if let variadic = callee.variadic {
                t = numIn - 1 < numFixed ? callee.params[numIn - 1] : variadic
            }
            argv.append(try validateType(f, t))
        }
        if callee.isBuiltin && name == "call" {
            argv.insert(Val(.string(args.first?.description ?? "")), at: 0)
        }
        let context = TemplateCallContext(templates: set, templateName: tree.name, execution: execution)
        do {
            return try callee.body(argv, context)
        } catch {
            here = node
            throw failure("error calling \(name): \(error)", code: .function, cause: error)
        }
    }

    mutating func evalArg(_ dot: Val, _ param: Callee.Param, _ n: Arg) throws -> Val {
        here = .arg(n)
        switch n {
        case .dot:
            return try validateType(dot, param)
        case .nilValue:
            switch param {
            case .reflect: return .invalid
            case .typed(let t):
                if t.canBeNil { return Val(Self.zeroValue(t), boxed: t == .any) }
                throw failure("cannot assign nil to \(t.name)")
            }
        case .field(_, let idents):
            return try validateType(evalFieldChain(dot, receiver: dot, node: n, idents: idents, args: [n], final: .missing), param)
        case .variable(let v):
            return try validateType(evalVariable(dot, v, node: n, args: [], final: .missing), param)
        case .pipe(let p):
            return try validateType(evalPipeline(dot, p), param)
        case .identifier(_, let name):
            return try validateType(evalFunction(dot, name: name, node: n, cmd: .arg(n), args: [n], final: .missing), param)
        case .chain(_, let node, let fields):
            let receiver = try evalArg(dot, .reflect, node)
            return try validateType(evalFieldChain(dot, receiver: receiver, node: n, idents: fields, args: [], final: .missing), param)
        default:
            break
        }
        guard case .typed(let type) = param else { return try evalEmptyInterface(dot, n) }
        switch type {
        case .any:
            return try evalEmptyInterface(dot, n)
        case .bool:
            if case .bool(_, let b) = n { return Val(.bool(b)) }
            throw failure("expected bool; found \(n.description)")
        case .string:
            if case .string(_, _, let text) = n { return Val(.string(text)) }
            throw failure("expected string; found \(n.description)")
        case .int(let kind):
            if case .number(let num) = n, num.isInt { return Val(.int(Self.truncate(num.int64, kind), kind)) }
            throw failure("expected integer; found \(n.description)")
        case .uint(let kind):
            if case .number(let num) = n, num.isUint { return Val(.uint(Self.truncate(num.uint64, kind), kind)) }
            throw failure("expected unsigned integer; found \(n.description)")
        case .float(let kind):
            if case .number(let num) = n, num.isFloat {
                return Val(.float(kind == .float32 ? Double(Float(num.float64)) : num.float64, kind))
            }
            throw failure("expected float; found \(n.description)")
        case .complex128:
            if case .number(let num) = n, num.isComplex { return Val(.complex(real: num.complex.0, imaginary: num.complex.1)) }
            throw failure("expected complex; found \(n.description)")
        default:
            throw failure("can't handle \(n.description) for arg of type \(type.name)")
        }
    }

    private mutating func evalEmptyInterface(_ dot: Val, _ n: Arg) throws -> Val {
        here = .arg(n)
        switch n {
        case .bool(_, let b): return Val(.bool(b))
        case .dot: return dot
        case .number(let num): return try idealConstant(num, n)
        case .string(_, _, let text): return Val(.string(text))
        default: throw failure("can't handle assignment of \(n.description) to empty interface argument")
        }
    }

    static func truncate(_ v: Int64, _ kind: TemplateValue.IntKind) -> Int64 {
        switch kind {
        case .int8: return Int64(Int8(truncatingIfNeeded: v))
        case .int16: return Int64(Int16(truncatingIfNeeded: v))
        case .int32: return Int64(Int32(truncatingIfNeeded: v))
        case .int, .int64: return v
        }
    }

    static func truncate(_ v: UInt64, _ kind: TemplateValue.UIntKind) -> UInt64 {
        switch kind {
        case .uint8: return UInt64(UInt8(truncatingIfNeeded: v))
        case .uint16: return UInt64(UInt16(truncatingIfNeeded: v))
        case .uint32: return UInt64(UInt32(truncatingIfNeeded: v))
        case .uint, .uint64, .uintptr: return v
        }
    }

    /// Go's `validateType`: the value must be assignable to the parameter's type.
    func validateType(_ v: Val, _ param: Callee.Param) throws -> Val {
        guard case .typed(let type) = param else { return v }
        guard let value = v.value else {
            if type.canBeNil { return Val(Self.zeroValue(type), boxed: type == .any) }
            throw failure("invalid value; expected \(type.name)")
        }
        if type == .any { return v }
        if value.isNull {
            throw failure("wrong type for value; expected \(type.name); got interface {}")
        }
        if Self.isAssignable(value, to: type) { return Val(value) }
        if case .object(let object) = value, let underlying = object.underlying, Self.isAssignable(underlying, to: type) {
            return Val(underlying)
        }
        throw failure("wrong type for value; expected \(type.name); got \(value.typeName)")
    }

    static func isAssignable(_ value: TemplateValue, to type: TemplateType) -> Bool {
        switch (value, type) {
        case (_, .any): return true
        case (.bool, .bool), (.string, .string), (.complex, .complex128): return true
        case (.int(_, let k), .int(let t)): return k == t
        case (.uint(_, let k), .uint(let t)): return k == t
        case (.float(_, let k), .float(let t)): return k == t
        case (.list(_, let e), .slice(let t)): return e == t
        case (.map(_, let e), .map(let t)): return e == t
        case (.object(let o), .named(let n)): return o.typeName == n
        default: return false
        }
    }
}
