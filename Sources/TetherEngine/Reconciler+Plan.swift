import TetherKube
package import TetherModel

extension Reconciler {
    /// Classifies every rendered object as create, update, unchanged or skip, and every
    /// inventory member no longer rendered as prune (or skip, when protected).
    /// - Parameters:
    ///   - desired: the rendered objects.
    ///   - revision: the commit they were rendered from, when known.
    ///   - detail: whether creates get a dry run too.
    ///   - prefetched: the parent and inventory reads started by `prefetch()` before
    ///     rendering, when they were.
    /// - Throws: `EngineError` when the ApplySet parent is not Tether's, or the cluster
    ///   cannot be read.
    package func plan(desired rendered: [Resource], revision: String?, detail: PlanDetail = .sync,
                      prefetched: PlanPrefetch? = nil) async throws(EngineError) -> Plan {
        var parent = ApplySetParent(name: options.parentName, namespace: options.parentNamespace)
        var listed: [GroupVersionKind: Result<[Resource], KubeError>] = [:]
        if let prefetched {
            let reads = await prefetched.task.value
            parent = try reads.parent.get()
            listed = reads.lists
        } else {
            try await readParent(&parent)
        }
        let desired = try await prepared(rendered, parent: parent)
        let live = try await liveMembers(desired: desired, parent: parent, listed: listed)
        let comparison = LiveComparison(fieldManager: options.fieldManager)
        var entries: [PlanEntry] = []
        entries.reserveCapacity(desired.count)
        var pendingDryRuns: [Int] = []
        let owners = await foreignParents(Set(desired.compactMap { live.byID[$0.id].flatMap { Self.foreignSet($0, applySetID: parent.applySetID) } }))
        for object in desired {
            let existing = live.byID[object.id]
            var entry = PlanEntry(id: object.id, apiVersion: object.resource.apiVersion,
                                  action: existing == nil ? .create : .update, desired: object.resource, live: existing)
            if let reason = try Self.syncDisabled(object.resource, live: existing) {
                entry.action = .skip
                entry.reason = reason
            } else if let existing, comparison.isUnchanged(desired: object.resource, live: existing) {
                entry.action = .unchanged
            } else if let existing, let other = Self.foreignSet(existing, applySetID: parent.applySetID) {
                entry.reason = Self.foreignSetNote(other, parent: owners[other], forcing: options.forceConflicts)
                entry.willFail = !options.forceConflicts
                pendingDryRuns.append(entries.count)
            } else if let problem = object.problem {
                entry.reason = problem
                entry.willFail = true
            } else if existing != nil || detail == .diff {
                pendingDryRuns.append(entries.count)
            } else {
                entry.merged = object.resource
            }
            entries.append(entry)
        }
        try await dryRun(&entries, indices: pendingDryRuns)
        let desiredIDs = Set(desired.map(\.id))
        let prunes = try pruneCandidates(live: live.members, desiredIDs: desiredIDs, parent: parent)
        return Plan(revision: revision, applySet: parent, entries: Self.inApplyOrder(entries) + Self.inApplyOrder(prunes).reversed())
    }

