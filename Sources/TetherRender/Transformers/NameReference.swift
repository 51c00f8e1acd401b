import TetherModel

/// Fixes references to renamed objects (prefix, suffix, content hash,
/// namespace, patches that rename) in the fields of
/// ``NameBackReference/table``, choosing the referral as kustomize v5.5's
/// name-reference filter does: an object that had the referenced name and
/// kind before, reachable from the referrer's namespace, preferring one with
/// the referrer's prefixes and suffixes.
///
/// kustomize scans every object for every reference (quadratic); here the
/// candidates come from an index of earlier names, and the namespace
/// bookkeeping is precomputed, so the cost is linear in the references.
struct NameReference {
    /// What the referral choice looks at, per object: a snapshot of
    /// identities only, so that changing the referrers' values copies
    /// nothing.
    struct Record {
        var id: ResourceID
        var version: String
        var previousIDs: [ResourceID]
        var prefixes, suffixes: [String]
        var clusterScoped: Bool
        var name: String { id.name }
        var namespace: String { id.namespace }
        var kind: String { id.kind }

        init(_ object: RenderedObject) {
            id = object.id
            version = object.resource.gvk.version
            previousIDs = object.previousIDs
            prefixes = object.prefixes
            suffixes = object.suffixes
            clusterScoped = ClusterScope.kinds.contains(id.kind)
        }

        var originalNamespace: String { previousIDs.first?.namespace ?? id.namespace }
    }

    private let objects: [Record]
    /// Object indices by every earlier name, in object order.
    private var byPreviousName: [String: [Int]] = [:]
    /// For namespaced objects: effective original namespaces present among
    /// objects whose current (effective or raw) namespace is the key.
    private var originalNamespacesByCurrent: [String: Set<String>] = [:]
    private var originalNamespacesByRaw: [String: Set<String>] = [:]
    private var allOriginalNamespaces = Set<String>()
    private var allCurrentNamespaces = Set<String>()

    private init(_ objects: [RenderedObject]) {
        self.objects = objects.map(Record.init)
        for (i, object) in objects.enumerated() where !object.previousIDs.isEmpty {
            var names = Set<String>()
            for id in object.previousIDs where names.insert(id.name).inserted {
                byPreviousName[id.name, default: []].append(i)
            }
        }
        for object in self.objects where !object.clusterScoped {
            let original = Namespaces.effective(object.originalNamespace)
            let current = object.namespace
            originalNamespacesByCurrent[Namespaces.effective(current), default: []].insert(original)
            originalNamespacesByRaw[current, default: []].insert(original)
            allOriginalNamespaces.insert(original)
            allCurrentNamespaces.insert(Namespaces.effective(current))
        }
    }

    static func fix(_ objects: inout [RenderedObject], extra: [(target: FieldSpec, referrer: FieldSpec)] = []) throws {
        for object in objects where object.resource.kind == "RoleBinding" { try checkSubjectNamespaces(object) }
        guard objects.contains(where: { !$0.previousIDs.isEmpty }) else { return }
        let resolver = NameReference(objects)
        var table = NameBackReference.table
        for (target, referrer) in extra {
            if let i = table.firstIndex(where: { $0.target.kind == target.kind && $0.target.group == target.group && $0.target.version == target.version }) {
                table[i].referrers.append(referrer)
            } else {
                table.append(NameBackReference(target: target, referrers: [referrer]))
            }
        }
        // Referrer field specs by kind, in table order (every built-in and
        // crds spec names a kind).
        var byKind: [String: [(spec: FieldSpec, target: FieldSpec)]] = [:]
        for backReference in table {
            for spec in backReference.referrers { byKind[spec.kind ?? "", default: []].append((spec, backReference.target)) }
        }
        for i in objects.indices {
            let original = objects[i].originalID
            guard let specs = byKind[original.kind] else { continue }
            let gvk = GroupVersionKind(group: original.group, version: objects[i].resource.gvk.version, kind: original.kind)
            var referrer: Referrer?
            for (spec, target) in specs where spec.applies(to: gvk) && objects[i].resource.value.hasField(at: spec.path[...]) {
                if referrer == nil { referrer = Referrer(resolver: resolver, index: i, value: objects[i].resource.value) }
                try referrer?.update(spec: spec, target: target, in: &objects[i].resource.value, origin: objects[i].resource.origin)
            }
        }
    }

