import Foundation
package import TetherModel

extension ObjectStore {
    /// Deletes an object with default options (background propagation).
    ///
    /// - Throws: `EmulatorError` `.notFound`.
    package func delete(_ type: ResourceType, namespace: String, name: String, dryRun: Bool) throws(EmulatorError) -> Value {
        try delete(type, namespace: namespace, name: name, options: DeleteOptions(dryRun: dryRun)).object
    }

    /// Deletes an object as the API server and its garbage collector do:
    ///
    /// - with finalizers it only gets a `deletionTimestamp` and stays until
    ///   they are removed;
    /// - `Background` removes it now and then its dependents (objects whose
    ///   `ownerReferences` name its uid and no other living owner);
    /// - `Foreground` gives it the `foregroundDeletion` finalizer, deletes its
    ///   dependents first and removes it once none is left;
    /// - `Orphan` removes its reference from the dependents, which stay;
    /// - a scheduled Pod (`spec.nodeName` set) terminates for
    ///   `gracePeriodSeconds` (its `terminationGracePeriodSeconds` by default)
    ///   and is removed after it when the controllers run; an unscheduled one
    ///   goes at once;
    /// - a Namespace takes everything in it along, a CRD its custom resources.
    ///
    /// - Throws: `EmulatorError` `.notFound`, `.conflict` when a precondition fails.
    package func delete(_ type: ResourceType, namespace: String, name: String, options: DeleteOptions)
        throws(EmulatorError) -> DeleteResult
    {
        try checkJournal()
        let key = ObjectKey(resource: type.groupResource, namespace: namespace, name: name)
        guard var object = objects[key.resource]?[key.key] else { throw .notFound(type.groupResource, name) }
        let uid = object[path: ["metadata", "uid"]]?.stringValue ?? ""
        if let wanted = options.preconditionUID, wanted != uid {
            throw EmulatorError(.conflict, "Precondition failed: UID in precondition: \(wanted), UID in object meta: \(uid)",
                                details: .init(name: name, group: type.group, kind: type.plural))
        }
        let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        if let wanted = options.preconditionResourceVersion, wanted != rv {
            throw EmulatorError(.conflict, "Precondition failed: ResourceVersion in precondition: \(wanted), ResourceVersion in object meta: \(rv)",
                                details: .init(name: name, group: type.group, kind: type.plural))
        }
        if options.dryRun { return DeleteResult(object: Self.presented(object, as: type), removed: true) }
        if object[path: ["metadata", "deletionTimestamp"]] != nil {
            return DeleteResult(object: Self.presented(object, as: type), removed: false)
        }
        if options.propagation == .orphan { orphanDependents(of: uid) }
        var finalizers = (object[path: ["metadata", "finalizers"]]?.listValue ?? []).compactMap(\.stringValue)
        if options.propagation == .foreground, !(dependents[uid] ?? []).isEmpty {
            finalizers.append("foregroundDeletion")
        }
        var grace = 0
        if type.groupResource == Self.pods, object[path: ["spec", "nodeName"]]?.stringValue?.isEmpty == false {
            grace = options.gracePeriodSeconds ?? object[path: ["spec", "terminationGracePeriodSeconds"]]?.intValue ?? 30
        }
        guard !finalizers.isEmpty || grace > 0 else {
            return DeleteResult(object: remove(type, namespace: namespace, name: name, last: object), removed: true)
        }
        let previous = object
        let now = Date()
        object[at: ["metadata", "deletionTimestamp"]] = .string(now.addingTimeInterval(TimeInterval(grace)).ISO8601Format())
        object[at: ["metadata", "deletionGracePeriodSeconds"]] = .int(grace)
        object[at: ["metadata", "finalizers"]] = finalizers.isEmpty ? nil : .list(finalizers.map { .string($0) })
        object = Self.canonical(object)
        write(type, key, object, previous: previous)
        if finalizers.contains("foregroundDeletion") {
            for dependent in (dependents[uid] ?? []).sorted(by: { $0.key < $1.key }) {
                guard let dependentType = registry.type(for: dependent.resource) else { continue }
                _ = try? delete(dependentType, namespace: dependent.namespace, name: dependent.name,
                                options: DeleteOptions(propagation: .foreground))
            }
            finishForegroundDeletion(uid)
        }
        guard let current = objects[key.resource]?[key.key] else {
            return DeleteResult(object: Self.presented(object, as: type), removed: true)
        }
        return DeleteResult(object: Self.presented(current, as: type), removed: false)
    }