    /// Reads the parent, refusing one that is not this set's or not Tether's.
    func readParent(_ parent: inout ApplySetParent) async throws(EngineError) {
        do {
            let live = try await client.get(GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"),
                                            name: parent.id.name, namespace: parent.id.namespace)
            try parent.adopt(live: live)
        } catch let error as KubeError where error.code == .notFound {
            return
        } catch let error as KubeError {
            throw Self.clusterError(error, "cannot read the ApplySet parent \(parent.id)")
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.cluster, "cannot read the ApplySet parent \(parent.id)", cause: error)
        }
    }

    /// The parents of other ApplySets, by their `applyset.kubernetes.io/id`, found by the
    /// id label (one list of ConfigMaps per set; a set whose parent cannot be found or
    /// read is left out, and the note then shows its id only).
    func foreignParents(_ ids: Set<String>) async -> [String: ResourceID] {
        var parents: [String: ResourceID] = [:]
        let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
        for id in ids.sorted() {
            let found = try? await client.listAll(configMap, namespace: "", options: ListOptions(labelSelector: ApplySetID.idLabel + "=" + id)).items
            if let parent = found?.first { parents[id] = parent.id }
        }
        return parents
    }

    /// Why an object of another set is not simply applied, naming that set and the flag
    /// that manages the objects as it (`--name`) or moves them here.
    static func foreignSetNote(_ other: String, parent: ResourceID?, forcing: Bool) -> String {
        guard let parent else {
            return "member of another ApplySet (\(other))" + (forcing ? "; moved to this set" : "; --force-conflicts moves it here")
        }
        let name = parent.name.hasPrefix("tether-") ? String(parent.name.dropFirst(7)) : parent.name
        let set = "member of another ApplySet, \(parent) (\(other))"
        if forcing { return set + "; moved to this set" }
        return set + "; pass --name \(name) --parent-namespace \(parent.namespace) to manage it as that set (e.g. after changing --path), or --force-conflicts to move it here"
    }

    /// The id of another ApplySet the live object belongs to, if any.
    static func foreignSet(_ live: Resource, applySetID: String) -> String? {
        guard let label = live.label(ApplySetID.partOfLabel), !label.isEmpty, label != applySetID else { return nil }
        return label
    }

    /// Why an object is not applied: `tether.dev/sync: disabled` on the rendered or the
    /// live object.
    static func syncDisabled(_ resource: Resource, live: Resource?) throws(EngineError) -> String? {
        if try SyncAnnotation(of: resource) == .disabled { return "annotated \(Annotations.sync): disabled" }
        if let live, try SyncAnnotation(of: live) == .disabled { return "annotated \(Annotations.sync): disabled" }
        return nil
    }

    /// `entries` in apply order: by phase, then by id. Each entry's phase is worked out
    /// once, and indices are sorted rather than the entries (which are large to move).
    static func inApplyOrder(_ entries: [PlanEntry]) -> [PlanEntry] {
        let phases = entries.map { ApplyPhase(kind: $0.id.kind, group: $0.id.group) }
        let order = entries.indices.sorted { a, b in
            if phases[a] != phases[b] { return phases[a] < phases[b] }
            return entries[a].id < entries[b].id
        }
        return order.map { entries[$0] }
    }

    // MARK: Dry runs

    /// Server-side-apply dry runs for the entries the fast path could not settle, a
    /// bounded number at a time.
    func dryRun(_ entries: inout [PlanEntry], indices: [Int]) async throws(EngineError) {
        guard !indices.isEmpty else { return }
        let snapshot = entries
        let results: [Result<PlanEntry, EngineError>]
        do {
            results = try await Bounded.map(indices, limit: options.concurrency) { index in
                await self.dryRunOne(snapshot[index])
            }
        } catch {
            throw .cancelled(during: "planning (server-side dry runs)")
        }
        for (index, result) in zip(indices, results) {
            switch result {
            case .success(let entry): entries[index] = entry
            case .failure(let error): throw error
            }
        }
    }

    func dryRunOne(_ entry: PlanEntry) async -> Result<PlanEntry, EngineError> {
        var entry = entry
        guard let desired = entry.desired else { return .success(entry) }
        var force = options.forceConflicts
        while true {
            do {
                let merged = try await client.apply(desired, options: ApplyOptions(fieldManager: options.fieldManager, force: force, dryRun: .all))
                entry.merged = merged
                if let live = entry.live {
                    let unchanged = ComparableObject.stripped(live) == ComparableObject.stripped(merged)
                    let migrates = Self.legacyManagers(of: live).isEmpty == false
                    entry.action = unchanged && !migrates ? .unchanged : .update
                    if unchanged, migrates { entry.reason = "takes over fields from \(Self.legacyManagers(of: live).joined(separator: ", "))" }
                }
                return .success(entry)
            } catch where error.code == .conflict && !force {
                entry.reason = "conflict: \(error.message) (use --force-conflicts to take ownership)"
                entry.willFail = true
                force = true
            } catch where error.code == .notFound || error.code == .noResourceMatch {
                // The namespace or the kind is created by this same sync.
                entry.merged = desired
                return .success(entry)
            } catch where error.code == .invalid {
                entry.reason = "invalid: \(error)"
                entry.willFail = true
                entry.merged = desired
                return .success(entry)
            } catch {
                return .failure(Self.clusterError(error, "dry run of \(entry.id) failed"))
            }
        }
    }

    /// Client-side managers still owning fields of `live`.
    static func legacyManagers(of live: Resource) -> [String] {
        (live.value[path: ["metadata", "managedFields"]]?.listValue ?? []).compactMap { entry in
            guard let manager = entry["manager"]?.stringValue, LiveComparison.legacyManagers.contains(manager) else { return nil }
            return manager
        }
    }

    // MARK: Ownership

    static func managers(of object: Resource) -> Set<String> {
        Set((object.value[path: ["metadata", "managedFields"]]?.listValue ?? []).compactMap { $0["manager"]?.stringValue })
    }

    static func controllerOwner(of object: Resource) -> String? {
        for owner in object.value[path: ["metadata", "ownerReferences"]]?.listValue ?? [] where owner["controller"]?.boolValue == true {
            return "\(owner["kind"]?.stringValue ?? "?")/\(owner["name"]?.stringValue ?? "?")"
        }
        return nil
    }
}

/// Annotations Tether reads on objects.
package enum Annotations {
    /// `disabled` keeps an object from ever being deleted by a prune.
    package static let prune = "tether.dev/prune"
    /// `disabled` leaves an object alone: not applied, not pruned.
    package static let sync = "tether.dev/sync"
    /// `correct|report|ignore`: what the daemon does about drift.
    package static let drift = "tether.dev/drift"
}
