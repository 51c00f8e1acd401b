import Foundation
import TetherModel

/// sops' flattening of its metadata for the dotenv and INI stores: nested keys joined with
/// `__map_`, list positions with `__list_N` (`age__list_0__map_enc`).
enum FlatMetadata {
    private enum Step { case key(String), index(Int) }

    /// Rebuilds the nested metadata from flat `(key, value)` pairs, in order.
    /// - Throws: `SOPSError` (`.invalidFormat`) for a malformed flattened key.
    static func unflatten(_ pairs: [(String, String)]) throws(SOPSError) -> Value {
        var root = Value.map(OrderedMap())
        for (flat, value) in pairs {
            let parts = flat.components(separatedByString: "__")
            var steps: [Step] = [.key(parts[0])]
            for part in parts.dropFirst() {
                if part.hasPrefix("map_") {
                    steps.append(.key(String(part.dropFirst(4))))
                } else if part.hasPrefix("list_"), let i = Int(part.dropFirst(5)), i >= 0, i < 10_000 {
                    steps.append(.index(i))
                } else {
                    throw SOPSError(.invalidFormat, "the flattened sops metadata key '\(flat)' is malformed")
                }
            }
            try insert(.string(value), at: steps[...], into: &root, flat: flat)
        }
        return root
    }

    private static func insert(_ value: Value, at steps: ArraySlice<Step>, into node: inout Value, flat: String) throws(SOPSError) {
        guard let step = steps.first else {
            node = value
            return
        }
        switch step {
        case .key(let k):
            var map = node.mapValue ?? OrderedMap()
            var child = map[k] ?? .null
            try insert(value, at: steps.dropFirst(), into: &child, flat: flat)
            map[k] = child
            node = .map(map)
        case .index(let i):
            var list = node.listValue ?? []
            while list.count <= i { list.append(.null) }
            try insert(value, at: steps.dropFirst(), into: &list[i], flat: flat)
            node = .list(list)
        }
    }

    /// Flattens nested metadata into `(key, value)` pairs (the inverse of `unflatten`).
    static func flatten(_ value: Value, prefix: String = "") -> [(String, String)] {
        switch value {
        case .map(let m):
            return m.entries.flatMap { e in flatten(e.value, prefix: prefix.isEmpty ? e.key : prefix + "__map_" + e.key) }
        case .list(let l):
            return l.enumerated().flatMap { i, v in flatten(v, prefix: prefix + "__list_\(i)") }
        default:
            return [(prefix, value.scalarText ?? "")]
        }
    }
}

extension String {
    /// Splits on a multi-character separator, keeping empty pieces.
    func components(separatedByString separator: String) -> [String] {
        var out: [String] = []
        var rest = self[...]
        while let r = rest.range(of: separator) {
            out.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }
}
