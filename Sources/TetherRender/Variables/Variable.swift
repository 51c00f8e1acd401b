import TetherModel

/// One entry of the deprecated `vars` field: a name for a field of one
/// object, substituted for `$(NAME)` in the fields kustomize's
/// `varReference` configuration lists once every name is final.
struct Variable: Sendable {
    var name: String
    /// `objref`: the object, matched on apiVersion, kind, name and (when
    /// given) namespace against any identity it has had.
    var apiVersion: String
    var kind: String
    var objectName: String
    var namespace: String
    /// `fieldref.fieldpath`, `metadata.name` by default.
    var fieldPath: String
    /// Where the entry was declared, for errors.
    var file: String

    var gvk: GroupVersionKind { GroupVersionKind(apiVersion: apiVersion, kind: kind) }

    var description: String { "\(name) (\(kind) '\(objectName)', field \(fieldPath))" }
}

extension KustomizationParser {
    /// Parses `vars`.
    func vars(_ value: Value?) throws -> [Variable] {
        try maps(value, "vars", known: ["name", "objref", "fieldref"]).map { i, m in
            let at = "vars.\(i)"
            guard let name = try string(m["name"], at + ".name"), !name.isEmpty else { throw fail(at + ".name", "is required.") }
            guard let ref = m["objref"]?.mapValue else { throw fail(at + ".objref", "is required (a map with kind, name and apiVersion).") }
            let refKeys: Set<String> = ["kind", "name", "apiVersion", "group", "version", "namespace", "uid", "resourceVersion", "fieldPath"]
            if let unknown = ref.keys.first(where: { !refKeys.contains($0) }) {
                throw fail("\(at).objref.\(unknown)", "is not a known field. Remove it or check its spelling.")
            }
            var fieldPath = "metadata.name"
            if let fieldRef = m["fieldref"], !fieldRef.isNull {
                guard let fm = fieldRef.mapValue else { throw fail(at + ".fieldref", "must be a map with fieldpath.") }
                if let unknown = fm.keys.first(where: { $0 != "fieldpath" }) {
                    throw fail("\(at).fieldref.\(unknown)", "is not a known field (the key is 'fieldpath', all lower case).")
                }
                if let path = try string(fm["fieldpath"], at + ".fieldref.fieldpath"), !path.isEmpty { fieldPath = path }
            }
            // kustomize's Target.GVK: apiVersion when given, else group and version.
            var apiVersion = try string(ref["apiVersion"], at + ".objref.apiVersion") ?? ""
            if apiVersion.isEmpty {
                let group = try string(ref["group"], at + ".objref.group") ?? ""
                let version = try string(ref["version"], at + ".objref.version") ?? ""
                apiVersion = group.isEmpty ? version : group + "/" + version
            }
            return Variable(
                name: name, apiVersion: apiVersion,
                kind: try string(ref["kind"], at + ".objref.kind") ?? "", objectName: try string(ref["name"], at + ".objref.name") ?? "",
                namespace: try string(ref["namespace"], at + ".objref.namespace") ?? "", fieldPath: fieldPath, file: file)
        }
    }
}
