import TetherModel

/// kustomize's `vars` machinery: objects are tagged with the names of the
/// vars that select them as each kustomization finishes, and the values are
/// substituted once at the top, after name references.
enum Variables {
    /// kustomize's `MergeVars`: tags the one object each var refers to, and
    /// refuses a var name declared twice.
    static func tag(_ vars: [Variable], in objects: inout [RenderedObject], declared: inout [Variable]) throws {
        for v in vars {
            let wanted = v.gvk
            let matches = objects.indices.filter { i in
                let gvk = objects[i].resource.gvk
                guard gvk.group == wanted.group, gvk.version == wanted.version else { return false }
                let clusterScoped = ClusterScope.kinds.contains(wanted.kind)
                return objects[i].allIDs.contains { id in
                    id.kind == wanted.kind && id.name == v.objectName
                        && (v.namespace.isEmpty && !clusterScoped || Namespaces.equal(id.namespace, v.namespace))
                }
            }
            if matches.count > 1 {
                throw RenderError(
                    .conflict, "var \(v.description) matches \(matches.count) objects (unable to disambiguate). Add objref.namespace.",
                    file: v.file)
            }
            if let i = matches.first { objects[i].varNames.append(v.name) }
            if declared.contains(where: { $0.name == v.name }) {
                throw RenderError(.conflict, "var '\(v.name)' is declared twice (already encountered). Rename one of them.", file: v.file)
            }
            declared.append(v)
        }
    }