    /// kustomize reads the namespaces of a RoleBinding's ServiceAccount
    /// subjects on every build, and fails on one that is there but not a
    /// string (`namespace:` with no value).
    private static func checkSubjectNamespaces(_ object: RenderedObject) throws {
        guard case .list(let subjects)? = object.resource.value["subjects"] else { return }
        for (i, subject) in subjects.enumerated() where subject["kind"]?.stringValue == "ServiceAccount" {
            guard let namespace = subject["namespace"], namespace.stringValue == nil else { continue }
            throw RenderError(
                .invalidResource,
                "\(object.id): subjects[\(i)].namespace is \(namespace.typeDescription), not a string (kustomize: namespace is blank for resource). Set the namespace or remove the key.",
                at: object.resource.origin)
        }
    }

    /// One referring object, with what kustomize's candidate subset depends on.
    private struct Referrer {
        let resolver: NameReference
        let index: Int
        let object: Record
        let clusterScoped: Bool
        /// Namespaces of ServiceAccount subjects of a RoleBinding.
        let roleBindingNamespaces: Set<String>

        init(resolver: NameReference, index: Int, value: Value) {
            self.resolver = resolver
            self.index = index
            object = resolver.objects[index]
            clusterScoped = object.clusterScoped
            var namespaces = Set<String>()
            if object.kind == "RoleBinding", case .list(let subjects)? = value["subjects"] {
                for subject in subjects where subject["kind"]?.stringValue == "ServiceAccount" {
                    if let ns = subject["namespace"]?.stringValue { namespaces.insert(ns) }
                }
            }
            roleBindingNamespaces = namespaces
        }

        func update(spec: FieldSpec, target: FieldSpec, in value: inout Value, origin: SourceLocation?) throws {
            var failure: RenderError?
            let roleRef = spec.path.last == "name" && spec.path.dropLast().last == "roleRef" ? roleRefKind(value) : nil
            value.update(at: spec.path[...], create: false) { field in
                guard failure == nil, let current = field, !current.isNull else { return }
                do {
                    switch current {
                    case .map:
                        field = try self.mapping(current, target: target, roleRef: roleRef)
                    case .list(var items):
                        for j in items.indices {
                            if items[j].mapValue != nil {
                                items[j] = try self.mapping(items[j], target: target, roleRef: roleRef)
                            } else if let name = items[j].scalarText, !items[j].isNull {
                                if let new = try self.scalar(name, target: target, roleRef: roleRef) { items[j] = .string(new) }
                            }
                        }
                        field = .list(items)
                    default:
                        if let name = current.scalarText, let new = try self.scalar(name, target: target, roleRef: roleRef) {
                            field = .string(new)
                        }
                    }
                } catch let error as RenderError {
                    failure = error
                } catch {
                    failure = RenderError(.invalidResource, "\(error)")
                }
            }
            if let failure {
                throw RenderError(
                    failure.code, "updating name reference in '\(spec.path.joined(separator: "/"))' of \(object.id): \(failure.message)",
                    at: origin)
            }
        }

        /// The `roleRef` group and kind, which narrow `roleRef/name` referrals.
        private func roleRefKind(_ value: Value) -> (group: String, kind: String)? {
            guard let ref = value["roleRef"], let group = ref["apiGroup"]?.scalarText, let kind = ref["kind"]?.scalarText else {
                return nil
            }
            return (group, kind)
        }

        private func scalar(_ name: String, target: FieldSpec, roleRef: (group: String, kind: String)?) throws -> String? {
            let candidates = resolver.byPreviousName[name] ?? []
            guard let referral = try select(name, candidates.filter(inSubset), target: target, roleRef: roleRef, compareNamespaces: false) else {
                return nil
            }
            let newName = resolver.objects[referral].name
            return newName == name ? nil : newName
        }

