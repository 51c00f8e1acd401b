/// A Kubernetes object: a map `Value` with typed access to the fields every
/// object has, and the place it came from.
package struct Resource: Sendable, Hashable {
    /// The whole object.
    package var value: Value
    /// The file (and line) the object was read from, for error messages.
    package var origin: SourceLocation?

    /// Which fields an object must have to be accepted.
    package enum Validation: Sendable {
        /// What the API server needs: `apiVersion`, `kind` and
        /// `metadata.name` (or `generateName`), all non-empty strings.
        case kubernetes
        /// What kustomize accepts as a resource: the same, except that
        /// `apiVersion` may be missing or any scalar (kustomize's own tests
        /// render such objects).
        case kustomize
    }

    /// Wraps an object map, checking the fields every object needs.
    /// - Throws: `ModelError` when the value is not a map, or `apiVersion`
    ///   (under `.kubernetes`), `kind` or `metadata.name` is missing or not a
    ///   string.
    package init(_ value: Value, origin: SourceLocation? = nil, validation: Validation = .kubernetes) throws(ModelError) {
        self.value = value
        self.origin = origin
        try validate(validation)
    }

    /// Wraps a value without validation; for objects built in code.
    package init(unchecked value: Value, origin: SourceLocation? = nil) {
        self.value = value
        self.origin = origin
    }

    private func validate(_ validation: Validation) throws(ModelError) {
        guard case .map(let map) = value else {
            throw ModelError(
                .notAnObject,
                "document is \(value.typeDescription), not a Kubernetes object. Each document must be a map with apiVersion, kind and metadata.",
                at: origin)
        }
        for field in validation == .kubernetes ? ["apiVersion", "kind"] : ["kind"] {
            guard let v = map[field] else {
                throw ModelError(.missingField, "object has no \(field). Add \(field) to the document.", at: origin)
            }
            guard case .string(let s) = v, !s.isEmpty else {
                throw ModelError(.invalidField, "\(field) must be a non-empty string, not \(v.typeDescription). Fix \(field).", at: origin)
            }
        }
        guard case .map(let metadata)? = map["metadata"] else {
            throw ModelError(
                .missingField, "\(kind) has no metadata map. Add metadata.name to the document.", at: origin)
        }
        let name = metadata["name"]
        let generateName = metadata["generateName"]
        switch (name, generateName) {
        case (.string(let s)?, _) where !s.isEmpty: break
        case (nil, .string(let s)?) where !s.isEmpty: break
        case (nil, _):
            throw ModelError(.missingField, "\(kind) has no metadata.name. Add a name.", at: origin)
        case (let v?, _):
            throw ModelError(
                .invalidField, "\(kind) metadata.name must be a non-empty string, not \(v.typeDescription). Quote the name.",
                at: origin)
        }
    }

    package var apiVersion: String { value["apiVersion"]?.stringValue ?? "" }
    package var kind: String { value["kind"]?.stringValue ?? "" }
    package var gvk: GroupVersionKind { GroupVersionKind(apiVersion: apiVersion, kind: kind) }
    package var name: String { value[path: ["metadata", "name"]]?.stringValue ?? "" }
    package var namespace: String { value[path: ["metadata", "namespace"]]?.stringValue ?? "" }

    /// The identity of the object (group, kind, namespace, name).
    package var id: ResourceID {
        let g = gvk
        return ResourceID(group: g.group, kind: g.kind, namespace: namespace, name: name)
    }

    /// Labels as strings: Kubernetes label values are strings, so a YAML
    /// number or boolean written without quotes is read as its text.
    package var labels: [(key: String, value: String)] { stringMap(at: "labels") }

    /// Annotations as strings (see `labels`).
    package var annotations: [(key: String, value: String)] { stringMap(at: "annotations") }

    /// One label's value, if set.
    package func label(_ key: String) -> String? { value[path: ["metadata", "labels", key]]?.scalarText }

    /// One annotation's value, if set.
    package func annotation(_ key: String) -> String? { value[path: ["metadata", "annotations", key]]?.scalarText }

    private func stringMap(at field: String) -> [(key: String, value: String)] {
        guard case .map(let m)? = value[path: ["metadata", field]] else { return [] }
        return m.entries.compactMap { e in e.value.scalarText.map { (e.key, $0) } }
    }

    /// Sets (or with `nil` removes) a string field under `metadata`, e.g.
    /// `setMetadata("namespace", "prod")`.
    package mutating func setMetadata(_ field: String, _ newValue: String?) {
        var metadata = value["metadata"]?.mapValue ?? OrderedMap()
        metadata[field] = newValue.map(Value.string)
        value["metadata"] = .map(metadata)
    }

    /// Sets one label.
    package mutating func setLabel(_ key: String, _ newValue: String?) { setMetadataEntry("labels", key, newValue) }

    /// Sets one annotation.
    package mutating func setAnnotation(_ key: String, _ newValue: String?) {
        setMetadataEntry("annotations", key, newValue)
    }

    private mutating func setMetadataEntry(_ field: String, _ key: String, _ newValue: String?) {
        var metadata = value["metadata"]?.mapValue ?? OrderedMap()
        var map = metadata[field]?.mapValue ?? OrderedMap()
        map[key] = newValue.map(Value.string)
        metadata[field] = map.isEmpty && newValue == nil ? nil : .map(map)
        value["metadata"] = .map(metadata)
    }

    // Identity of a resource is its data; origin is only for messages.
    package static func == (a: Resource, b: Resource) -> Bool { a.value == b.value }
    package func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

extension Resource {
    /// Decodes a YAML stream of Kubernetes objects: empty documents skipped,
    /// `List` kinds flattened into their items, every object validated.
    /// - Throws: `ModelError` for the first bad document; never returns a
    ///   partial list.
    package static func decodeStream(
        _ text: String, file: String, decoder: YAMLDecoder = YAMLDecoder(), validation: Validation = .kubernetes
    ) throws(ModelError) -> [Resource] {
        let documents = try decoder.decode(text, file: file)
        var out: [Resource] = []
        out.reserveCapacity(documents.count)
        for document in documents {
            try appendObjects(from: document.value, origin: document.location, validation: validation, to: &out)
        }
        return out
    }

    private static func appendObjects(
        from value: Value, origin: SourceLocation, validation: Validation, to out: inout [Resource]
    ) throws(ModelError) {
        if case .map(let map) = value, case .string(let kind)? = map["kind"], kind.hasSuffix("List"),
            case .list(let items)? = map["items"]
        {
            for item in items where !item.isNull {
                try appendObjects(from: item, origin: origin, validation: validation, to: &out)
            }
            return
        }
        out.append(try Resource(value, origin: origin, validation: validation))
    }

    /// Encodes objects as a multi-document YAML stream in `kubectl
    /// kustomize`'s format.
    package static func encodeStream(_ resources: [Resource]) throws(ModelError) -> String {
        try YAMLEncoder().encode(documents: resources.map(\.value))
    }
}
