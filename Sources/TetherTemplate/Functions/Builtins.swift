/// Go's builtin template functions (`funcs.go`): `and`, `or`, `not`, `len`, `index`, `slice`,
/// `print`, `printf`, `println`, `html`, `js`, `urlquery`, `call` and the comparisons.
enum Builtins {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static let table: [String: Callee] = [
        "and": Callee(params: [.reflect], variadic: .reflect) { args, _ in args.last ?? .invalid },
        "or": Callee(params: [.reflect], variadic: .reflect) { args, _ in args.last ?? .invalid },
        "not": Callee(params: [.reflect], variadic: nil) { args, _ in Val(.bool(!(concrete(args[0])?.isTruthy ?? false))) },
        "len": Callee(params: [.reflect], variadic: nil) { args, _ in try length(args[0]) },
        "index": Callee(params: [.reflect], variadic: .reflect) { args, _ in try index(args[0], Array(args.dropFirst())) },
        "slice": Callee(params: [.reflect], variadic: .reflect) { args, _ in try slice(args[0], Array(args.dropFirst())) },
        "print": Callee(params: [], variadic: .typed(.any)) { args, _ in Val(.string(GoFormat.sprint(args.map(\.printed)))) },
        "println": Callee(params: [], variadic: .typed(.any)) { args, _ in Val(.string(GoFormat.sprintln(args.map(\.printed)))) },
        "printf": Callee(params: [.typed(.string)], variadic: .typed(.any)) { args, _ in
            Val(.string(GoFormat.sprintf(args[0].value?.stringValue ?? "", args.dropFirst().map(\.printed))))
        },
        "html": Callee(params: [], variadic: .typed(.any)) { args, _ in Val(.string(Escapers.html(evalArgs(args)))) },
        "js": Callee(params: [], variadic: .typed(.any)) { args, _ in Val(.string(Escapers.js(evalArgs(args)))) },
        "urlquery": Callee(params: [], variadic: .typed(.any)) { args, _ in Val(.string(Escapers.queryEscape(evalArgs(args)))) },
        "call": Callee(params: [.reflect], variadic: .reflect) { args, context in try call(args, context) },
        "eq": Callee(params: [.reflect], variadic: .reflect) { args, _ in Val(.bool(try Comparison.eq(args[0], Array(args.dropFirst())))) },
        "ne": Callee(params: [.reflect, .reflect], variadic: nil) { args, _ in Val(.bool(!(try Comparison.eq(args[0], [args[1]])))) },
        "lt": Callee(params: [.reflect, .reflect], variadic: nil) { args, _ in Val(.bool(try Comparison.lt(args[0], args[1]))) },
        "le": Callee(params: [.reflect, .reflect], variadic: nil) { args, _ in Val(.bool(try Comparison.le(args[0], args[1]))) },
        "gt": Callee(params: [.reflect, .reflect], variadic: nil) { args, _ in Val(.bool(!(try Comparison.le(args[0], args[1])))) },
        "ge": Callee(params: [.reflect, .reflect], variadic: nil) { args, _ in Val(.bool(!(try Comparison.lt(args[0], args[1])))) },
    ]

    /// Go's `indirectInterface`: the concrete value, or nil for no value and nil interfaces.
    static func concrete(_ v: Val) -> TemplateValue? {
        guard let value = v.value, !value.isNull else { return nil }
        return value
    }

    /// html/js/urlquery's `evalArgs`: a lone string as is, else `fmt.Sprint` with no value
    /// (and nil) shown as `<no value>`.
    static func evalArgs(_ args: [Val]) -> String {
        if args.count == 1, case .string(let s)? = args[0].value { return s }
        return GoFormat.sprint(args.map { concrete($0) ?? .string("<no value>") })
    }

    static func length(_ v: Val) throws -> Val {
        guard let value = v.value else { throw Failure("reflect: call of reflect.Value.Type on zero Value") }
        if value.isNull { throw Failure("len of nil pointer") }
        var target = value
        if case .object(let object) = value {
            if object.isNil { throw Failure("len of nil pointer") }
            if let underlying = object.underlying { target = underlying }
        }
        switch target {
        case .string(let s): return Val(.int(Int64(s.utf8.count)))
        case .list(let items, _): return Val(.int(Int64(items.count)))
        case .map(let entries, _): return Val(.int(Int64(entries.count)))
        default: throw Failure("len of type \(value.typeName)")
        }
    }

    static func indexArg(_ index: Val, cap: Int) throws -> Int {
        let x: Int64
        switch concrete(index) {
        case .int(let i, _)?: x = i
        case .uint(let u, _)?: x = Int64(truncatingIfNeeded: u)
        case nil: throw Failure("cannot index slice/array with nil")
        case let other?: throw Failure("cannot index slice/array with type \(other.typeName)")
        }
        if x < 0 || x > Int64(cap) { throw Failure("index out of range: \(x)") }
        return Int(x)
    }

