package import TetherModel

/// A JSON patch (RFC 6902), `application/json-patch+json`: a list of
/// `add`, `remove`, `replace`, `move`, `copy` and `test` operations applied
/// in order, all or nothing.
package struct JSONPatch: Sendable, Hashable {
    /// One operation of a patch.
    package enum Operation: Sendable, Hashable {
        case add(path: JSONPointer, value: Value)
        case remove(path: JSONPointer)
        case replace(path: JSONPointer, value: Value)
        case move(from: JSONPointer, path: JSONPointer)
        case copy(from: JSONPointer, path: JSONPointer)
        case test(path: JSONPointer, value: Value)
    }

    package var operations: [Operation]

    /// Creates a patch from parsed operations.
    package init(_ operations: [Operation]) {
        self.operations = operations
    }

    /// Parses a patch document.
    /// - Parameter operations: a list of operation maps, each with `op`,
    ///   `path` and, as the operation needs, `value` or `from`. Unknown
    ///   members are ignored, as RFC 6902 requires.
    /// - Throws: ``PatchError`` (`invalidPatch`, `invalidPath`) naming the
    ///   operation's index when the document is not a list, an operation is
    ///   unknown or a required member is missing.
    package init(operations: Value) throws(PatchError) {
        guard let list = operations.listValue else {
            throw PatchError(.invalidPatch, "a JSON patch must be a list of operations, not \(operations.typeDescription). Wrap the operations in a list.")
        }
        var ops: [Operation] = []
        for (i, item) in list.enumerated() {
            ops.append(try Self.operation(item, at: "[\(i)]"))
        }
        self.operations = ops
    }

    private static func operation(_ item: Value, at index: String) throws(PatchError) -> Operation {
        guard item.mapValue != nil else {
            throw PatchError(.invalidPatch, "operation must be a map, not \(item.typeDescription).", at: index)
        }
        guard let op = item["op"]?.stringValue else {
            throw PatchError(.invalidPatch, "operation has no \"op\". Add one of add, remove, replace, move, copy, test.", at: index)
        }
        func pointer(_ member: String) throws(PatchError) -> JSONPointer {
            guard let text = item[member]?.stringValue else {
                throw PatchError(.invalidPatch, "\"\(op)\" operation needs a \"\(member)\" string.", at: index)
            }
            do {
                return try JSONPointer(text)
            } catch {
                throw PatchError(.invalidPath, error.message, at: text)
            }
        }
        func value() throws(PatchError) -> Value {
            guard let v = item["value"] else {
                throw PatchError(.invalidPatch, "\"\(op)\" operation needs a \"value\". Add one (null is allowed).", at: index)
            }
            return v
        }
        switch op {
        case "add": return .add(path: try pointer("path"), value: try value())
        case "remove": return .remove(path: try pointer("path"))
        case "replace": return .replace(path: try pointer("path"), value: try value())
        case "move": return .move(from: try pointer("from"), path: try pointer("path"))
        case "copy": return .copy(from: try pointer("from"), path: try pointer("path"))
        case "test": return .test(path: try pointer("path"), value: try value())
        default:
            throw PatchError(.invalidPatch, "unknown op \"\(op)\". Use add, remove, replace, move, copy or test.", at: index)
        }
    }

    /// Applies every operation in order.
    /// - Parameter document: the document to patch.
    /// - Returns: the patched document.
    /// - Throws: ``PatchError`` when a path does not exist (`invalidPath`) or
    ///   a `test` fails (`testFailed`); the message names the operation. The
    ///   document is not changed by a failed patch.
    package func apply(to document: Value) throws(PatchError) -> Value {
        var doc = document
        for (i, op) in operations.enumerated() {
            do {
                try Self.perform(op, on: &doc)
            } catch {
                var e = error
                e.message = "operation [\(i)]: \(e.message)"
                throw e
            }
        }
        return doc
    }

    private static func perform(_ op: Operation, on doc: inout Value) throws(PatchError) {
        switch op {
        case .add(let path, let value):
            try add(value, at: path, in: &doc)
        case .remove(let path):
            _ = try remove(at: path, in: &doc)
        case .replace(let path, let value):
            guard path.value(in: doc) != nil else {
                throw PatchError(.invalidPath, "replace target does not exist. Use add to create it.", at: path.description)
            }
            _ = try remove(at: path, in: &doc)
            try add(value, at: path, in: &doc)
        case .move(let from, let path):
            if path.tokens.count > from.tokens.count, Array(path.tokens.prefix(from.tokens.count)) == from.tokens {
                throw PatchError(.invalidPath, "cannot move a value into one of its own children.", at: path.description)
            }
            let value = try remove(at: from, in: &doc)
            try add(value, at: path, in: &doc)
        case .copy(let from, let path):
            guard let value = from.value(in: doc) else {
                throw PatchError(.invalidPath, "copy source does not exist.", at: from.description)
            }
            try add(value, at: path, in: &doc)
        case .test(let path, let value):
            guard let actual = path.value(in: doc) else {
                throw PatchError(.testFailed, "test target does not exist.", at: path.description)
            }
            guard jsonEqual(actual, value) else {
                throw PatchError(.testFailed, "test failed: the value differs from the expected one.", at: path.description)
            }
        }
    }

    private static func add(_ value: Value, at path: JSONPointer, in doc: inout Value) throws(PatchError) {
        guard !path.tokens.isEmpty else {
            doc = value
            return
        }
        try modify(&doc, tokens: path.tokens[...], path: path) { (parent: inout Value, last: String) throws(PatchError) in
            switch parent {
            case .map(var m):
                m[last] = value
                parent = .map(m)
            case .list(var l):
                if last == "-" {
                    l.append(value)
                } else if let i = JSONPointer.index(last, count: l.count), i <= l.count {
                    l.insert(value, at: i)
                } else {
                    throw PatchError(.invalidPath, "index \"\(last)\" is out of range for a list of \(l.count). Use an index up to \(l.count) or \"-\".", at: path.description)
                }
                parent = .list(l)
            default:
                throw PatchError(.invalidPath, "cannot add to \(parent.typeDescription).", at: path.description)
            }
        }
    }

    private static func remove(at path: JSONPointer, in doc: inout Value) throws(PatchError) -> Value {
        guard !path.tokens.isEmpty else {
            defer { doc = .null }
            return doc
        }
        var removed: Value = .null
        try modify(&doc, tokens: path.tokens[...], path: path) { (parent: inout Value, last: String) throws(PatchError) in
            switch parent {
            case .map(var m):
                guard let v = m.removeValue(forKey: last) else {
                    throw PatchError(.invalidPath, "no such key to remove.", at: path.description)
                }
                removed = v
                parent = .map(m)
            case .list(var l):
                guard let i = JSONPointer.index(last, count: l.count), i < l.count else {
                    throw PatchError(.invalidPath, "index \"\(last)\" is out of range for a list of \(l.count).", at: path.description)
                }
                removed = l.remove(at: i)
                parent = .list(l)
            default:
                throw PatchError(.invalidPath, "cannot remove from \(parent.typeDescription).", at: path.description)
            }
        }
        return removed
    }

    /// Walks to the parent of the last token and runs `body` on it in place.
    private static func modify(
        _ node: inout Value, tokens: ArraySlice<String>, path: JSONPointer,
        _ body: (inout Value, String) throws(PatchError) -> Void
    ) throws(PatchError) {
        guard let first = tokens.first else { return }
        if tokens.count == 1 {
            try body(&node, first)
            return
        }
        let rest = tokens.dropFirst()
        switch node {
        case .map(var m):
            guard var child = m[first] else {
                throw PatchError(.invalidPath, "path does not exist: no key \"\(first)\".", at: path.description)
            }
            try modify(&child, tokens: rest, path: path, body)
            m[first] = child
            node = .map(m)
        case .list(var l):
            guard let i = JSONPointer.index(first, count: l.count), i < l.count else {
                throw PatchError(.invalidPath, "path does not exist: no index \"\(first)\".", at: path.description)
            }
            try modify(&l[i], tokens: rest, path: path, body)
            node = .list(l)
        default:
            throw PatchError(.invalidPath, "path does not exist: \(node.typeDescription) has no children.", at: path.description)
        }
    }

    /// Equality for `test`: numbers by value, maps regardless of key order.
    static func jsonEqual(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.list(let x), .list(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { jsonEqual($0, $1) }
        case (.map(let x), .map(let y)):
            return x.count == y.count && x.allSatisfy { e in y[e.key].map { jsonEqual(e.value, $0) } ?? false }
        default:
            return a.sameScalar(as: b)
        }
    }
}
