import TetherEngine
import TetherModel

/// The entries of `tether.yaml` that are maps of strings (a target, a notification
/// provider), read one way.
enum ConfigFields {
    /// The map's fields as strings.
    /// - Parameters:
    ///   - fields: the map at `pointer` in `document`.
    ///   - allowed: the field names it may have.
    ///   - structured: allowed fields whose values are not scalars (lists, maps): skipped
    ///     here, the caller reads them.
    /// - Throws: `EngineError` `.invalidConfig` naming the file, line and field for an
    ///   unknown field or a value that is not a non-empty scalar.
    static func strings(_ fields: OrderedMap, allowed: Set<String>, structured: Set<String> = [], at pointer: String,
                        in document: YAMLDocument) throws(EngineError) -> [String: String] {
        var strings: [String: String] = [:]
        for entry in fields.entries {
            let location = document.location(of: pointer + "/" + entry.key)
            guard allowed.contains(entry.key) else {
                throw EngineError(.invalidConfig, "\(location): unknown field '\(entry.key)'",
                                  hint: "Allowed: \(allowed.sorted().joined(separator: ", ")).")
            }
            if structured.contains(entry.key) { continue }
            guard let value = entry.value.scalarText, !value.isEmpty else {
                throw EngineError(.invalidConfig, "\(location): '\(entry.key)' must be a non-empty string")
            }
            strings[entry.key] = value
        }
        return strings
    }
}
