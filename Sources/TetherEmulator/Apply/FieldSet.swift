import TetherModel

/// A set of field paths, shaped like the API server's `FieldsV1` trie.
///
/// Each path element is a string in the FieldsV1 spelling: `f:name` for a
/// field, `k:{"name":"web"}` for an element of an associative list, `v:"x"`
/// for an element of a set list and `i:0` for a positional element. A node
/// is a member of the set when `isMember` is true; it is then written as
/// `".": {}` beside its children, or as `{}` alone when it has none.
struct FieldSet: Hashable, Sendable {
    var isMember = false
    var children: [String: FieldSet] = [:]

    init(isMember: Bool = false, children: [String: FieldSet] = [:]) {
        self.isMember = isMember
        self.children = children
    }

    var isEmpty: Bool { !isMember && children.isEmpty }

    /// Whether `path` is a member.
    func contains(_ path: [String]) -> Bool {
        var node = self
        for element in path {
            guard let child = node.children[element] else { return false }
            node = child
        }
        return node.isMember
    }

    /// The subtree at `element`, or an empty set.
    subscript(child element: String) -> FieldSet { children[element] ?? FieldSet() }

    func union(_ other: FieldSet) -> FieldSet {
        var result = self
        result.isMember = isMember || other.isMember
        for (key, child) in other.children {
            result.children[key] = children[key].map { $0.union(child) } ?? child
        }
        return result
    }

    /// The members of this set that are not members of `other`.
    func subtracting(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(isMember: isMember && !other.isMember)
        for (key, child) in children {
            let rest = other.children[key].map { child.subtracting($0) } ?? child
            if !rest.isEmpty { result.children[key] = rest }
        }
        return result
    }

    /// The members of both sets.
    func intersection(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(isMember: isMember && other.isMember)
        for (key, child) in children {
            guard let theirs = other.children[key] else { continue }
            let both = child.intersection(theirs)
            if !both.isEmpty { result.children[key] = both }
        }
        return result
    }

    /// Every member path, in sorted order.
    var paths: [[String]] {
        var out: [[String]] = []
        func walk(_ node: FieldSet, _ prefix: [String]) {
            if node.isMember { out.append(prefix) }
            for key in node.children.keys.sorted() { walk(node.children[key] ?? FieldSet(), prefix + [key]) }
        }
        walk(self, [])
        return out
    }

    /// The `fieldsV1` JSON object, keys sorted as the API server writes them.
    var fieldsV1: Value {
        var map = OrderedMap()
        if isMember, !children.isEmpty { map["."] = .map(OrderedMap()) }
        for key in children.keys.sorted() {
            map[key] = (children[key] ?? FieldSet()).fieldsV1
        }
        return .map(map)
    }

    /// Reads a `fieldsV1` object; anything that is not a map reads as empty.
    init(fieldsV1 value: Value) {
        guard case .map(let map) = value else { return }
        if map.isEmpty { isMember = true }
        for entry in map {
            if entry.key == "." { isMember = true; continue }
            children[entry.key] = FieldSet(fieldsV1: entry.value)
        }
    }

    /// A path in the API server's display form: `.spec.containers[name="web"].image`.
    static func display(_ path: [String]) -> String {
        var text = ""
        for element in path {
            let body = String(element.dropFirst(2))
            switch element.prefix(2) {
            case "f:": text += "." + body
            case "v:": text += "[=" + body + "]"
            case "i:": text += "[" + body + "]"
            case "k:":
                // k:{"name":"web","port":80} -> [name="web",port=80]
                let pairs = (try? JSONParsing().value(from: Array(body.utf8)))?.mapValue?.entries ?? []
                let inner = pairs.map { pair in
                    "\(pair.key)=" + ((try? JSONEncoding().string(pair.value)) ?? "")
                }.joined(separator: ",")
                text += "[" + inner + "]"
            default: text += "." + element
            }
        }
        return text
    }
}
