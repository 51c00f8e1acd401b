import TetherModel
import TetherPatch

/// The structural operations server-side apply performs on objects, in the
/// manner of structured-merge-diff: the field set of an object, the merge of
/// an applied configuration into a live object, the removal of fields, and
/// the comparison of two versions.
enum ObjectFields {
    typealias Node = PatchSchema.Node

    /// The fields `value` sets: leaves, atomic values, list elements (as
    /// members with their own fields beneath), map keys, and empty or null
    /// struct fields.
    static func fieldSet(of value: Value, node: Node?) -> FieldSet {
        var set = FieldSet()
        switch (FieldShape.of(node, value: value), value) {
        case (.structure, .map(let map)), (.granularMap, .map(let map)):
            let granular = if case .granularMap = FieldShape.of(node, value: value) { true } else { false }
            for entry in map {
                var child = fieldSet(of: entry.value, node: node?.field(entry.key))
                if granular || entry.value.isNull || entry.value.mapValue?.isEmpty == true { child.isMember = true }
                if !child.isEmpty { set.children["f:" + entry.key] = child }
            }
        case (let shape, .list(let items)) where shape.isMergingList:
            for (index, item) in items.enumerated() {
                var child = shape.isSet ? FieldSet() : fieldSet(of: item, node: node?.elements)
                child.isMember = true
                set.children[shape.element(item, index: index)] = child
            }
        default:
            set.isMember = true
        }
        return set
    }

    /// The applied configuration merged into the live object: config values
    /// win, associative lists merge element by element, set lists are
    /// unioned, and everything else is replaced. A null in the config
    /// removes the field.
    static func merge(_ live: Value?, _ config: Value, node: Node?) -> Value {
        guard let live else { return config.removingNullFields() }
        let shape = FieldShape.of(node, value: config)
        switch (shape, live, config) {
        case (.structure, .map(var result), .map(let patch)), (.granularMap, .map(var result), .map(let patch)):
            for entry in patch {
                if entry.value.isNull { result[entry.key] = nil; continue }
                result[entry.key] = merge(result[entry.key], entry.value, node: node?.field(entry.key))
            }
            return .map(result)
        case (.associativeList, .list(var result), .list(let patch)), (.setList, .list(var result), .list(let patch)):
            var positions: [String: Int] = [:]
            for (index, item) in result.enumerated() { positions[shape.element(item, index: index)] = index }
            for (index, item) in patch.enumerated() {
                let key = shape.element(item, index: index)
                if let at = positions[key], !key.hasPrefix("i:") {
                    result[at] = shape.isSet ? item : merge(result[at], item, node: node?.elements)
                } else {
                    positions[key] = result.count
                    result.append(item.removingNullFields())
                }
            }
            return .list(result)
        default:
            return config.removingNullFields()
        }
    }

    /// `value` without the members of `remove`, except where `keep` owns
    /// something beneath them. Maps emptied by the removal are dropped, as
    /// the API server's `omitempty` encoding drops them.
    static func removing(_ remove: FieldSet, keep: FieldSet, from value: Value, node: Node?) -> Value {
        let shape = FieldShape.of(node, value: value)
        switch (shape, value) {
        case (.structure, .map(var map)), (.granularMap, .map(var map)):
            for (element, sub) in remove.children where element.hasPrefix("f:") {
                let key = String(element.dropFirst(2))
                guard let current = map[key] else { continue }
                let kept = keep[child: element]
                if sub.isMember, kept.isEmpty {
                    map[key] = nil
                } else {
                    let pruned = removing(sub, keep: kept, from: current, node: node?.field(key))
                    map[key] = (pruned.mapValue?.isEmpty == true && current.mapValue?.isEmpty == false) ? nil : pruned
                }
            }
            return .map(map)
        case (.associativeList, .list(let items)), (.setList, .list(let items)):
            var result: [Value] = []
            for (index, item) in items.enumerated() {
                let element = shape.element(item, index: index)
                guard let sub = remove.children[element] else { result.append(item); continue }
                let kept = keep[child: element]
                if sub.isMember, kept.isEmpty { continue }
                result.append(shape.isSet ? item : removing(sub, keep: kept, from: item, node: node?.elements))
            }
            return .list(result)
        default:
            return value
        }
    }

    /// What changed from `old` to `new`.
    struct Comparison {
        var added = FieldSet()
        var modified = FieldSet()
        var removed = FieldSet()
        var changed: FieldSet { added.union(modified) }
    }

    /// The fields added, modified and removed between two versions.
    /// `memberOnAdd` is false for struct fields that exist, empty, in every
    /// object (Go non-pointer structs such as `spec` and `template`), so that
    /// adding them records only their contents, as the API server does.
    static func compare(_ old: Value?, _ new: Value?, node: Node?, memberOnAdd: Bool = false) -> Comparison {
        var result = Comparison()
        switch (old, new) {
        case (nil, nil):
            break
        case (nil, let new?):
            result.added = fieldSet(of: new, node: node)
            if memberOnAdd { result.added.isMember = true }
        case (let old?, nil):
            result.removed = fieldSet(of: old, node: node)
            result.removed.isMember = true
        case (let old?, let new?):
            let shape = FieldShape.of(node, value: new)
            switch (shape, old, new) {
            case (.structure, .map(let a), .map(let b)), (.granularMap, .map(let a), .map(let b)):
                let granular = if case .granularMap = shape { true } else { false }
                for key in Set(a.keys).union(b.keys) {
                    let child = compare(a[key], b[key], node: node?.field(key),
                                        memberOnAdd: granular || !structFields.contains(key))
                    result.merge(child, at: "f:" + key)
                }
            case (.associativeList, .list(let a), .list(let b)), (.setList, .list(let a), .list(let b)):
                let before = Dictionary(a.enumerated().map { (shape.element($1, index: $0), $1) }, uniquingKeysWith: { x, _ in x })
                let after = Dictionary(b.enumerated().map { (shape.element($1, index: $0), $1) }, uniquingKeysWith: { x, _ in x })
                for key in Set(before.keys).union(after.keys) {
                    var child = compare(before[key], after[key], node: shape.isSet ? nil : node?.elements, memberOnAdd: true)
                    if shape.isSet { child.modified = FieldSet() }
                    result.merge(child, at: key)
                }
            default:
                if old != new { result.modified.isMember = true }
            }
        }
        return result
    }

    /// Struct fields that Go encodes even when empty, so they are never "added".
    static let structFields: Set<String> = ["metadata", "spec", "status", "template", "strategy", "updateStrategy"]
}

extension ObjectFields.Comparison {
    mutating func merge(_ child: ObjectFields.Comparison, at element: String) {
        if !child.added.isEmpty { added.children[element] = child.added }
        if !child.modified.isEmpty { modified.children[element] = child.modified }
        if !child.removed.isEmpty { removed.children[element] = child.removed }
    }
}

extension FieldShape {
    var isMergingList: Bool {
        switch self {
        case .associativeList, .setList: true
        default: false
        }
    }

    var isSet: Bool {
        if case .setList = self { return true }
        return false
    }
}

extension Value {
    /// The value without null map entries, at any depth.
    func removingNullFields() -> Value {
        switch self {
        case .map(let map):
            return .map(OrderedMap(map.entries.filter { !$0.value.isNull }.map { ($0.key, $0.value.removingNullFields()) }))
        case .list(let items):
            return .list(items.map { $0.removingNullFields() })
        default:
            return self
        }
    }
}