    /// kustomize's `ResolveVars`: reads every var's value, then expands
    /// `$(NAME)` in the `varReference` fields of every object.
    static func resolve(_ vars: [Variable], in objects: inout [RenderedObject], extraSpecs: [FieldSpec] = []) throws {
        guard !vars.isEmpty else { return }
        var values: [String: Value] = [:]
        for v in vars.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }) {
            guard let object = objects.first(where: { $0.varNames.contains(v.name) }) else {
                throw RenderError(
                    .noMatch, "var \(v.description) cannot be mapped to a field in the set of known resources. Fix its objref (apiVersion, kind and name must all match).",
                    file: v.file)
            }
            guard let value = lookup(v.fieldPath, in: object.resource.value) else {
                throw RenderError(
                    .noMatch, "field specified in var \(v.description) not found in corresponding resource \(object.id). Fix the fieldpath.",
                    file: v.file)
            }
            values[v.name] = value
        }
        let specs = try FieldSpec.merged(referenceSpecs, extraSpecs, file: vars[0].file)
        for i in objects.indices {
            let gvk = objects[i].resource.gvk
            for spec in specs where spec.applies(to: gvk) {
                var failure: RenderError?
                objects[i].resource.value.update(at: spec.path[...], create: false) { field in
                    guard let current = field else { return }
                    switch current {
                    case .string(let s):
                        field = expand(s, values)
                    case .map(var map):
                        for key in map.keys { if case .string(let s)? = map[key] { map[key] = expand(s, values) } }
                        field = .map(map)
                    case .list(var items):
                        for j in items.indices {
                            guard case .string(let s) = items[j] else {
                                failure = RenderError(.invalidResource, "'\(spec.path.joined(separator: "/"))' holds a non-string item; var substitution expects strings. Quote it.")
                                return
                            }
                            items[j] = expand(s, values)
                        }
                        field = .list(items)
                    default:
                        return
                    }
                }
                if let failure { throw RenderError(failure.code, "\(objects[i].id): \(failure.message)", at: objects[i].resource.origin) }
            }
        }
    }

    /// kyaml's `GetFieldValue`: dot-separated fields, `name[3]` indexing.
    static func lookup(_ path: String, in value: Value) -> Value? {
        var parts: [String] = []
        for piece in path.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            if piece.hasSuffix("]"), let open = piece.lastIndex(of: "["),
                piece[piece.index(after: open)..<piece.index(before: piece.endIndex)].allSatisfy(\.isASCII),
                let n = Int(piece[piece.index(after: open)..<piece.index(before: piece.endIndex)]), n >= 0
            {
                if open != piece.startIndex { parts.append(String(piece[..<open])) }
                parts.append(String(n))
            } else {
                parts.append(piece)
            }
        }
        var current = value
        for part in parts {
            switch current {
            case .map(let m):
                guard let next = m[part] else { return nil }
                current = next
            case .list(let l):
                guard let i = Int(part), i >= 0, i < l.count else { return nil }
                current = l[i]
            default:
                return nil
            }
        }
        return current.isNull ? nil : current
    }

    /// kustomize's `expansion.Expand`: `$(NAME)` becomes the value (keeping
    /// its type when it is the whole string), `$$` an escaped `$`, unknown
    /// names and non-scalar values stay as written.
    static func expand(_ input: String, _ values: [String: Value]) -> Value {
        let bytes = Array(input.utf8)
        guard bytes.contains(UInt8(ascii: "$")) else { return .string(input) }
        var out: [UInt8] = []
        var checkpoint = 0, cursor = 0
        while cursor < bytes.count {
            if bytes[cursor] == UInt8(ascii: "$") && cursor + 1 < bytes.count {
                out += bytes[checkpoint..<cursor]
                let next = bytes[cursor + 1]
                var advance = 1
                if next == UInt8(ascii: "$") {
                    out.append(next)
                } else if next == UInt8(ascii: "("), let close = bytes[(cursor + 2)...].firstIndex(of: UInt8(ascii: ")")) {
                    let name = String(decoding: bytes[(cursor + 2)..<close], as: UTF8.self)
                    let mapped = values[name].flatMap { v -> Value? in v.mapValue == nil && v.listValue == nil ? v : nil }
                    if close == bytes.count - 1 && cursor == 0 {
                        return mapped ?? .string(input)
                    }
                    out += Array((mapped?.scalarText ?? "$(\(name))").utf8)
                    advance = close - cursor
                } else {
                    out += [UInt8(ascii: "$"), next]
                }
                cursor += advance
                checkpoint = cursor + 1
            }
            cursor += 1
        }
        out += bytes[min(checkpoint, bytes.count)...]
        return .string(String(decoding: out, as: UTF8.self))
    }

    /// kustomize's `varReference` field specs.
    static let referenceSpecs: [FieldSpec] = {
        let container = ["args", "command", "env/value", "volumeMounts/mountPath"]
        func pod(_ root: String, _ kind: String, volumes: String = "volumes/nfs/server") -> [FieldSpec] {
            ["containers", "initContainers"].flatMap { list in container.map { FieldSpec(root + list + "/" + $0, kind: kind, create: false) } }
                + [FieldSpec(RootedPath.join(root, volumes) ?? root + volumes, kind: kind, create: false)]
        }
        // kustomize's CronJob entry names `template/volumes`, not
        // `template/spec/volumes`; copied as it is.
        var specs = pod("spec/jobTemplate/spec/template/spec/", "CronJob", volumes: "../volumes/nfs/server")
            + pod("spec/template/spec/", "DaemonSet") + pod("spec/template/spec/", "Deployment")
            + [FieldSpec("spec/template/metadata/annotations", kind: "Deployment", create: false)]
        specs += ["spec/rules/host", "spec/tls/hosts", "spec/tls/secretName"].map { FieldSpec($0, kind: "Ingress", create: false) }
        specs += pod("spec/template/spec/", "Job") + pod("spec/", "Pod") + pod("spec/template/spec/", "ReplicaSet")
        specs += ["spec/ports/port", "spec/ports/targetPort"].map { FieldSpec($0, kind: "Service", create: false) }
        specs += ["containers", "initContainers"].flatMap { list in
            container.map { FieldSpec("spec/template/spec/" + list + "/" + $0, kind: "StatefulSet", create: false) }
        }
        specs += [
            FieldSpec("spec/volumeClaimTemplates/spec/nfs/server", kind: "StatefulSet", create: false),
            FieldSpec("spec/nfs/server", kind: "PersistentVolume", create: false),
            FieldSpec("metadata/labels", create: false),
            FieldSpec("metadata/annotations", create: false),
        ]
        return specs
    }()
}