    static func index(_ item: Val, _ indexes: [Val]) throws -> Val {
        guard let first = concrete(item) else { throw Failure("index of untyped nil") }
        var current = first
        var result = Val(first)
        for index in indexes {
            if current.isNull { throw Failure("index of nil pointer") }
            if case .object(let object) = current {
                if object.isNil { throw Failure("index of nil pointer") }
                if let underlying = object.underlying { current = underlying }
            }
            switch current {
            case .list(let items, let elementType):
                let x = try indexArg(index, cap: items.count)
                if x == items.count { throw Failure("reflect: slice index out of range") }
                result = Val(items[x], boxed: elementType == .any)
            case .string(let s):
                let bytes = Array(s.utf8)
                let x = try indexArg(index, cap: bytes.count)
                if x == bytes.count { throw Failure("reflect: string index out of range") }
                result = Val(.uint(UInt64(bytes[x]), .uint8))
            case .map(let entries, let valueType):
                guard let key = concrete(index) else { throw Failure("value is nil; should be of type string") }
                guard case .string(let k) = key else { throw Failure("value has type \(key.typeName); should be string") }
                if let found = entries[k] {
                    result = Val(found, boxed: valueType == .any)
                } else {
                    result = Val(Executor.zeroValue(valueType), boxed: valueType == .any)
                }
            default:
                throw Failure("can't index item of type \(current.typeName)")
            }
            current = result.value ?? .null
        }
        return result
    }

    static func slice(_ item: Val, _ indexes: [Val]) throws -> Val {
        guard var value = concrete(item) else { throw Failure("slice of untyped nil") }
        if indexes.count > 3 { throw Failure("too many slice indexes: \(indexes.count)") }
        if case .object(let object) = value, let underlying = object.underlying { value = underlying }
        let length: Int
        switch value {
        case .string(let s):
            if indexes.count == 3 { throw Failure("cannot 3-index slice a string") }
            length = s.utf8.count
        case .list(let items, _):
            length = items.count
        default:
            throw Failure("can't slice item of type \(value.typeName)")
        }
        var idx = [0, length, 0]
        for (i, index) in indexes.enumerated() { idx[i] = try indexArg(index, cap: length) }
        if idx[0] > idx[1] { throw Failure("invalid slice index: \(idx[0]) > \(idx[1])") }
        if indexes.count == 3 && idx[1] > idx[2] { throw Failure("invalid slice index: \(idx[1]) > \(idx[2])") }
        switch value {
        case .string(let s):
            return Val(.string(String(decoding: Array(s.utf8)[idx[0]..<idx[1]], as: UTF8.self)))
        case .list(let items, let elementType):
            return Val(.list(Array(items[idx[0]..<idx[1]]), elementType))
        default:
            throw Failure("can't slice item of type \(value.typeName)")
        }
    }

    static func call(_ args: [Val], _ context: TemplateCallContext) throws -> Val {
        let name = args[0].value?.stringValue ?? "unknown"
        guard let fnValue = concrete(args[1]) else { throw Failure("call of nil") }
        guard case .object(let object) = fnValue, let function = object as? TemplateFunction else {
            throw Failure("non-function \(name) of type \(fnValue.typeName)")
        }
        let callArgs = Array(args.dropFirst(2))
        let numIn = function.parameters.count + (function.variadic == nil ? 0 : 1)
        if function.variadic != nil {
            if callArgs.count < numIn - 1 {
                throw Failure("wrong number of args for \(name): got \(callArgs.count) want at least \(numIn - 1)")
            }
        } else if callArgs.count != numIn {
            throw Failure("wrong number of args for \(name): got \(callArgs.count) want \(numIn)")
        }
        var argv: [TemplateValue] = []
        for (i, arg) in callArgs.enumerated() {
            let type = i < function.parameters.count ? function.parameters[i] : (function.variadic ?? .any)
            guard let value = concrete(arg) else {
                if !type.canBeNil { throw Failure("arg \(i): value is nil; should be of type \(type.name)") }
                argv.append(Executor.zeroValue(type))
                continue
            }
            if Executor.isAssignable(value, to: type) {
                argv.append(value)
            } else if case .int(let n, _) = value, case .int(let k) = type {
                argv.append(.int(Executor.truncate(n, k), k))
            } else if case .uint(let n, _) = value, case .uint(let k) = type {
                argv.append(.uint(Executor.truncate(n, k), k))
            } else if case .int(let n, _) = value, case .uint(let k) = type {
                argv.append(.uint(Executor.truncate(UInt64(bitPattern: n), k), k))
            } else if case .uint(let n, _) = value, case .int(let k) = type {
                argv.append(.int(Executor.truncate(Int64(bitPattern: n), k), k))
            } else {
                throw Failure("arg \(i): value has type \(value.typeName); should be \(type.name)")
            }
        }
        return Val(try function.body(argv, context))
    }
}

extension Val {
    /// The value as an `interface{}` argument of fmt: no value is nil.
    var printed: TemplateValue { value ?? .null }
}