    /// Stores a changed object under a new resourceVersion and tells the watchers.
    func write(_ type: ResourceType, _ key: ObjectKey, _ object: Value, previous: Value) {
        var object = object
        resourceVersion += 1
        object[at: ["metadata", "resourceVersion"]] = .string(String(resourceVersion))
        put(key.resource, key.key, object)
        record(WatchEvent(kind: .modified, resource: key.resource, namespace: key.namespace, name: key.name,
                          object: Self.presented(object, as: type), previous: Self.presented(previous, as: type),
                          resourceVersion: resourceVersion))
    }

    /// Removes an object from storage, then what hangs on it: a namespace's
    /// contents, a CRD's custom resources, its dependents (background), and
    /// an owner in foreground deletion that was waiting for it.
    func remove(_ type: ResourceType, namespace: String, name: String, last: Value) -> Value {
        if type.groupResource == Self.namespaces {
            for resource in objects.keys.sorted() {
                for key in (objects[resource] ?? [:]).keys.sorted() where key.hasPrefix(name + "/") {
                    guard let child = objects[resource]?[key], let childType = registry.type(for: resource) else { continue }
                    _ = remove(childType, namespace: name, name: String(key.dropFirst(name.count + 1)), last: child)
                }
            }
        }
        if type.groupResource == Self.crds, let group = last[path: ["spec", "group"]]?.stringValue,
           let plural = last[path: ["spec", "names", "plural"]]?.stringValue {
            let resource = GroupResource(group: group, resource: plural)
            if let crType = registry.type(for: resource) {
                for (key, child) in (objects[resource] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    let parts = ObjectKey(resource: resource, key: key)
                    _ = remove(crType, namespace: parts.namespace, name: parts.name, last: child)
                }
            }
            registry.unregister(group: group, plural: plural)
        }
        guard objects[type.groupResource]?[Self.key(namespace, name)] != nil else { return Self.presented(last, as: type) }
        resourceVersion += 1
        put(type.groupResource, Self.key(namespace, name), nil)
        var object = last
        object[at: ["metadata", "resourceVersion"]] = .string(String(resourceVersion))
        record(WatchEvent(kind: .deleted, resource: type.groupResource, namespace: namespace, name: name,
                          object: Self.presented(object, as: type), previous: nil, resourceVersion: resourceVersion))
        let uid = last[path: ["metadata", "uid"]]?.stringValue ?? ""
        collectDependents(of: uid)
        for owner in (last[path: ["metadata", "ownerReferences"]]?.listValue ?? []).compactMap({ $0["uid"]?.stringValue }) {
            finishForegroundDeletion(owner)
        }
        return Self.presented(object, as: type)
    }

    /// The garbage collector after an owner is gone: a dependent with no
    /// other living owner is deleted (background); one with another owner
    /// loses only the dangling reference.
    private func collectDependents(of uid: String) {
        guard !uid.isEmpty else { return }
        for dependent in (dependents[uid] ?? []).sorted(by: { $0.key < $1.key }) {
            guard let object = objects[dependent.resource]?[dependent.key], let type = registry.type(for: dependent.resource)
            else { continue }
            let owners = (object[path: ["metadata", "ownerReferences"]]?.listValue ?? []).compactMap { $0["uid"]?.stringValue }
            if owners.contains(where: { $0 != uid && byUID[$0] != nil }) {
                dropOwnerReference(uid, from: dependent, type: type, object: object)
            } else {
                _ = try? delete(type, namespace: dependent.namespace, name: dependent.name, options: DeleteOptions())
            }
        }
    }

