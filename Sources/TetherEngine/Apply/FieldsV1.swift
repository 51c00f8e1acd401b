import TetherModel

/// Operations on `managedFields[].fieldsV1` trees (`{"f:spec":{"f:replicas":{}}}`).
enum FieldsV1 {
    /// Every field in either tree.
    static func union(_ a: Value, _ b: Value) -> Value {
        guard case .map(var left) = a, case .map(let right) = b else { return a.isNull ? b : a }
        for entry in right.entries {
            if let existing = left[entry.key] {
                left[entry.key] = union(existing, entry.value)
            } else {
                left.append(key: entry.key, value: entry.value)
            }
        }
        return .map(left)
    }
}
