import TetherModel

/// `replacements`: for each replacement in order, read one value from the
/// single source object and write it into every selected target field.
/// Runs after images, as the last builtin transformer of a kustomization.
struct ReplacementTransformer {
    let replacement: Replacement
    /// The file to blame in errors.
    let file: String

    func apply(_ objects: inout [RenderedObject]) throws {
        let value = try sourceValue(objects)
        for target in replacement.targets {
            let select = try Matcher(target.select, file: file)
            let rejects = try target.reject.map { try Matcher($0, file: file) }
            for i in objects.indices {
                let object = objects[i]
                guard select.matchesLabels(object), !rejects.contains(where: { $0.hasLabelSelectors && $0.matchesLabels(object) }) else {
                    continue
                }
                let ids = object.allIDs
                guard select.matchesAnyID(object, ids: ids) else { continue }
                if rejects.contains(where: { !$0.selector.id.isEmpty && $0.matchesAnyID(object, ids: ids) }) { continue }
                try write(value, into: &objects[i], target)
            }
        }
    }

    private func sourceValue(_ objects: [RenderedObject]) throws -> Value {
        let source = replacement.source
        let matcher = try Matcher(.init(id: source.id), file: file)
        var found: RenderedObject?
        for object in objects where matcher.matchesAnyID(object, ids: object.allIDs) {
            guard found == nil else {
                throw RenderError(.noMatch, "replacement source \(describe(source.id)) matches more than one resource (multiple matches for selector). Add name or namespace.", file: file)
            }
            found = object
        }
        guard let found else {
            throw RenderError(.noMatch, "replacement source \(describe(source.id)) matches no resource (nothing selected). Fix the source selector.", file: file)
        }
        let path = FieldPath(source.fieldPath)
        guard let value = path.lookup(in: found.resource.value), !Self.isNilOrEmpty(value) else {
            throw RenderError(
                .noMatch, "fieldPath '\(source.fieldPath)' is missing for replacement source \(found.id). Fix the fieldPath.", file: file)
        }
        guard !source.options.delimiter.isEmpty else { return value }
        guard let text = value.scalarText else {
            throw RenderError(.invalidKustomization, "the delimiter option can only be used with scalar values; '\(source.fieldPath)' is \(value.typeDescription).", file: file)
        }
        let pieces = text.split(separator: source.options.delimiter, omittingEmptySubsequences: false).map(String.init)
        guard source.options.index >= 0, source.options.index < pieces.count else {
            throw RenderError(
                .invalidKustomization, "options.index \(source.options.index) is out of bounds for value \(text). Use an index below \(pieces.count).", file: file)
        }
        return Self.retyped(value, pieces[source.options.index])
    }

    private func write(_ value: Value, into object: inout RenderedObject, _ target: Replacement.Target) throws {
        for text in target.fieldPaths {
            let path = FieldPath(text)
            let create: CreatedKind? = target.options.create ? (value.mapValue != nil ? .map : value.listValue != nil ? .list : .scalar) : nil
            let walker = FieldPathWalker(path: path, create: create) { field in
                try assign(value, to: &field, options: target.options, fieldPath: text)
            }
            let matched: Int
            do {
                matched = try walker.walk(&object.resource.value)
            } catch let error as RenderError {
                throw RenderError(.invalidKustomization, "replacement target \(object.id), field '\(text)': \(error.message)", file: file, cause: error)
            }
            if matched == 0 {
                let verb = target.options.create ? "find or create" : "find"
                throw RenderError(
                    .noMatch, "unable to \(verb) field \"\(text)\" in replacement target \(object.id). Fix the fieldPath\(target.options.create ? "" : " or set options.create: true").",
                    file: file)
            }
        }
    }

