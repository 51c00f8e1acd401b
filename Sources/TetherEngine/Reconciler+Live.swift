import Logging
import TetherKube
import TetherModel

/// A rendered object made ready to apply: part-of label set, namespace defaulted.
struct PreparedObject: Sendable {
    var resource: Resource
    /// `resource.id`, worked out once (planning looks it up several times per object).
    var id: ResourceID
    /// Why it cannot be applied (its kind is not served), when it cannot.
    var problem: String?
}

/// The cluster's side of a plan.
struct LiveState: Sendable {
    /// Every live object found for a rendered id.
    var byID: [ResourceID: Resource] = [:]
    /// Live objects carrying this set's part-of label.
    var members: [Resource] = []
}

extension Reconciler {
    /// Labels rendered objects as members and gives namespaced ones without a namespace
    /// the default namespace (cluster-scoped ones lose a stray namespace, as kubectl does).
    func prepared(_ rendered: [Resource], parent: ApplySetParent) async throws(EngineError) -> [PreparedObject] {
        var scopes: [GroupVersionKind: Bool?] = [:]
        var prepared: [PreparedObject] = []
        prepared.reserveCapacity(rendered.count)
        for resource in rendered {
            let gvk = resource.gvk
            if scopes[gvk] == nil { scopes[gvk] = try await namespaced(gvk, rendered: rendered) }
            var object = resource
            object.setLabel(ApplySetID.partOfLabel, parent.applySetID)
            var problem: String?
            switch scopes[gvk]! {
            case .some(true): if object.namespace.isEmpty { object.setMetadata("namespace", options.defaultNamespace) }
            case .some(false): if !object.namespace.isEmpty { object.setMetadata("namespace", nil) }
            case .none: problem = "the cluster does not serve \(gvk.kind) in \(gvk.apiVersion); install its CustomResourceDefinition first"
            }
            prepared.append(PreparedObject(resource: object, id: object.id, problem: problem))
        }
        return prepared
    }

    /// Whether a kind is namespaced: from discovery, or from a CRD in the same render
    /// that is not applied yet; nil when neither knows it.
    func namespaced(_ gvk: GroupVersionKind, rendered: [Resource]) async throws(EngineError) -> Bool? {
        do {
            return try await client.mapping(for: gvk).namespaced
        } catch where error.code == .noResourceMatch || error.code == .notFound {
            for crd in rendered where crd.kind == "CustomResourceDefinition"
                && crd.value[path: ["spec", "group"]]?.stringValue == gvk.group
                && crd.value[path: ["spec", "names", "kind"]]?.stringValue == gvk.kind {
                return crd.value[path: ["spec", "scope"]]?.stringValue != "Cluster"
            }
            return nil
        } catch {
            throw Self.clusterError(error, "discovery of \(gvk.kind) (\(gvk.apiVersion)) failed")
        }
    }

    /// One labelled list per member kind (rendered kinds and inventoried ones; those in
    /// `listed` were read already), then the rendered objects not found that way: one
    /// unlabelled list for kinds with many of them, a get each otherwise.
    func liveMembers(desired: [PreparedObject], parent: ApplySetParent,
                     listed: [GroupVersionKind: Result<[Resource], KubeError>] = [:]) async throws(EngineError) -> LiveState {
        var kinds: [GroupKind: GroupVersionKind] = [:]
        for object in desired where object.problem == nil {
            let gvk = object.resource.gvk
            if kinds[gvk.groupKind] == nil { kinds[gvk.groupKind] = gvk }
        }
        // A prefetched list that failed is read again.
        let listed = listed.filter { (try? $0.value.get()) != nil }
        for groupKind in parent.memberGroupKinds where kinds[groupKind] == nil {
            if let gvk = listed.keys.first(where: { $0.groupKind == groupKind }) {
                kinds[groupKind] = gvk
            } else if let gvk = await servedVersion(of: groupKind) {
                kinds[groupKind] = gvk
            }
        }
        let missing = kinds.values.filter { listed[$0] == nil }
        var lists = kinds.values.compactMap { listed[$0] }
        lists += await labelledLists(missing)
        var state = LiveState()
        for result in lists {
            switch result {
            case .success(let items):
                for item in items {
                    state.members.append(item)
                    state.byID[item.id] = item
                }
            case .failure(let error): throw Self.clusterError(error, "cannot list the set's members")
            }
        }
        try await findUnlabelled(desired: desired, into: &state)
        return state
    }

    /// Looks up rendered objects that exist without the part-of label (made by hand or
    /// by another tool), so they are updated and adopted rather than "created".
    func findUnlabelled(desired: [PreparedObject], into state: inout LiveState) async throws(EngineError) {
        var missing: [GroupKind: [Resource]] = [:]
        for object in desired where object.problem == nil && state.byID[object.id] == nil {
            missing[object.resource.gvk.groupKind, default: []].append(object.resource)
        }
        guard !missing.isEmpty else { return }
        var lookups: [[Resource]] = []
        for (_, objects) in missing {
            if objects.count > 8 { lookups.append([objects[0]]) } else { lookups += objects.map { [$0] } }
        }
        let listKinds = Set(missing.filter { $0.value.count > 8 }.keys)
        let client = self.client
        let finished = await Bounded.run(lookups, limit: options.concurrency) { batch -> Result<[Resource], KubeError> in
            let object = batch[0]
            do throws(KubeError) {
                if listKinds.contains(object.gvk.groupKind) {
                    return .success(try await client.listAll(object.gvk, namespace: "").items)
                }
                return .success([try await client.get(object.gvk, name: object.name, namespace: object.namespace)])
            } catch where error.code == .notFound || error.code == .noResourceMatch {
                return .success([])
            } catch {
                return .failure(error)
            }
        }
        guard finished.isComplete else { throw .cancelled(during: "planning (reading the rendered objects)") }
        let found = finished.outputs
        let wanted = Set(desired.map(\.id))
        for result in found {
            switch result {
            case .success(let items): for item in items where wanted.contains(item.id) && state.byID[item.id] == nil { state.byID[item.id] = item }
            case .failure(let error): throw Self.clusterError(error, "cannot read rendered objects from the cluster")
            }
        }
    }

    /// A version the server serves a group-kind in: `v1` when it is served there (most
    /// kinds are, and it needs no walk of `/api` and `/apis`), else the first the server
    /// lists (its preferred one).
    func servedVersion(of groupKind: GroupKind) async -> GroupVersionKind? {
        let v1 = GroupVersionKind(group: groupKind.group, version: "v1", kind: groupKind.kind)
        if groupKind.group.isEmpty { return v1 }
        if (try? await client.mapping(for: v1)) != nil { return v1 }
        guard let versions = try? await client.serverGroupVersions() else { return nil }
        for apiVersion in versions where apiVersion.hasPrefix(groupKind.group + "/") {
            let gvk = GroupVersionKind(apiVersion: apiVersion, kind: groupKind.kind)
            if (try? await client.mapping(for: gvk)) != nil { return gvk }
        }
        return nil
    }
}
