package import TetherModel

/// Hides Secret values before an object is shown, the way `kubectl diff` does.
///
/// Every value under `data` and `stringData` becomes `***`. When a key's value differs
/// between the two sides, they become `*** (before)` and `*** (after)`, so a changed
/// value still shows as a changed line without showing either value. The
/// `kubectl.kubernetes.io/last-applied-configuration` annotation embeds the whole
/// Secret, so it is masked the same way.
package enum SecretMask {
    /// The annotation `kubectl apply` (client-side) writes with the applied object.
    package static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"
    /// The fields whose values are secret.
    package static let secretFields = ["data", "stringData"]

    static let hidden = Value.string("***")
    static let before = Value.string("*** (before)")
    static let after = Value.string("*** (after)")

    /// Whether objects with this id are Secrets (kind `Secret` in the core group).
    package static func applies(to id: ResourceID) -> Bool {
        id.group.isEmpty && id.kind == "Secret"
    }

    /// Whether a value is a core `v1` Secret object.
    package static func isSecret(_ value: Value?) -> Bool {
        guard let value else { return false }
        return value["kind"]?.stringValue == "Secret" && value["apiVersion"]?.stringValue == "v1"
    }

    /// Masks one object on its own (every value becomes `***`).
    package static func masked(_ value: Value) -> Value {
        var one: Value? = value
        var none: Value? = nil
        mask(&one, &none)
        return one ?? value
    }

    /// Masks the two sides of a diff together; either may be absent.
    package static func mask(_ live: inout Value?, _ merged: inout Value?) {
        for field in secretFields {
            let (l, m) = maskPair(live?[field], merged?[field])
            if l != nil { live?[field] = l }
            if m != nil { merged?[field] = m }
        }
        let path = ["metadata", "annotations", lastAppliedAnnotation]
        let (l, m) = (live?[path: path], merged?[path: path])
        guard l != nil || m != nil else { return }
        let (maskedLive, maskedMerged) = maskLeaf(l, m)
        if let maskedLive { setAnnotation(&live, maskedLive) }
        if let maskedMerged { setAnnotation(&merged, maskedMerged) }
    }

    private static func setAnnotation(_ object: inout Value?, _ value: Value) {
        guard var metadata = object?["metadata"]?.mapValue,
              var annotations = metadata["annotations"]?.mapValue else { return }
        annotations[lastAppliedAnnotation] = value
        metadata["annotations"] = .map(annotations)
        object?["metadata"] = .map(metadata)
    }

    /// Masks a `data` or `stringData` field on both sides, key by key when both are maps.
    private static func maskPair(_ live: Value?, _ merged: Value?) -> (Value?, Value?) {
        switch (live, merged) {
        case (nil, nil):
            return (nil, nil)
        case (.map(let l)?, .map(let m)?):
            return (.map(maskMap(l, against: m)), .map(maskMap(m, against: l, after: true)))
        case (.map(let l)?, nil):
            return (.map(maskMap(l, against: nil)), nil)
        case (nil, .map(let m)?):
            return (nil, .map(maskMap(m, against: nil)))
        default:
            // Not a map (an invalid object): hide the field's value as a whole.
            return maskLeaf(live, merged)
        }
    }

    private static func maskMap(_ map: OrderedMap, against other: OrderedMap?, after: Bool = false) -> OrderedMap {
        var out = OrderedMap()
        for entry in map {
            let value: Value
            if let otherValue = other?[entry.key], otherValue != entry.value {
                value = after ? Self.after : Self.before
            } else {
                value = hidden
            }
            out.append(key: entry.key, value: value)
        }
        return out
    }

    private static func maskLeaf(_ live: Value?, _ merged: Value?) -> (Value?, Value?) {
        guard let live, let merged else { return (live.map { _ in hidden }, merged.map { _ in hidden }) }
        return live == merged ? (hidden, hidden) : (before, after)
    }
}
