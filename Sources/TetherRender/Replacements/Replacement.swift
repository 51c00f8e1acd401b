import TetherModel

/// One entry of `replacements`: copy the value at a field of one source
/// object into fields of the target objects (kustomize's
/// `api/filters/replacement`).
struct Replacement: Sendable {
    /// Which object to read, by (current or earlier) identity; empty fields
    /// match anything.
    struct IDSelector: Sendable {
        var group: String?
        var version: String?
        var kind: String?
        var name: String?
        var namespace: String?

        var isEmpty: Bool { [group, version, kind, name, namespace].allSatisfy { ($0 ?? "").isEmpty } }
    }

    /// A target `select` or `reject` entry: an identity plus label and
    /// annotation selectors.
    struct Selector: Sendable {
        var id = IDSelector()
        var labelSelector: String?
        var annotationSelector: String?
    }

    /// `options` of a source or a target.
    struct Options: Sendable {
        var delimiter = ""
        var index = 0
        var create = false
    }

    struct Source: Sendable {
        var id = IDSelector()
        var fieldPath = "metadata.name"
        var options = Options()
    }

    struct Target: Sendable {
        var select: Selector
        var reject: [Selector] = []
        var fieldPaths: [String] = ["metadata.name"]
        var options = Options()
    }

    var source: Source
    var targets: [Target]
}

/// A `replacements` entry as written: inline, or a file holding one
/// replacement or a list of them.
enum ReplacementEntry: Sendable {
    case inline(Replacement)
    case file(String)
}

/// Reads replacements from decoded YAML; `fail` builds the error for a
/// field path such as `replacements.0.source.kind`.
///
/// kustomize decodes replacements with Go's JSON decoder, so field names
/// match regardless of case (`fieldpath`) and a later spelling replaces an
/// earlier one. A kustomization file refuses unknown fields; a replacement
/// file (`path:`) and a `ReplacementTransformer` configuration ignore them
/// (sigs.k8s.io/yaml's `Unmarshal`), as kubectl kustomize v5.5.0 does.
struct ReplacementParser {
    let fail: (_ field: String, _ message: String) -> RenderError
    /// Whether unknown fields are refused.
    var strict = true

    private func map(_ value: Value, _ field: String, known: Set<String>) throws -> OrderedMap {
        guard let m = value.mapValue else { throw fail(field, "must be a map, not \(value.typeDescription).") }
        if m.keys.allSatisfy(known.contains) { return m }
        var out = OrderedMap()
        for entry in m.entries {
            let lowered = entry.key.lowercased()
            guard let key = known.contains(entry.key) ? entry.key : known.first(where: { $0.lowercased() == lowered }) else {
                if strict { throw fail("\(field).\(entry.key)", "is not a known field. Remove it or check its spelling.") }
                continue
            }
            out[key] = entry.value
        }
        return out
    }

    private func string(_ value: Value?, _ field: String) throws -> String? {
        guard let value, !value.isNull else { return nil }
        guard let s = value.scalarText else { throw fail(field, "must be a string, not \(value.typeDescription).") }
        return s
    }

    static let idFields: Set<String> = ["group", "version", "kind", "name", "namespace"]

    private func id(_ m: OrderedMap, _ field: String) throws -> Replacement.IDSelector {
        .init(
            group: try string(m["group"], field + ".group"), version: try string(m["version"], field + ".version"),
            kind: try string(m["kind"], field + ".kind"), name: try string(m["name"], field + ".name"),
            namespace: try string(m["namespace"], field + ".namespace"))
    }

    private func options(_ value: Value?, _ field: String) throws -> Replacement.Options {
        guard let value, !value.isNull else { return .init() }
        let m = try map(value, field, known: ["delimiter", "index", "create", "encoding"])
        // kustomize v5.5.0 declares `encoding` ("None, Base64, URL, Hex")
        // but never applies it (api/types/replacement.go, TODO #3492):
        // kubectl kustomize copies the value as it is. It must still be a
        // string, as kustomize's JSON decoding requires.
        if let encoding = m["encoding"], !encoding.isNull, encoding.stringValue == nil {
            throw fail(field + ".encoding", "must be a string, not \(encoding.typeDescription) (kustomize ignores its value, as Tether does).")
        }
        var o = Replacement.Options()
        o.delimiter = try string(m["delimiter"], field + ".delimiter") ?? ""
        if let index = m["index"], !index.isNull {
            guard let i = index.intValue else { throw fail(field + ".index", "must be an integer.") }
            o.index = i
        }
        if let create = m["create"], !create.isNull {
            guard let b = create.boolValue else { throw fail(field + ".create", "must be true or false.") }
            o.create = b
        }
        return o
    }

