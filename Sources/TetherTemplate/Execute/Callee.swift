/// A function as the executor calls it: Go's builtins take `reflect.Value`s (any value,
/// including no value); host functions take typed parameters.
struct Callee: Sendable {
    enum Param: Equatable, Sendable {
        /// A `reflect.Value` parameter: the value as it is, possibly invalid.
        case reflect
        case typed(TemplateType)
    }

    var params: [Param]
    var variadic: Param?
    var isBuiltin: Bool
    var body: @Sendable (_ args: [Val], _ context: TemplateCallContext) throws -> Val

    init(params: [Param], variadic: Param?, body: @escaping @Sendable (_ args: [Val], _ context: TemplateCallContext) throws -> Val) {
        self.params = params
        self.variadic = variadic
        self.isBuiltin = true
        self.body = body
    }

    init(_ function: TemplateFunction) {
        self.params = function.parameters.map { .typed($0) }
        self.variadic = function.variadic.map { .typed($0) }
        self.isBuiltin = false
        self.body = { args, context in
            let result = try function.body(args.map { $0.value ?? .null }, context)
            return Val(result, boxed: false)
        }
    }
}