    /// kustomize's `setFieldValue`: a scalar target keeps its type and takes
    /// the source's text; anything else is replaced by the source value.
    private func assign(_ source: Value, to field: inout Value?, options: Replacement.Options, fieldPath: String) throws {
        var source = source
        if !options.delimiter.isEmpty {
            guard let targetText = field.map({ $0.scalarText }) ?? "" else {
                throw RenderError(.invalidKustomization, "the delimiter option can only be used with scalar fields.")
            }
            var pieces = targetText.split(separator: options.delimiter, omittingEmptySubsequences: false).map(String.init)
            let piece = source.scalarText ?? ""
            if options.index < 0 {
                pieces.insert(piece, at: 0)
            } else if options.index >= pieces.count {
                pieces.append(piece)
            } else {
                pieces[options.index] = piece
            }
            source = Self.retyped(source, pieces.joined(separator: options.delimiter))
        }
        switch field {
        case nil, .null?:
            // A created (or null) field has no tag: the text resolves as plain YAML.
            field = source.scalarText.map(FieldPathWalker.plain) ?? source
        case .map?, .list?:
            field = source
        case let existing?:
            guard let text = source.scalarText else {
                field = source
                return
            }
            field = try Self.retyped(existing, text, fieldPath: fieldPath)
        }
    }

    /// `text` with the type of `original`, as go-yaml decodes a scalar whose
    /// tag was kept and whose text was replaced.
    static func retyped(_ original: Value, _ text: String, fieldPath: String) throws -> Value {
        switch original {
        case .string: return .string(text)
        case .int, .uint, .float:
            let v = FieldPathWalker.plain(text)
            switch v {
            case .int, .uint, .float: return v
            default: throw RenderError(.invalidKustomization, "cannot set the number field '\(fieldPath)' to '\(text)'. Make the target a string.")
            }
        case .bool:
            guard case .bool = FieldPathWalker.plain(text) else {
                throw RenderError(.invalidKustomization, "cannot set the boolean field '\(fieldPath)' to '\(text)'. Make the target a string.")
            }
            return FieldPathWalker.plain(text)
        default:
            return FieldPathWalker.plain(text)
        }
    }

    /// The source value after taking a piece of its text: the type is kept
    /// when the piece still reads as that type, otherwise it is a string.
    static func retyped(_ original: Value, _ text: String) -> Value {
        (try? retyped(original, text, fieldPath: "")) ?? .string(text)
    }

    static func isNilOrEmpty(_ value: Value) -> Bool {
        switch value {
        case .null: return true
        case .map(let m): return m.isEmpty
        case .list(let l): return l.isEmpty
        default: return false
        }
    }

    private func describe(_ id: Replacement.IDSelector) -> String {
        let parts = [("group", id.group), ("version", id.version), ("kind", id.kind), ("name", id.name), ("namespace", id.namespace)]
            .compactMap { k, v in v.flatMap { $0.isEmpty ? nil : "\(k)=\($0)" } }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// A compiled select or reject entry.
    struct Matcher {
        let selector: Replacement.Selector
        let labels: [TargetSelector.Requirement]
        let annotations: [TargetSelector.Requirement]

        init(_ selector: Replacement.Selector, file: String) throws {
            self.selector = selector
            labels = try TargetSelector.Requirement.parse(selector.labelSelector ?? "", file: file)
            annotations = try TargetSelector.Requirement.parse(selector.annotationSelector ?? "", file: file)
        }

        var hasLabelSelectors: Bool { !(selector.labelSelector ?? "").isEmpty || !(selector.annotationSelector ?? "").isEmpty }

        func matchesLabels(_ object: RenderedObject) -> Bool {
            if labels.isEmpty && annotations.isEmpty { return true }
            let l = Dictionary(object.resource.labels, uniquingKeysWith: { a, _ in a })
            let a = Dictionary(object.resource.annotations, uniquingKeysWith: { a, _ in a })
            return labels.allSatisfy { $0.matches(l) } && annotations.allSatisfy { $0.matches(a) }
        }

        /// kustomize's `ResId.IsSelectedBy`: exact matches, with the empty
        /// namespace equal to `default`.
        func matchesAnyID(_ object: RenderedObject, ids: [ResourceID]) -> Bool {
            let id = selector.id
            let gvk = object.resource.gvk
            if let g = id.group, !g.isEmpty, g != gvk.group { return false }
            if let v = id.version, !v.isEmpty, v != gvk.version { return false }
            return ids.contains { candidate in
                if let k = id.kind, !k.isEmpty, k != candidate.kind { return false }
                if let n = id.name, !n.isEmpty, n != candidate.name { return false }
                if let ns = id.namespace, !ns.isEmpty {
                    let have = candidate.namespace.isEmpty ? "default" : candidate.namespace
                    if ns != have { return false }
                }
                return true
            }
        }
    }
}
