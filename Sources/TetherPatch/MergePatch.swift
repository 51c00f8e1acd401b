package import TetherModel

/// JSON merge patch (RFC 7386), `application/merge-patch+json`: maps merge
/// recursively, `null` removes a key, and anything else (lists included)
/// replaces the target.
package enum MergePatch {
    /// Applies a merge patch.
    /// - Parameters:
    ///   - patch: the patch document; a non-map replaces `original` whole.
    ///   - original: the document to patch.
    /// - Returns: the patched document. Never throws: every JSON value is a
    ///   valid merge patch.
    package static func apply(_ patch: Value, to original: Value) -> Value {
        guard case .map(let p) = patch else { return patch }
        var result = original.mapValue ?? OrderedMap()
        for entry in p {
            if entry.value.isNull {
                result.removeValue(forKey: entry.key)
            } else {
                result[entry.key] = apply(entry.value, to: result[entry.key] ?? .null)
            }
        }
        return .map(result)
    }
}
