import TetherModel

extension CustomResourceSchema {
    static func validate(_ value: Value, _ schema: Value, path: String, into causes: inout [Cause]) {
        let field = path.isEmpty ? "<root>" : path
        if case .null = value {
            if schema["nullable"]?.boolValue == true || path.isEmpty { return }
            if let type = schema["type"]?.stringValue {
                causes.append(invalid(field, "\"null\"", "\(field) in body must be of type \(type): \"null\""))
            }
            return
        }
        if let type = schema["type"]?.stringValue, !matches(value, type: type, schema: schema) {
            let actual = typeName(value)
            causes.append(invalid(field, "\"\(actual)\"", "\(field) in body must be of type \(type): \"\(actual)\""))
            return
        }
        if let allowed = schema["enum"]?.listValue, !allowed.contains(value) {
            let list = allowed.map(render).joined(separator: ", ")
            causes.append(Cause(reason: "FieldValueNotSupported", message: "Unsupported value: \(render(value)): supported values: \(list)", field: field))
        }
        switch value {
        case .int, .uint, .float:
            number(value, schema, field, into: &causes)
        case .string(let text):
            string(text, schema, field, into: &causes)
        case .list(let items):
            if let max = schema["maxItems"]?.intValue, items.count > max {
                causes.append(Cause(reason: "FieldValueTooMany", message: "Too many: \(items.count): must have at most \(max) items", field: field))
            }
            if let min = schema["minItems"]?.intValue, items.count < min {
                causes.append(invalid(field, "\(items.count)", "\(field) in body should have at least \(min) items"))
            }
            if let element = schema["items"] {
                for (index, item) in items.enumerated() { validate(item, element, path: "\(path)[\(index)]", into: &causes) }
            }
        case .map(let map):
            for required in schema["required"]?.listValue?.compactMap(\.stringValue) ?? [] where map[required] == nil {
                let child = path.isEmpty ? required : path + "." + required
                causes.append(Cause(reason: "FieldValueRequired", message: "Required value", field: child))
            }
            let properties = schema["properties"]?.mapValue
            let additional = schema["additionalProperties"]
            for entry in map.entries {
                if path.isEmpty, ["apiVersion", "kind", "metadata"].contains(entry.key) { continue }
                let child = path.isEmpty ? entry.key : path + "." + entry.key
                if let property = properties?[entry.key] {
                    validate(entry.value, property, path: child, into: &causes)
                } else if let additional, additional.mapValue != nil {
                    validate(entry.value, additional, path: child, into: &causes)
                }
            }
        default:
            break
        }
    }

    private static func matches(_ value: Value, type: String, schema: Value) -> Bool {
        if schema["x-kubernetes-int-or-string"]?.boolValue == true {
            switch value { case .int, .uint, .string: return true; default: return false }
        }
        switch (type, value) {
        case ("object", .map), ("array", .list), ("string", .string), ("boolean", .bool): return true
        case ("integer", .int), ("integer", .uint): return true
        case ("integer", .float(let d)): return d.rounded() == d
        case ("number", .int), ("number", .uint), ("number", .float): return true
        default: return false
        }
    }

    private static func typeName(_ value: Value) -> String {
        switch value {
        case .map: return "object"
        case .list: return "array"
        case .string: return "string"
        case .bool: return "boolean"
        case .int, .uint: return "integer"
        case .float: return "number"
        case .null: return "null"
        }
    }

    private static func render(_ value: Value) -> String {
        if case .string(let s) = value { return "\"\(s)\"" }
        return value.scalarText ?? ((try? JSONEncoding().string(value)) ?? "")
    }

    private static func invalid(_ field: String, _ shown: String, _ detail: String) -> Cause {
        Cause(reason: "FieldValueInvalid", message: "Invalid value: \(shown): \(detail)", field: field)
    }

    private static func double(_ value: Value?) -> Double? {
        switch value {
        case .int(let i)?: return Double(i)
        case .uint(let u)?: return Double(u)
        case .float(let d)?: return d
        default: return nil
        }
    }

    private static func number(_ value: Value, _ schema: Value, _ field: String, into causes: inout [Cause]) {
        guard let n = double(value) else { return }
        let shown = render(value)
        if let max = double(schema["maximum"]) {
            let exclusive = schema["exclusiveMaximum"]?.boolValue == true
            if exclusive ? n >= max : n > max {
                causes.append(invalid(field, shown, "\(field) in body should be less than \(exclusive ? "" : "or equal to ")\(render(schema["maximum"] ?? .null))"))
            }
        }
        if let min = double(schema["minimum"]) {
            let exclusive = schema["exclusiveMinimum"]?.boolValue == true
            if exclusive ? n <= min : n < min {
                causes.append(invalid(field, shown, "\(field) in body should be greater than \(exclusive ? "" : "or equal to ")\(render(schema["minimum"] ?? .null))"))
            }
        }
        if let multiple = double(schema["multipleOf"]), multiple > 0, (n / multiple).rounded() != n / multiple {
            causes.append(invalid(field, shown, "\(field) in body should be a multiple of \(render(schema["multipleOf"] ?? .null))"))
        }
    }

    private static func string(_ text: String, _ schema: Value, _ field: String, into causes: inout [Cause]) {
        let length = text.count
        if let max = schema["maxLength"]?.intValue, length > max {
            causes.append(Cause(reason: "FieldValueTooLong", message: "Too long: may not be more than \(max) bytes", field: field))
        }
        if let min = schema["minLength"]?.intValue, length < min {
            causes.append(invalid(field, "\"\(text)\"", "\(field) in body should be at least \(min) chars long"))
        }
        if let pattern = schema["pattern"]?.stringValue, let regex = try? Regex(pattern), (try? regex.firstMatch(in: text)) == nil {
            causes.append(invalid(field, "\"\(text)\"", "\(field) in body should match '\(pattern)'"))
        }
    }
}
