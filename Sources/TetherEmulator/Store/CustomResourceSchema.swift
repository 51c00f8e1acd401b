import TetherModel

/// A CRD version's structural schema applied to custom resources, in the
/// order apiextensions-apiserver applies it: unknown fields are pruned
/// (pkg/apiserver/schema/pruning), defaults are set
/// (pkg/apiserver/schema/defaulting), then the value is validated
/// (kube-openapi's validate, worded as apiextensions reports it).
enum CustomResourceSchema {
    typealias Cause = EmulatorError.Cause

    /// Removes fields the schema does not declare, except under
    /// `x-kubernetes-preserve-unknown-fields`; the root's apiVersion, kind and metadata stay.
    /// - Returns: the pruned fields' paths in document order.
    static func prune(_ object: inout Value, schema: Value) -> [String] {
        var pruned: [String] = []
        prune(&object, schema, path: "", root: true, into: &pruned)
        return pruned
    }

    private static func prune(_ value: inout Value, _ schema: Value, path: String, root: Bool, into pruned: inout [String]) {
        switch value {
        case .map(var map):
            if schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true, schema["properties"] == nil,
               schema["additionalProperties"] == nil { return }
            let properties = schema["properties"]?.mapValue
            let additional = schema["additionalProperties"]
            let embedded = root || schema["x-kubernetes-embedded-resource"]?.boolValue == true
            var changed = false
            for entry in map.entries {
                let childPath = path.isEmpty ? entry.key : path + "." + entry.key
                if embedded, ["apiVersion", "kind", "metadata"].contains(entry.key) { continue }
                let child = properties?[entry.key] ?? (additional?.mapValue != nil ? additional : nil)
                guard let child else {
                    if additional?.boolValue == true || schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true { continue }
                    pruned.append(childPath)
                    _ = map.removeValue(forKey: entry.key)
                    changed = true
                    continue
                }
                var inner = entry.value
                let before = pruned.count
                prune(&inner, child, path: childPath, root: false, into: &pruned)
                if pruned.count != before { map[entry.key] = inner; changed = true }
            }
            if changed { value = .map(map) }
        case .list(var items):
            guard let element = schema["items"] else { return }
            let before = pruned.count
            for index in items.indices { prune(&items[index], element, path: "\(path)[\(index)]", root: false, into: &pruned) }
            if pruned.count != before { value = .list(items) }
        default:
            break
        }
    }

    /// Sets each missing property that has a `default`, outside in.
    static func applyDefaults(_ value: inout Value, schema: Value) {
        switch value {
        case .map(var map):
            var changed = false
            if let properties = schema["properties"]?.mapValue {
                for property in properties.entries {
                    if map[property.key] == nil, let value = property.value["default"] {
                        map[property.key] = value
                        changed = true
                    }
                    if var inner = map[property.key] {
                        let before = inner
                        applyDefaults(&inner, schema: property.value)
                        if inner != before { map[property.key] = inner; changed = true }
                    }
                }
            } else if let additional = schema["additionalProperties"], additional.mapValue != nil {
                for entry in map.entries {
                    var inner = entry.value
                    applyDefaults(&inner, schema: additional)
                    if inner != entry.value { map[entry.key] = inner; changed = true }
                }
            }
            if changed { value = .map(map) }
        case .list(var items):
            guard let element = schema["items"] else { return }
            let before = items
            for index in items.indices { applyDefaults(&items[index], schema: element) }
            if items != before { value = .list(items) }
        default:
            break
        }
    }

    /// The validation failures of `object` against `schema`.
    static func causes(_ object: Value, schema: Value) -> [Cause] {
        var causes: [Cause] = []
        validate(object, schema, path: "", into: &causes)
        return causes
    }
}

extension CustomResourceSchema {
    /// Why a CRD version's schema is not structural (apiextensions
    /// validation, `validateStructuralInvariants`): every specified field and
    /// array item needs a type unless it is int-or-string or preserves unknown fields.
    static func structuralProblems(_ schema: Value, path: String) -> [Cause] {
        var causes: [Cause] = []
        if schema["type"]?.stringValue != "object" {
            causes.append(Cause(reason: "FieldValueRequired", message: "Required value: must not be empty at the root",
                                field: path + ".type"))
        }
        structural(schema, path: path, into: &causes)
        return causes
    }

    private static func structural(_ schema: Value, path: String, into causes: inout [Cause]) {
        func typed(_ node: Value) -> Bool {
            node["type"]?.stringValue?.isEmpty == false || node["x-kubernetes-int-or-string"]?.boolValue == true
                || node["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        }
        for property in schema["properties"]?.mapValue?.entries ?? [] {
            let childPath = "\(path).properties[\(property.key)]"
            if !typed(property.value) {
                causes.append(Cause(reason: "FieldValueRequired", message: "Required value: must not be empty for specified object fields",
                                    field: childPath + ".type"))
            }
            structural(property.value, path: childPath, into: &causes)
        }
        if let items = schema["items"], items.mapValue != nil {
            if !typed(items) {
                causes.append(Cause(reason: "FieldValueRequired", message: "Required value: must not be empty for specified array items",
                                    field: path + ".items.type"))
            }
            structural(items, path: path + ".items", into: &causes)
        }
        if let additional = schema["additionalProperties"], additional.mapValue != nil {
            if !typed(additional) {
                causes.append(Cause(reason: "FieldValueRequired", message: "Required value: must not be empty for specified object fields",
                                    field: path + ".additionalProperties.type"))
            }
            structural(additional, path: path + ".additionalProperties", into: &causes)
        }
    }
}