    private func selector(_ value: Value, _ field: String) throws -> Replacement.Selector {
        let m = try map(value, field, known: Self.idFields.union(["labelSelector", "annotationSelector"]))
        return .init(
            id: try id(m, field), labelSelector: try string(m["labelSelector"], field + ".labelSelector"),
            annotationSelector: try string(m["annotationSelector"], field + ".annotationSelector"))
    }

    /// Parses one inline replacement (`source` and `targets`).
    func replacement(_ value: Value, _ field: String) throws -> Replacement {
        let m = try map(value, field, known: ["source", "targets"])
        guard let sourceValue = m["source"], !sourceValue.isNull, let targetsValue = m["targets"], !targetsValue.isNull else {
            throw fail(field, "must specify a source and at least one target (replacements must specify a source and at least one target).")
        }
        let s = try map(sourceValue, field + ".source", known: Self.idFields.union(["fieldPath", "options"]))
        var source = Replacement.Source(id: try id(s, field + ".source"), options: try options(s["options"], field + ".source.options"))
        if let path = try string(s["fieldPath"], field + ".source.fieldPath"), !path.isEmpty { source.fieldPath = path }
        guard let list = targetsValue.listValue else {
            throw fail(field + ".targets", "must be a list, not \(targetsValue.typeDescription).")
        }
        let targets = try list.enumerated().map { i, item in
            let at = "\(field).targets.\(i)"
            let t = try map(item, at, known: ["select", "reject", "fieldPaths", "options"])
            guard let select = t["select"], !select.isNull else {
                throw fail(at + ".select", "is required (target must specify resources to select).")
            }
            var target = Replacement.Target(select: try selector(select, at + ".select"), options: try options(t["options"], at + ".options"))
            if let rejects = t["reject"], !rejects.isNull {
                guard let l = rejects.listValue else { throw fail(at + ".reject", "must be a list.") }
                target.reject = try l.enumerated().map { try selector($1, "\(at).reject.\($0)") }
            }
            if let paths = t["fieldPaths"], !paths.isNull {
                guard let l = paths.listValue else { throw fail(at + ".fieldPaths", "must be a list of strings.") }
                let strings = try l.enumerated().map { j, p in
                    guard let s = p.scalarText, p.mapValue == nil, p.listValue == nil else {
                        throw fail("\(at).fieldPaths.\(j)", "must be a string.")
                    }
                    return s
                }
                if !strings.isEmpty { target.fieldPaths = strings }
            }
            return target
        }
        return Replacement(source: source, targets: targets)
    }

    /// Parses the `replacements` field of a kustomization.
    func entries(_ value: Value?) throws -> [ReplacementEntry] {
        guard let value, !value.isNull else { return [] }
        guard let list = value.listValue else { throw fail("replacements", "must be a list, not \(value.typeDescription).") }
        return try list.enumerated().map { i, item in
            let at = "replacements.\(i)"
            guard item.mapValue != nil else { throw fail(at, "must be a map, not \(item.typeDescription).") }
            let m = try map(item, at, known: ["path", "source", "targets"])
            if let path = m["path"] {
                guard m.count == 1, let p = path.stringValue else {
                    throw fail(at, "must have either 'path' or 'source' and 'targets', not both.")
                }
                return .file(p)
            }
            return .inline(try replacement(item, at))
        }
    }

    /// Parses a replacement file: one replacement or a list of them.
    func file(_ value: Value) throws -> [Replacement] {
        if let list = value.listValue {
            return try list.enumerated().map { try replacement($1, "\($0)") }
        }
        return [try replacement(value, "replacement")]
    }
}
