/// A Go `map[string]T`: a reference. Every path to the same map sees a change made through any
/// of them, as in Go, where `$_ := set .Values.global "k" v` is visible afterwards as
/// `.Values.global.k`, through a variable holding the map, inside a list holding it, and in
/// the next template run with the same data.
///
/// Making a map (`TemplateValue.map([...])`, Sprig's `dict`, `fromYaml`, `deepCopy`) creates a
/// new one; `set`, `unset` and the merges change the one they are given (``setValue(_:forKey:)``,
/// ``removeValue(forKey:)``). Reading is through the get-only subscript and `entries` (a
/// snapshot: later changes to the map do not alter it).
///
/// Like a Go map it is not safe to change while another thread uses it. Templates run on one
/// thread; whoever hands data to several concurrent executions that may change it gives each
/// its own ``deepCopy()`` (Helm's engine copies the values it renders with).
///
/// ```swift
/// let m = TemplateMap(["a": .string("x")])
/// let alias = TemplateValue.map(m)
/// m.setValue(.string("y"), forKey: "a")
/// alias.mapValue?["a"]   // .string("y")
/// ```
package final class TemplateMap: @unchecked Sendable {
    /// The entries now; a value snapshot (Swift dictionaries copy on write).
    package private(set) var entries: [String: TemplateValue]

    /// Makes a new map.
    /// - Parameter entries: its entries.
    package init(_ entries: [String: TemplateValue] = [:]) {
        self.entries = entries
    }

    /// The entry for `key`, or `nil` when the map has none.
    package subscript(key: String) -> TemplateValue? {
        entries[key]
    }

    /// Go's `m[key] = value`: every holder of the map sees the new entry.
    package func setValue(_ value: TemplateValue, forKey key: String) {
        entries[key] = value
    }

    /// Go's `delete(m, key)`.
    package func removeValue(forKey key: String) {
        entries[key] = nil
    }

    /// Replaces every entry at once (the map keeps its identity).
    package func replaceEntries(_ new: [String: TemplateValue]) {
        entries = new
    }

    /// The number of entries (`len`).
    package var count: Int { entries.count }

    /// Whether the map has no entries (Go's falsy empty map).
    package var isEmpty: Bool { entries.isEmpty }

    /// The keys, unordered.
    package var keys: Dictionary<String, TemplateValue>.Keys { entries.keys }

    /// The keys in the order Go iterates and prints them (byte-wise sorted).
    package var sortedKeys: [String] { TemplateValue.sortedKeys(entries) }

    /// A new map with every map and list below copied too (Sprig's `deepCopy`,
    /// `copystructure.Copy`); objects are kept as they are.
    package func deepCopy() -> TemplateMap {
        TemplateMap(entries.mapValues { $0.deepCopy() })
    }
}

extension TemplateMap: Sequence {
    package func makeIterator() -> Dictionary<String, TemplateValue>.Iterator {
        entries.makeIterator()
    }

    package var underestimatedCount: Int { entries.count }
}

extension TemplateValue {
    /// A new map holding `entries` (Go's map literal or `make`).
    /// - Parameters:
    ///   - entries: the entries.
    ///   - valueType: the map's value type; `.any` is `map[string]interface {}`.
    package static func map(_ entries: [String: TemplateValue], _ valueType: TemplateType = .any) -> TemplateValue {
        .map(TemplateMap(entries), valueType)
    }

    /// The map itself (not a snapshot), to change it in place as Go's `set` does; `nil` when
    /// this is not a map or an object over one.
    package var mapReference: TemplateMap? {
        switch self {
        case .map(let map, _): return map
        case .object(let object): return object.underlying?.mapReference
        default: return nil
        }
    }

    /// The value with every map and list below it copied (objects are kept): what
    /// `copystructure.Copy` gives Sprig's `deepCopy` and Helm's value coalescing.
    package func deepCopy() -> TemplateValue {
        switch self {
        case .map(let map, let type): return .map(map.deepCopy(), type)
        case .list(let items, let type): return .list(items.map { $0.deepCopy() }, type)
        default: return self
        }
    }
}
