package import TetherModel

/// One change to a stored object, as watchers and the history see it.
package struct WatchEvent: Sendable {
    package enum Kind: String, Sendable {
        case added = "ADDED", modified = "MODIFIED", deleted = "DELETED"
    }

    package var kind: Kind
    package var resource: GroupResource
    package var namespace: String
    package var name: String
    /// The object after the change (for `.deleted`, the last state).
    package var object: Value
    /// The object before the change, for `.modified`; lets a filtered watch
    /// turn an update into ADDED or DELETED when it enters or leaves the selection.
    package var previous: Value?
    package var resourceVersion: Int
}

/// What a watch stream carries to the HTTP layer.
package enum WatchMessage: Sendable {
    /// A change, already filtered and typed (`ADDED`, `MODIFIED`, `DELETED`).
    case event(type: String, object: Value)
    /// A `BOOKMARK` at the given resourceVersion.
    case bookmark(resourceVersion: Int)
    /// An `ERROR` event carrying a `metav1.Status`.
    case error(EmulatorError)
}

/// Which objects a list or watch selects.
package struct Selection: Sendable {
    package var resource: GroupResource
    /// `nil` selects every namespace.
    package var namespace: String?
    package var labels: LabelSelector
    package var fields: FieldSelector

    package init(resource: GroupResource, namespace: String?, labels: LabelSelector = .everything,
                 fields: FieldSelector = FieldSelector()) {
        self.resource = resource
        self.namespace = namespace
        self.labels = labels
        self.fields = fields
    }

    package func matches(_ object: Value) -> Bool {
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
        // The common case, a plain list or watch: no label map to build.
        if labels.requirements.isEmpty, fields.requirements.isEmpty {
            return self.namespace.map { $0 == namespace } ?? true
        }
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        if let wanted = self.namespace, wanted != namespace { return false }
        guard fields.matches(name: name, namespace: namespace), fields.matches(object) else { return false }
        var labelMap: [String: String] = [:]
        for entry in object[path: ["metadata", "labels"]]?.mapValue ?? OrderedMap() {
            labelMap[entry.key] = entry.value.scalarText ?? ""
        }
        return labels.matches(labelMap)
    }

    /// The message a watcher of this selection receives for an event, if any.
    func message(for event: WatchEvent) -> WatchMessage? {
        guard event.resource == resource else { return nil }
        let now = matches(event.object)
        switch event.kind {
        case .added: return now ? .event(type: "ADDED", object: event.object) : nil
        case .deleted: return now ? .event(type: "DELETED", object: event.object) : nil
        case .modified:
            let before = event.previous.map(matches) ?? now
            switch (before, now) {
            case (true, true): return .event(type: "MODIFIED", object: event.object)
            case (false, true): return .event(type: "ADDED", object: event.object)
            case (true, false): return .event(type: "DELETED", object: event.object)
            case (false, false): return nil
            }
        }
    }
}

/// Names one stored object.
package struct ObjectKey: Sendable, Hashable {
    package var resource: GroupResource
    /// Empty for cluster-scoped objects.
    package var namespace: String
    package var name: String
    package init(resource: GroupResource, namespace: String, name: String) {
        self.resource = resource
        self.namespace = namespace
        self.name = name
    }
}

extension ObjectKey {
    /// From the store's `namespace/name` key.
    init(resource: GroupResource, key: String) {
        let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        self.init(resource: resource, namespace: String(parts.first ?? ""), name: parts.count > 1 ? String(parts[1]) : "")
    }

    var key: String { namespace + "/" + name }
}
