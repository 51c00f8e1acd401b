package import TetherModel

/// The fast path of planning: decides without a request that applying `desired` would
/// not change `live`.
///
/// That holds when (1) `live` already has every rendered field with an equal value
/// (quantities compared by value, so `1000m` equals `1`; a Secret's `stringData` against
/// the base64 `data` the server stores it as), (2) every field Tether's field
/// manager owns is still rendered (otherwise the apply would remove it), and (3) no
/// client-side-apply manager still owns fields that need migrating. Anything else
/// goes to a server-side-apply dry run, which is the authority.
package struct LiveComparison: Sendable {
    package var fieldManager: String

    package init(fieldManager: String) {
        self.fieldManager = fieldManager
    }

    /// Managers whose fields Tether takes over on its first apply (kubectl's own list
    /// for the client-side to server-side apply migration).
    package static let legacyManagers: Set<String> = [
        "kubectl-client-side-apply", "kubectl-create", "kubectl-edit", "before-first-apply",
    ]

    /// Whether applying `desired` would leave `live` as it is.
    package func isUnchanged(desired: Resource, live: Resource) -> Bool {
        let entries = live.value[path: ["metadata", "managedFields"]]?.listValue ?? []
        var ownFields: Value?
        for entry in entries {
            let manager = entry["manager"]?.stringValue ?? ""
            if Self.legacyManagers.contains(manager) { return false }
            if manager == fieldManager, entry["operation"]?.stringValue == "Apply",
               (entry["subresource"]?.stringValue ?? "").isEmpty {
                ownFields = entry["fieldsV1"]
            }
        }
        guard let ownFields else { return false }
        if let (rest, stringData) = Self.splitStringData(desired) {
            guard Self.secret(live.value, holds: stringData) else { return false }
            guard Self.contains(live.value, rest, at: FieldPosition([])) else { return false }
        } else {
            guard Self.contains(live.value, desired.value, at: FieldPosition([])) else { return false }
        }
        return Self.stillRendered(ownFields, in: desired.value)
    }

    // MARK: Secret stringData

    /// A rendered Secret's `stringData` apart from the rest of it. The API server merges
    /// `stringData` into `data` (base64) and never returns it, so it cannot be compared
    /// field by field; without this every such Secret would need a dry run on each sync.
    static func splitStringData(_ desired: Resource) -> (rest: Value, stringData: OrderedMap)? {
        guard desired.kind == "Secret", desired.apiVersion == "v1", case .map(var top) = desired.value,
              case .map(let stringData)? = top["stringData"] else { return nil }
        top["stringData"] = nil
        return (.map(top), stringData)
    }

    /// Whether each `stringData` key is in the live Secret already: in `data` as the
    /// base64 of its UTF-8 bytes (what the API server stores), or still in `stringData`
    /// (servers that keep it as written). A key rendered in both `data` and `stringData`
    /// with different values fails the `data` comparison and goes to the dry run.
    static func secret(_ live: Value, holds stringData: OrderedMap) -> Bool {
        let liveData = live["data"]?.mapValue, liveStringData = live["stringData"]?.mapValue
        for entry in stringData.entries {
            guard case .string(let text) = entry.value else { return false }
            if liveStringData?[entry.key] == entry.value { continue }
            guard case .string(let encoded)? = liveData?[entry.key], encoded == Base64.encode(Array(text.utf8)) else { return false }
        }
        return true
    }

    // MARK: Containment

    /// Whether `live` holds every field of `desired` with an equal value.
    static func contains(_ live: Value, _ desired: Value, path: [String]) -> Bool {
        contains(live, desired, at: FieldPosition(path))
    }

    /// The walk itself. It runs over every field of every rendered object on each sync,
    /// so it carries only a `FieldPosition` (no path array built per field).
    static func contains(_ live: Value, _ desired: Value, at position: FieldPosition) -> Bool {
        switch (live, desired) {
        case (_, .null):
            return true
        case (.map(let liveMap), .map(let desiredMap)):
            for entry in desiredMap.entries {
                let liveValue = liveMap[entry.key]
                if entry.value.isNull {
                    if let liveValue, !liveValue.isNull { return false }
                    continue
                }
                guard let liveValue else { return false }
                if !contains(liveValue, entry.value, at: position.appending(entry.key)) { return false }
            }
            return true
        case (.list(let liveItems), .list(let desiredItems)):
            guard liveItems.count == desiredItems.count else { return false }
            for (liveItem, desiredItem) in zip(liveItems, desiredItems) where !contains(liveItem, desiredItem, at: position) {
                return false
            }
            return true
        default:
            return scalarsEqual(live, desired, at: position)
        }
    }

    static func scalarsEqual(_ live: Value, _ desired: Value, path: [String]) -> Bool {
        scalarsEqual(live, desired, at: FieldPosition(path))
    }

    static func scalarsEqual(_ live: Value, _ desired: Value, at position: FieldPosition) -> Bool {
        if live == desired { return true }
        switch (live, desired) {
        case (.int(let a), .float(let b)), (.float(let b), .int(let a)): return Double(a) == b
        case (.uint(let a), .int(let b)), (.int(let b), .uint(let a)): return b >= 0 && UInt64(b) == a
        default: break
        }
        if position.holdsQuantity, let a = Quantity(live), let b = Quantity(desired) { return a == b }
        return false
    }

    /// Fields that hold resource quantities: container resources, PVC and quota sizes.
    static func isQuantityPath(_ path: [String]) -> Bool {
        FieldPosition(path).holdsQuantity
    }

    /// As much of a field's path as quantity detection needs: the last two keys, the
    /// depth, and whether the path passed through `data`, `stringData` or `metadata`.
    struct FieldPosition {
        var parent: String?
        var last: String?
        var depth = 0
        var excluded = false

        init(_ path: [String]) {
            for key in path { self = appending(key) }
        }

        private init(parent: String?, last: String?, depth: Int, excluded: Bool) {
            self.parent = parent
            self.last = last
            self.depth = depth
            self.excluded = excluded
        }

        func appending(_ key: String) -> FieldPosition {
            FieldPosition(parent: last, last: key, depth: depth + 1,
                          excluded: excluded || key == "data" || key == "stringData" || key == "metadata")
        }

        var holdsQuantity: Bool {
            guard depth >= 2, !excluded, let parent else { return false }
            return ["limits", "requests", "capacity", "hard", "overhead", "allocatable"].contains(parent)
                || last == "sizeLimit" || last == "storage"
        }
    }

    // MARK: Removed fields

    /// Whether every leaf of a FieldsV1 tree (the fields Tether owns) is present in
    /// `desired`; a missing one means the next apply removes it.
    static func stillRendered(_ fields: Value, in desired: Value) -> Bool {
        guard case .map(let tree) = fields else { return true }
        for entry in tree.entries where entry.key != "." {
            guard let child = Self.child(of: desired, key: entry.key) else { return false }
            if !stillRendered(entry.value, in: child) { return false }
        }
        return true
    }

    static func child(of value: Value, key: String) -> Value? {
        if key.hasPrefix("f:") {
            let name = String(key.dropFirst(2))
            guard case .map(let map) = value, let found = map[name], !found.isNull else { return nil }
            return found
        }
        guard case .list(let items) = value else { return nil }
        if key.hasPrefix("k:"), let keyValue = try? JSONParsing().value(from: Array(key.utf8.dropFirst(2))),
           case .map(let keyFields) = keyValue {
            // A key field the rendered item leaves out (a port's `protocol`) is one the
            // server defaulted; the remaining key fields must still match.
            return items.first { item in
                keyFields.entries.allSatisfy { field in
                    guard let own = item[field.key] else { return true }
                    return own == field.value || scalarsEqual(own, field.value, at: FieldPosition([]))
                }
            }
        }
        if key.hasPrefix("v:"), let element = try? JSONParsing().value(from: Array(key.utf8.dropFirst(2))) {
            return items.first { $0 == element || scalarsEqual($0, element, at: FieldPosition([])) }
        }
        if key.hasPrefix("i:"), let index = Int(key.dropFirst(2)), items.indices.contains(index) {
            return items[index]
        }
        return nil
    }
}