    private func orphanDependents(of uid: String) {
        for dependent in (dependents[uid] ?? []).sorted(by: { $0.key < $1.key }) {
            guard let object = objects[dependent.resource]?[dependent.key], let type = registry.type(for: dependent.resource)
            else { continue }
            dropOwnerReference(uid, from: dependent, type: type, object: object)
        }
    }

    private func dropOwnerReference(_ uid: String, from key: ObjectKey, type: ResourceType, object: Value) {
        var updated = object
        let kept = (object[path: ["metadata", "ownerReferences"]]?.listValue ?? []).filter { $0["uid"]?.stringValue != uid }
        updated[at: ["metadata", "ownerReferences"]] = kept.isEmpty ? nil : .list(kept)
        // Through `replace`, as the garbage collector's own update, so
        // managedFields forget the reference too.
        _ = try? replace(type, namespace: key.namespace, name: key.name, current: object, with: updated,
                         subresource: nil, dryRun: false, manager: "generic-garbage-collector")
    }

    /// Removes an owner in foreground deletion once no dependent is left.
    private func finishForegroundDeletion(_ uid: String) {
        guard let key = byUID[uid], (dependents[uid] ?? []).isEmpty,
              let owner = objects[key.resource]?[key.key], let type = registry.type(for: key.resource),
              var finalizers = owner[path: ["metadata", "finalizers"]]?.listValue,
              finalizers.contains("foregroundDeletion")
        else { return }
        finalizers.removeAll { $0 == "foregroundDeletion" }
        var updated = owner
        updated[at: ["metadata", "finalizers"]] = finalizers.isEmpty ? nil : .list(finalizers)
        if finalizers.isEmpty {
            _ = remove(type, namespace: key.namespace, name: key.name, last: updated)
        } else {
            write(type, key, Self.canonical(updated), previous: owner)
        }
    }

    /// Keeps `byUID` and `dependents` in step with a stored object.
    func index(_ key: ObjectKey, old: Value?, new: Value?) {
        if let uid = old?[path: ["metadata", "uid"]]?.stringValue {
            byUID[uid] = nil
            for owner in old?[path: ["metadata", "ownerReferences"]]?.listValue ?? [] {
                if let ownerUID = owner["uid"]?.stringValue {
                    dependents[ownerUID]?.remove(key)
                    if dependents[ownerUID]?.isEmpty == true { dependents[ownerUID] = nil }
                }
            }
        }
        if let uid = new?[path: ["metadata", "uid"]]?.stringValue {
            byUID[uid] = key
            for owner in new?[path: ["metadata", "ownerReferences"]]?.listValue ?? [] {
                if let ownerUID = owner["uid"]?.stringValue { dependents[ownerUID, default: []].insert(key) }
            }
        }
    }

    /// The kubelet's part of a graceful pod deletion: removes a pod whose
    /// grace period is over.
    ///
    /// - Returns: how long until it is, when it is not yet.
    func finishGracefulDeletion(_ key: ObjectKey) -> Duration? {
        guard key.resource == Self.pods, let pod = objects[key.resource]?[key.key],
              let deadline = pod[path: ["metadata", "deletionTimestamp"]]?.stringValue,
              (pod[path: ["metadata", "finalizers"]]?.listValue ?? []).isEmpty,
              let type = registry.type(for: key.resource)
        else { return nil }
        let due = (try? Date(deadline, strategy: .iso8601)) ?? Date()
        let wait = due.timeIntervalSinceNow
        if wait > 0 { return .milliseconds(Int64(wait * 1000) + 10) }
        _ = remove(type, namespace: key.namespace, name: key.name, last: pod)
        return nil
    }
}
