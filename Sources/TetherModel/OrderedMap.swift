/// A map from strings to values that keeps its keys in insertion order.
///
/// Small maps (the vast majority of Kubernetes objects' maps) are searched
/// linearly; past `indexThreshold` keys a hash index is kept beside the
/// entries so lookups stay O(1) on large ConfigMaps and generated data.
package struct OrderedMap: Sendable, Hashable {
    /// One key and its value.
    package struct Entry: Sendable, Hashable {
        package var key: String
        package var value: Value
        package init(key: String, value: Value) {
            self.key = key
            self.value = value
        }
    }

    package private(set) var entries: [Entry]
    private var index: [String: Int]?
    private static let indexThreshold = 16

    /// An empty map.
    package init() {
        entries = []
        index = nil
    }

    /// A map of the given pairs, in order; a repeated key keeps its first
    /// position and its last value.
    package init<S: Sequence>(_ pairs: S) where S.Element == (String, Value) {
        self.init()
        for (k, v) in pairs { self[k] = v }
    }

    package var count: Int { entries.count }
    package var isEmpty: Bool { entries.isEmpty }
    package var keys: [String] { entries.map(\.key) }
    package var values: [Value] { entries.map(\.value) }

    /// The position of `key`, or `nil` when absent.
    package func position(of key: String) -> Int? {
        if let index { return index[key] }
        for i in entries.indices where entries[i].key == key { return i }
        return nil
    }

    /// Reads, replaces, inserts (at the end) or removes (with `nil`) a key.
    package subscript(key: String) -> Value? {
        get {
            guard let i = position(of: key) else { return nil }
            return entries[i].value
        }
        set {
            if let i = position(of: key) {
                if let newValue {
                    entries[i].value = newValue
                } else {
                    entries.remove(at: i)
                    rebuildIndex()
                }
            } else if let newValue {
                append(key: key, value: newValue)
            }
        }
    }

    /// Appends a key known to be absent. Cheaper than the subscript when the
    /// caller (a decoder) has already checked for duplicates.
    package mutating func append(key: String, value: Value) {
        entries.append(Entry(key: key, value: value))
        if index != nil {
            index![key] = entries.count - 1
        } else if entries.count > Self.indexThreshold {
            rebuildIndex()
        }
    }

    /// Removes `key` and returns its value, if present.
    @discardableResult
    package mutating func removeValue(forKey key: String) -> Value? {
        guard let i = position(of: key) else { return nil }
        let v = entries.remove(at: i).value
        rebuildIndex()
        return v
    }

    /// Changes the value of `key` in place when present.
    package mutating func modifyValue(forKey key: String, _ body: (inout Value) throws -> Void) rethrows {
        guard let i = position(of: key) else { return }
        try body(&entries[i].value)
    }

    /// Sorts entries in place by key with the given ordering.
    package mutating func sortKeys(by areInIncreasingOrder: (String, String) -> Bool) {
        entries.sort { areInIncreasingOrder($0.key, $1.key) }
        rebuildIndex()
    }

    private mutating func rebuildIndex() {
        guard entries.count > Self.indexThreshold else {
            index = nil
            return
        }
        var idx = [String: Int](minimumCapacity: entries.count)
        for (i, e) in entries.enumerated() { idx[e.key] = i }
        index = idx
    }

    // Equality and hashing ignore the index, and key order: two maps with the
    // same pairs are the same Kubernetes data.
    package static func == (lhs: OrderedMap, rhs: OrderedMap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for e in lhs.entries {
            guard let v = rhs[e.key], v == e.value else { return false }
        }
        return true
    }

    package func hash(into hasher: inout Hasher) {
        // Order-independent: combine per-entry hashes commutatively.
        var acc = 0
        for e in entries {
            var h = Hasher()
            h.combine(e.key)
            h.combine(e.value)
            acc ^= h.finalize()
        }
        hasher.combine(count)
        hasher.combine(acc)
    }
}

extension OrderedMap: Sequence {
    package func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }
}
