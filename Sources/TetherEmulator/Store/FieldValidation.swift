import TetherModel
import TetherPatch

/// What the request's `fieldValidation` asks for when a body has fields
/// its kind's schema does not declare (apimachinery's strict decoding,
/// KEP-2885): refuse with 400, drop them with a `Warning` header (the
/// default), or drop them silently.
enum FieldValidation: String, Sendable {
    case strict = "Strict", warn = "Warn", ignore = "Ignore"

    /// - Throws: `EmulatorError.badRequest` for a value other than the three.
    init(query: String?) throws(EmulatorError) {
        guard let query, !query.isEmpty else { self = .warn; return }
        guard let value = FieldValidation(rawValue: query) else {
            throw .badRequest("fieldValidation: Unsupported value: \"\(query)\": supported values: \"Ignore\", \"Strict\", \"Warn\"")
        }
        self = value
    }

    /// Removes the fields of `object` its built-in schema does not declare.
    /// - Returns: their paths in document order (`spec.template.spec.containers[0].bogus`);
    ///   empty for kinds without a built-in schema (custom resources).
    static func pruneUnknown(_ object: inout Value, root: PatchSchema.Node?) -> [String] {
        guard let root else { return [] }
        var unknown: [String] = []
        prune(&object, root, path: "", into: &unknown)
        return unknown
    }

    private static func prune(_ value: inout Value, _ node: PatchSchema.Node, path: String, into unknown: inout [String]) {
        switch (node.shape, value) {
        case (.definition, .map(var map)), (.object, .map(var map)):
            var changed = false
            for entry in map.entries {
                let childPath = path.isEmpty ? entry.key : path + "." + entry.key
                guard let child = node.field(entry.key) else {
                    unknown.append(childPath)
                    _ = map.removeValue(forKey: entry.key)
                    changed = true
                    continue
                }
                var inner = entry.value
                let before = unknown.count
                prune(&inner, child, path: childPath, into: &unknown)
                if unknown.count != before { map[entry.key] = inner; changed = true }
            }
            if changed { value = .map(map) }
        case (.map(let element), .map(var map)):
            var changed = false
            for entry in map.entries {
                var inner = entry.value
                let before = unknown.count
                prune(&inner, element, path: path + "." + entry.key, into: &unknown)
                if unknown.count != before { map[entry.key] = inner; changed = true }
            }
            if changed { value = .map(map) }
        case (.list(let element), .list(var items)):
            var changed = false
            for index in items.indices {
                let before = unknown.count
                prune(&items[index], element, path: "\(path)[\(index)]", into: &unknown)
                if unknown.count != before { changed = true }
            }
            if changed { value = .list(items) }
        default:
            break
        }
    }

    /// The 400 a Strict create or update gets, in the words of the API server's decoder.
    static func strictError(_ type: ResourceType, unknown: [String]) -> EmulatorError {
        let fields = unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
        return .badRequest("\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): strict decoding error: \(fields)")
    }

    /// The 400 a Strict server-side apply gets (structured-merge-diff's typed patch error).
    static func applyError(_ type: ResourceType, unknown: [String]) -> EmulatorError {
        let fields = unknown.map { ".\($0): field not declared in schema" }.joined(separator: ", ")
        return .badRequest("failed to create typed patch object (\(type.group)/\(type.version), Kind=\(type.kind)): \(fields)")
    }
}
