package import TetherModel

/// The fast path of planning: decides without a request that applying `desired` would
/// not change `live`.
///
/// That holds when (1) `live` already has every rendered field with an equal value
/// (quantities compared by value, so `1000m` equals `1`), (2) every field Tether's field
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
        guard Self.contains(live.value, desired.value, path: []) else { return false }
        return Self.stillRendered(ownFields, in: desired.value)
    }

    // MARK: Containment

    /// Whether `live` holds every field of `desired` with an equal value.
    static func contains(_ live: Value, _ desired: Value, path: [String]) -> Bool {
        switch (live, desired) {
        case (_, .null):
            return true
        case (.map(let liveMap), .map(let desiredMap)):
            for entry in desiredMap.entries {
                if entry.value.isNull { if liveMap[entry.key] != nil, liveMap[entry.key]?.isNull == false { return false }; continue }
                guard let liveValue = liveMap[entry.key] else { return false }
                if !contains(liveValue, entry.value, path: path + [entry.key]) { return false }
            }
            return true
        case (.list(let liveItems), .list(let desiredItems)):
            guard liveItems.count == desiredItems.count else { return false }
            for (liveItem, desiredItem) in zip(liveItems, desiredItems) where !contains(liveItem, desiredItem, path: path) {
                return false
            }
            return true
        default:
            return scalarsEqual(live, desired, path: path)
        }
    }

    static func scalarsEqual(_ live: Value, _ desired: Value, path: [String]) -> Bool {
        if live == desired { return true }
        switch (live, desired) {
        case (.int(let a), .float(let b)), (.float(let b), .int(let a)): return Double(a) == b
        case (.uint(let a), .int(let b)), (.int(let b), .uint(let a)): return b >= 0 && UInt64(b) == a
        default: break
        }
        if Self.isQuantityPath(path), let a = Quantity(live), let b = Quantity(desired) { return a == b }
        return false
    }

    /// Fields that hold resource quantities: container resources, PVC and quota sizes.
    static func isQuantityPath(_ path: [String]) -> Bool {
        guard path.count >= 2 else { return false }
        if path.contains("data") || path.contains("stringData") || path.contains("metadata") { return false }
        let parent = path[path.count - 2]
        return ["limits", "requests", "capacity", "hard", "overhead", "allocatable"].contains(parent)
            || path.last == "sizeLimit" || path.last == "storage"
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
                    return own == field.value || scalarsEqual(own, field.value, path: [])
                }
            }
        }
        if key.hasPrefix("v:"), let element = try? JSONParsing().value(from: Array(key.utf8.dropFirst(2))) {
            return items.first { $0 == element || scalarsEqual($0, element, path: []) }
        }
        if key.hasPrefix("i:"), let index = Int(key.dropFirst(2)), items.indices.contains(index) {
            return items[index]
        }
        return nil
    }
}