        private func mapping(_ node: Value, target: FieldSpec, roleRef: (group: String, kind: String)?) throws -> Value {
            guard let nameNode = node["name"] else {
                throw RenderError(.invalidResource, "the referring field has no 'name'. Add it.")
            }
            let oldName = nameNode.scalarText ?? ""
            var candidates = (resolver.byPreviousName[oldName] ?? []).filter(inSubset)
            if let namespace = node["namespace"]?.scalarText {
                if subsetOriginalNamespaces.contains(namespace) {
                    candidates = candidates.filter {
                        let o = resolver.objects[$0]
                        return !o.clusterScoped && Namespaces.effective(o.originalNamespace) == namespace
                    }
                } else {
                    candidates = candidates.filter {
                        let o = resolver.objects[$0]
                        return !o.clusterScoped && Namespaces.effective(o.namespace) == namespace
                    }
                }
            }
            guard let index = try select(oldName, candidates, target: target, roleRef: roleRef, compareNamespaces: true) else { return node }
            let referral = resolver.objects[index]
            if referral.name == oldName && referral.namespace.isEmpty { return node }
            var updated = node
            updated["name"] = .string(referral.name)
            if !referral.namespace.isEmpty { updated["namespace"] = .string(referral.namespace) }
            return updated
        }

        /// Original namespaces of the namespaced objects in the candidate
        /// subset (kustomize's `GroupedByOriginalNamespace` keys).
        private var subsetOriginalNamespaces: Set<String> {
            if clusterScoped { return resolver.allOriginalNamespaces }
            var out = resolver.originalNamespacesByCurrent[Namespaces.effective(object.namespace)] ?? []
            for ns in roleBindingNamespaces { out.formUnion(resolver.originalNamespacesByRaw[ns] ?? []) }
            return out
        }

        /// kustomize's `SubsetThatCouldBeReferencedByResource`.
        private func inSubset(_ candidate: Int) -> Bool {
            if clusterScoped { return true }
            let other = resolver.objects[candidate]
            if other.clusterScoped { return true }
            if Namespaces.equal(other.namespace, object.namespace) { return true }
            return roleBindingNamespaces.contains(other.namespace)
        }

        /// kustomize's `selectReferral`, over candidates already known to
        /// have had the name and to be in the subset.
        private func select(
            _ name: String, _ candidates: [Int], target: FieldSpec, roleRef: (group: String, kind: String)?, compareNamespaces: Bool
        ) throws -> Int? {
            var list = candidates.filter { i in
                let o = resolver.objects[i]
                let gvk = GroupVersionKind(group: o.id.group, version: o.version, kind: o.kind)
                guard o.previousIDs.contains(where: { target.applies(to: GroupVersionKind(group: gvk.group, version: gvk.version, kind: $0.kind)) })
                else { return false }
                if let roleRef, !o.previousIDs.contains(where: {
                    (roleRef.group.isEmpty || gvk.group == roleRef.group) && (roleRef.kind.isEmpty || $0.kind == roleRef.kind)
                }) {
                    return false
                }
                if clusterScoped || o.clusterScoped || o.kind == "ServiceAccount" { return true }
                return Namespaces.equal(o.namespace, object.namespace)
            }
            if list.count == 1 { return list[0] }
            // kustomize's PrefixesSuffixesEquals, first coarse (an empty
            // list matches anything), then strict.
            list = list.filter { i in
                let o = resolver.objects[i]
                return (o.prefixes.isEmpty || object.prefixes.isEmpty || Self.sameEnding(o.prefixes, object.prefixes))
                    && (o.suffixes.isEmpty || object.suffixes.isEmpty || Self.sameEnding(o.suffixes, object.suffixes))
            }
            if list.count == 1 { return list[0] }
            list = list.filter { i in
                let o = resolver.objects[i]
                return Self.sameEnding(o.prefixes, object.prefixes) && Self.sameEnding(o.suffixes, object.suffixes)
            }
            if list.count == 1 { return list[0] }
            guard let first = list.first else { return nil }
            let reference = resolver.objects[first]
            let identical = list.allSatisfy {
                let r = resolver.objects[$0]
                return r.name == reference.name && (!compareNamespaces || r.namespace == reference.namespace)
            }
            if identical { return first }
            let ids = list.map { resolver.objects[$0].id.description }.joined(separator: ", ")
            throw RenderError(
                .conflict, "'\(name)' could refer to any of \(ids) (found multiple possible referrals). Give them distinct names or namespaces.")
        }

        /// kustomize's `SameEndingSubSlice`: the shorter list ends the longer one.
        static func sameEnding(_ a: [String], _ b: [String]) -> Bool {
            let (short, long) = a.count <= b.count ? (a, b) : (b, a)
            if short.isEmpty { return long.isEmpty }
            return Array(long.suffix(short.count)) == short
        }
    }
}
