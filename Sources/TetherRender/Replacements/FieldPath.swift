import TetherModel

/// A replacement `fieldPath` such as
/// `spec.template.spec.containers.[name=app].image`, split the way
/// kustomize's `SmarterPathSplitter` does: dots inside brackets do not
/// split, and `[a.b]` (no `=`) is the map key `a.b`.
struct FieldPath: Sendable, CustomStringConvertible {
    enum Part: Sendable, Equatable {
        case field(String)
        case index(Int)
        /// `[key=value]` (`key` empty for a list of scalars).
        case element(key: String, value: String)
        case every
    }

    let text: String
    let parts: [Part]

    var description: String { text }

    init(_ text: String) {
        self.text = text
        var raw: [String] = []
        var current = "", depth = 0
        for c in text {
            if c == "[" { depth += 1 } else if c == "]" { depth = max(0, depth - 1) }
            if c == "." && depth == 0 {
                raw.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        raw.append(current)
        parts = raw.filter { !$0.isEmpty }.map { part in
            if part.hasPrefix("["), part.hasSuffix("]") {
                let inner = part.dropFirst().dropLast()
                if let eq = inner.firstIndex(of: "=") {
                    return .element(key: String(inner[..<eq]), value: String(inner[inner.index(after: eq)...]))
                }
                return .field(String(inner))
            }
            if part == "*" { return .every }
            if !part.isEmpty, part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let i = Int(part) { return .index(i) }
            return .field(part)
        }
    }

    /// The value at this path in `value` (kustomize's `Lookup`, used for
    /// the source): `[k=v]` matches exactly, the first match wins.
    func lookup(in value: Value) -> Value? {
        var current = value
        for part in parts {
            switch (part, current) {
            case (.field(let key), .map(let m)):
                guard let next = m[key] else { return nil }
                current = next
            case (.index(let i), .list(let l)):
                guard i < l.count else { return nil }
                current = l[i]
            case (.element(let key, let wanted), .list(let l)):
                let found = l.first { item in
                    key.isEmpty ? item.scalarText == wanted : item[key]?.scalarText == wanted
                }
                guard let found else { return nil }
                current = found
            default:
                return nil
            }
        }
        return current
    }
}

/// What a path walk creates at its end when the field is missing.
enum CreatedKind {
    case scalar, map, list
}

/// Walks a ``FieldPath`` the way kyaml's `PathMatcher` does for replacement
/// targets: `[k=v]` is an unanchored regular expression over each element,
/// `*` visits every element, and with `create` missing parts are added.
struct FieldPathWalker {
    let path: FieldPath
    /// The kind of node created at the end of the path, or `nil` not to create.
    let create: CreatedKind?
    /// Called for each matched field; `nil` means the walk just created a scalar.
    let body: (inout Value?) throws -> Void

    /// - Returns: how many fields matched.
    func walk(_ value: inout Value) throws -> Int {
        var optional: Value? = value
        let n = try walk(&optional, path.parts[...])
        value = optional ?? .null
        return n
    }

    private func kindToCreate(next: FieldPath.Part?) -> Value? {
        switch next {
        case nil:
            switch create {
            case .map?: return .map(OrderedMap())
            case .list?: return .list([])
            default: return nil
            }
        case .index?, .element?: return .list([])
        default: return .map(OrderedMap())
        }
    }

    private func walk(_ value: inout Value?, _ parts: ArraySlice<FieldPath.Part>) throws -> Int {
        guard let part = parts.first else {
            try body(&value)
            return 1
        }
        let rest = parts.dropFirst()
        switch part {
        case .field(let key):
            guard case .map(var m)? = value else {
                if create != nil, value != nil, !(value?.isNull ?? true) {
                    throw RenderError(.invalidKustomization, "cannot create field '\(key)' inside \(value?.typeDescription ?? "null").")
                }
                return 0
            }
            var child: Value?
            if let existing = m[key] {
                child = existing
            } else {
                guard create != nil else { return 0 }
                child = kindToCreate(next: rest.first)
            }
            let n = try walk(&child, rest)
            m[key] = child ?? .null
            value = .map(m)
            return n
        case .index(let i):
            guard case .list(var l)? = value else {
                throw RenderError(.invalidKustomization, "index \(i) used on \(value?.typeDescription ?? "null"), not a list.")
            }
            if i == l.count, create != nil { l.append(kindToCreate(next: rest.first) ?? .null) }
            guard i < l.count else {
                throw RenderError(.invalidKustomization, "index \(i) specified but only \(l.count) elements found.")
            }
            var child: Value? = l[i]
            let n = try walk(&child, rest)
            l[i] = child ?? .null
            value = .list(l)
            return n
        case .every:
            guard case .list(var l)? = value else {
                throw RenderError(.invalidKustomization, "'*' used on \(value?.typeDescription ?? "null"), not a list.")
            }
            var n = 0
            for j in l.indices {
                var child: Value? = l[j]
                n += try walk(&child, rest)
                l[j] = child ?? .null
            }
            value = .list(l)
            return n
        case .element(let key, let pattern):
            return try walkElements(&value, key: key, pattern: pattern, rest: rest)
        }
    }

    private func walkElements(_ value: inout Value?, key: String, pattern: String, rest: ArraySlice<FieldPath.Part>, retried: Bool = false) throws -> Int {
        guard case .list(var l)? = value else {
            throw RenderError(.invalidKustomization, "'[\(key)=\(pattern)]' used on \(value?.typeDescription ?? "null"), not a list.")
        }
        let regex: Regex<AnyRegexOutput>
        do { regex = try Regex(pattern) } catch {
            throw RenderError(.invalidKustomization, "'\(pattern)' is not a valid regular expression.")
        }
        var n = 0
        for j in l.indices {
            let probe = key.isEmpty ? l[j] : l[j][key]
            guard let text = probe?.scalarText, probe?.isNull == false, (try? regex.firstMatch(in: text)) != nil else { continue }
            var child: Value? = l[j]
            n += try walk(&child, rest)
            l[j] = child ?? .null
        }
        if n == 0, create != nil, !retried {
            let scalar = Self.plain(pattern)
            l.append(key.isEmpty ? scalar : .map(OrderedMap([(key, scalar)])))
            value = .list(l)
            return try walkElements(&value, key: key, pattern: pattern, rest: rest, retried: true)
        }
        value = .list(l)
        return n
    }

    /// An untagged scalar as go-yaml resolves it on the way to JSON.
    static func plain(_ text: String) -> Value {
        switch ScalarResolver.resolve(text) {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let v): return v
        case .timestamp(let s): return .string(s)
        case .string, .nonFinite: return .string(text)
        }
    }
}
