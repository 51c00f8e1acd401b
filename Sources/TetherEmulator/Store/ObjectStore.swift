import Foundation
import Synchronization
package import TetherModel

/// The emulator's state: every stored object, the global resourceVersion
/// counter, the recent change history and the open watches.
///
/// All mutation happens in synchronous actor methods, so a read-modify-write
/// (update, patch) never interleaves with another; nothing here awaits.
package actor ObjectStore {
    /// Tuning for tests.
    package struct Options: Sendable {
        /// How many past events a watch can resume from; older resourceVersions get 410 Gone.
        package var watchHistoryLimit: Int
        package init(watchHistoryLimit: Int = 10_000) {
            self.watchHistoryLimit = watchHistoryLimit
        }
    }

    /// A page of a list.
    package struct ListResult: Sendable {
        package var items: [Value]
        package var resourceVersion: Int
        package var continueToken: String?
        package var remainingItemCount: Int?
    }

    package internal(set) var registry = ResourceRegistry() {
        didSet { registryCopy.withLock { $0 = registry } }
    }
    /// `registry` as of its last change, for `servedRegistry`.
    private nonisolated let registryCopy = Mutex(ResourceRegistry())
    /// Objects by resource, then by `namespace/name` (sorted when listed, like etcd keys).
    var objects: [GroupResource: [String: Value]] = [:]
    var resourceVersion = 0
    private var history: [WatchEvent] = []
    /// Events before this index in `history` are dropped (see `record`).
    private var historyStart = 0
    /// The resourceVersion of the newest event dropped from `history`.
    private var compactedVersion = 0
    private var watchers: [Int: (selection: Selection, continuation: AsyncStream<WatchMessage>.Continuation)] = [:]
    private var nextWatcherID = 0
    /// Objects by uid, and the dependents of each owner uid (from
    /// `ownerReferences`), for garbage collection.
    var byUID: [String: ObjectKey] = [:]
    var dependents: [String: Set<ObjectKey>] = [:]
    /// Each object encoded as a list item, kept up to date by `put`; write
    /// answers are cut from it too (`ObjectStore+Answer.swift`).
    var encodedItems: [GroupResource: [String: [UInt8]]] = [:]
    /// `objects`' keys per resource, sorted, for lists; nil when stale.
    private var keyOrder: [GroupResource: [String]] = [:]
    /// In-process listeners (the simulated controllers): every change to one of their resources.
    private var listeners: [Int: (resources: Set<GroupResource>, continuation: AsyncStream<ObjectKey>.Continuation)] = [:]
    /// Cluster IPs and node ports handed out to Services.
    private var allocatedIPs: Set<String> = ["10.96.0.1"]
    private var allocatedNodePorts: Set<Int> = []
    private let options: Options
    /// `--state DIR`; nil keeps everything in memory only.
    private var journal: StateJournal?
    /// Why the journal stopped accepting changes; every write fails after it.
    private var journalFailure: EmulatorError?

    package init(options: Options = Options()) {
        self.options = options
        var bucket: [String: Value] = [:]
        for (index, name) in ["default", "kube-system", "kube-public", "kube-node-lease"].enumerated() {
            bucket[Self.key("", name)] = Self.canonical([
                "apiVersion": "v1", "kind": "Namespace",
                "metadata": [
                    "name": .string(name), "uid": .string(Self.newUID()),
                    "resourceVersion": .string(String(index + 1)), "creationTimestamp": .string(Date().ISO8601Format()),
                    "labels": ["kubernetes.io/metadata.name": .string(name)],
                ],
                "spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"],
            ])
        }
        objects[Self.namespaces] = bucket
        resourceVersion = bucket.count
        for (key, object) in bucket {
            if let uid = object[path: ["metadata", "uid"]]?.stringValue { byUID[uid] = ObjectKey(resource: Self.namespaces, key: key) }
        }
    }

    static let namespaceType = BuiltinResources.all[0]
    static let namespaces = GroupResource(group: "", resource: "namespaces")
    static let crds = GroupResource(group: "apiextensions.k8s.io", resource: "customresourcedefinitions")
    static let services = GroupResource(group: "", resource: "services")
    static let nodes = GroupResource(group: "", resource: "nodes")
    static let pods = GroupResource(group: "", resource: "pods")

    /// The served types, read without waiting for the actor: every request
    /// resolves its type before it does anything else, and with the store
    /// busy, queueing on the actor just for that was a second wait per request.
    /// The copy changes together with `registry`, so this is what a read on
    /// the actor would have returned.
    package nonisolated var servedRegistry: ResourceRegistry { registryCopy.withLock { $0 } }

    /// The newest resourceVersion handed out.
    package var currentResourceVersion: Int { resourceVersion }

    static func key(_ namespace: String, _ name: String) -> String { namespace + "/" + name }

    // MARK: Reads

    /// The stored object.
    ///
    /// - Throws: `EmulatorError` `.notFound`.
    package func get(_ type: ResourceType, namespace: String, name: String) throws(EmulatorError) -> Value {
        guard let object = objects[type.groupResource]?[Self.key(namespace, name)] else {
            throw .notFound(type.groupResource, name)
        }
        return Self.presented(object, as: type)
    }

    /// A page of the objects a selection picks, in namespace/name order.
    ///
    /// - Throws: `EmulatorError` `.badRequest` for a malformed continue token.
    package func list(_ type: ResourceType, selection: Selection, limit: Int?, continueToken: String?)
        throws(EmulatorError) -> ListResult
    {
        let (keys, result) = try page(type, selection: selection, limit: limit, continueToken: continueToken)
        let bucket = objects[type.groupResource] ?? [:]
        var list = result
        list.items = keys.compactMap { bucket[$0].map { Self.presented($0, as: type) } }
        return list
    }

    /// A page of a list as its JSON `items`, joined with commas: each
    /// object's encoding is kept from when it was stored, so a list of
    /// 20,000 objects is a copy rather than 20,000 encodings. Built-in items
    /// carry no kind or apiVersion, as in the API server's typed lists.
    ///
    /// - Throws: `EmulatorError` `.badRequest` for a malformed continue token.
    func listJSON(_ type: ResourceType, selection: Selection, limit: Int?, continueToken: String?)
        throws(EmulatorError) -> (items: [UInt8], page: ListResult)
    {
        let (keys, result) = try page(type, selection: selection, limit: limit, continueToken: continueToken)
        let bucket = objects[type.groupResource] ?? [:]
        var items: [UInt8] = []
        for key in keys {
            guard let object = bucket[key] else { continue }
            if !items.isEmpty { items.append(UInt8(ascii: ",")) }
            if let cached = encodedItems[type.groupResource]?[key] {
                items += cached
            } else {
                items += Self.listItemJSON(object, type: type)
            }
        }
        return (items, result)
    }

    /// The keys of the objects a page selects, in order, and its list metadata.
    private func page(_ type: ResourceType, selection: Selection, limit: Int?, continueToken: String?)
        throws(EmulatorError) -> ([String], ListResult)
    {
        var after = ""
        var listVersion = resourceVersion
        if let continueToken, !continueToken.isEmpty {
            guard let data = Data(base64Encoded: continueToken), let text = String(data: data, encoding: .utf8),
                  let slash = text.firstIndex(of: "|"), let rv = Int(text[..<slash])
            else { throw .badRequest("continue key is not valid: illegal base64 data") }
            listVersion = rv
            after = String(text[text.index(after: slash)...])
        }
        let bucket = objects[type.groupResource] ?? [:]
        var keys = sortedKeys(type.groupResource)[...]
        if !after.isEmpty {
            // Binary search for the first key after the continue token's.
            var low = keys.startIndex, high = keys.endIndex
            while low < high {
                let mid = (low + high) / 2
                if keys[mid] <= after { low = mid + 1 } else { high = mid }
            }
            keys = keys[low...]
        }
        var selected: [String] = []
        var remaining = 0
        for key in keys {
            guard let object = bucket[key], selection.matches(object) else { continue }
            if let limit, limit > 0, selected.count >= limit {
                remaining += 1
                continue
            }
            selected.append(key)
        }
        var result = ListResult(items: [], resourceVersion: listVersion)
        if remaining > 0, let lastKey = selected.last {
            result.continueToken = Data("\(listVersion)|\(lastKey)".utf8).base64EncodedString()
            result.remainingItemCount = remaining
        }
        return (selected, result)
    }

    /// An object as an item of its list, encoded.
    private static func listItemJSON(_ object: Value, type: ResourceType) -> [UInt8] {
        var item = presented(object, as: type)
        if type.builtIn {
            item.remove("kind")
            item.remove("apiVersion")
        }
        return (try? JSONEncoding().bytes(item)) ?? []
    }

    // MARK: Writes

    /// Stores a new object.
    ///
    /// - Throws: `EmulatorError` `.alreadyExists`, `.notFound` for a missing
    ///   namespace, `.badRequest` or `.invalid` for a malformed body.
    package func create(_ type: ResourceType, namespace: String, body: Value, dryRun: Bool,
                        manager: String = "") throws(EmulatorError) -> Value {
        try checkJournal()
        var object = try prepareCreate(type, namespace: namespace, body: body)
        if !manager.isEmpty {
            let fields = FieldManager(type: type, manager: manager, subresource: "", now: FieldManager.timestamp())
            let entries = fields.update(old: nil, new: object, prior: fields.priorEntries(current: nil, body: body))
            object[at: ["metadata", "managedFields"]] = entries.isEmpty ? nil : .list(entries.map(\.value))
        }
        if dryRun { return Self.presented(object, as: type) }
        return try createObject(type, namespace: namespace, body: object, prepared: true)
    }

    @discardableResult
    private func createObject(_ type: ResourceType, namespace: String, body: Value, prepared: Bool = false)
        throws(EmulatorError) -> Value
    {
        var object = prepared ? body : try prepareCreate(type, namespace: namespace, body: body)
        let name = object[at: ["metadata", "name"]]?.stringValue ?? ""
        if type.groupResource == Self.crds {
            try registry.register(crd: object)
        }
        resourceVersion += 1
        object[at: ["metadata", "resourceVersion"]] = .string(String(resourceVersion))
        put(type.groupResource, Self.key(namespace, name), object)
        record(WatchEvent(kind: .added, resource: type.groupResource, namespace: namespace, name: name,
                          object: Self.presented(object, as: type), previous: nil, resourceVersion: resourceVersion))
        return Self.presented(object, as: type)
    }

    private func prepareCreate(_ type: ResourceType, namespace: String, body: Value) throws(EmulatorError) -> Value {
        guard case .map = body else { throw .badRequest("the body of the request must be a JSON object") }
        var object = body
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        var name = object[at: ["metadata", "name"]]?.stringValue ?? ""
        if name.isEmpty, let prefix = object[at: ["metadata", "generateName"]]?.stringValue, !prefix.isEmpty {
            name = prefix + Self.randomSuffix()
            object[at: ["metadata", "name"]] = .string(name)
        }
        guard !name.isEmpty else {
            throw .invalid(type.groupResource, kind: type.kind, "", "metadata.name: Required value: name or generateName is required")
        }
        try checkNamespace(type, requested: namespace, in: &object)
        guard objects[type.groupResource]?[Self.key(namespace, name)] == nil else {
            throw .alreadyExists(type.groupResource, name)
        }
        object[at: ["metadata", "uid"]] = .string(Self.newUID())
        object[at: ["metadata", "creationTimestamp"]] = .string(FieldManager.timestamp())
        if object["spec"] != nil || !type.builtIn {
            object[at: ["metadata", "generation"]] = 1
        }
        for field in ["deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion", "selfLink"] {
            object[at: ["metadata"]]?.remove(field)
        }
        if type.subresources.contains(.status), type.groupResource != Self.namespaces {
            object.remove("status")
        }
        if type.builtIn {
            Defaulting.apply(to: &object, kind: type.kind, group: type.group)
            if type.groupResource == Self.services { allocateAddresses(&object, current: nil) }
        }
        var causes = Validation.causes(object, type: type, old: nil)
        if let schema = type.schema { causes += Self.applySchema(&object, schema) }
        if !causes.isEmpty { throw Validation.error(causes, type: type, name: name) }
        if type.groupResource == Self.namespaces {
            object[at: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
            object[at: ["spec", "finalizers"]] = ["kubernetes"]
            object[at: ["status", "phase"]] = "Active"
        }
        return Self.canonical(object)
    }

    /// Checks the body's namespace against the URL's and that the namespace exists.
    private func checkNamespace(_ type: ResourceType, requested namespace: String, in object: inout Value)
        throws(EmulatorError)
    {
        let bodyNamespace = object[at: ["metadata", "namespace"]]?.stringValue ?? ""
        guard type.namespaced else {
            object[at: ["metadata"]]?.remove("namespace")
            return
        }
        if !bodyNamespace.isEmpty, bodyNamespace != namespace {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        object[at: ["metadata", "namespace"]] = .string(namespace)
        guard objects[Self.namespaces]?[Self.key("", namespace)] != nil else {
            throw .notFound(Self.namespaces, namespace)
        }
    }

    /// Replaces a stored object (PUT), or only its status when `subresource` is `.status`.
    ///
    /// - Throws: `EmulatorError` `.notFound`, `.conflict` when the body's
    ///   resourceVersion is stale, `.badRequest` when names disagree.
    package func update(_ type: ResourceType, namespace: String, name: String, body: Value,
                        subresource: ResourceType.Subresource?, dryRun: Bool,
                        manager: String = "") throws(EmulatorError) -> Value
    {
        let bodyName = body[at: ["metadata", "name"]]?.stringValue ?? ""
        if !bodyName.isEmpty, bodyName != name {
            throw .badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        guard let current = objects[type.groupResource]?[Self.key(namespace, name)] else {
            throw .notFound(type.groupResource, name)
        }
        if let rv = body[at: ["metadata", "resourceVersion"]]?.stringValue, !rv.isEmpty,
           rv != current[at: ["metadata", "resourceVersion"]]?.stringValue {
            throw .conflict(type.groupResource, name)
        }
        return try replace(type, namespace: namespace, name: name, current: current, with: body,
                           subresource: subresource, dryRun: dryRun, manager: manager)
    }

    /// Applies `transform` to the stored object and stores the result, in one step.
    ///
    /// - Throws: `EmulatorError` `.notFound`, or whatever `transform` throws.
    package func modify(_ type: ResourceType, namespace: String, name: String,
                        subresource: ResourceType.Subresource?, dryRun: Bool, manager: String = "",
                        _ transform: (Value) throws(EmulatorError) -> Value) throws(EmulatorError) -> Value
    {
        guard let current = objects[type.groupResource]?[Self.key(namespace, name)] else {
            throw .notFound(type.groupResource, name)
        }
        let updated = try transform(Self.presented(current, as: type))
        if let rv = updated[at: ["metadata", "resourceVersion"]]?.stringValue, !rv.isEmpty,
           rv != current[at: ["metadata", "resourceVersion"]]?.stringValue {
            throw .conflict(type.groupResource, name)
        }
        let bodyName = updated[at: ["metadata", "name"]]?.stringValue ?? name
        guard bodyName == name else {
            throw .badRequest("metadata.name: Invalid value: \"\(bodyName)\": field is immutable")
        }
        return try replace(type, namespace: namespace, name: name, current: current, with: updated,
                           subresource: subresource, dryRun: dryRun, manager: manager)
    }

    /// Server-side apply: merges `config` into the stored object (or
    /// creates it) and records `manager`'s ownership of the fields it sets.
    ///
    /// An apply that changes nothing writes nothing and keeps the resourceVersion.
    ///
    /// - Returns: the stored object and whether it was created.
    /// - Throws: `EmulatorError` `.conflict` for fields another manager owns
    ///   (unless `force`) or a stale resourceVersion in `config`, and the
    ///   errors of `create`.
    package func apply(_ type: ResourceType, namespace: String, name: String, config: Value, manager: String,
                       force: Bool, dryRun: Bool) throws(EmulatorError) -> (Value, created: Bool)
    {
        let fields = FieldManager(type: type, manager: manager, subresource: "", now: FieldManager.timestamp())
        var config = config
        config["apiVersion"] = .string(type.apiVersion)
        config["kind"] = .string(type.kind)
        guard let current = objects[type.groupResource]?[Self.key(namespace, name)] else {
            var object = try fields.apply(config, to: nil, force: force)
            object[at: ["metadata", "name"]] = .string(name)
            return (try create(type, namespace: namespace, body: object, dryRun: dryRun), true)
        }
        if let rv = config[at: ["metadata", "resourceVersion"]]?.stringValue, !rv.isEmpty,
           rv != current[at: ["metadata", "resourceVersion"]]?.stringValue {
            throw .conflict(type.groupResource, name)
        }
        let merged = try fields.apply(config, to: Self.presented(current, as: type), force: force)
        return (try replace(type, namespace: namespace, name: name, current: current, with: merged,
                            subresource: nil, dryRun: dryRun), false)
    }

    func replace(_ type: ResourceType, namespace: String, name: String, current: Value, with body: Value,
                         subresource: ResourceType.Subresource?, dryRun: Bool, manager: String = "")
        throws(EmulatorError) -> Value
    {
        try checkJournal()
        guard case .map = body else { throw .badRequest("the body of the request must be a JSON object") }
        var object = body
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        object[at: ["metadata", "name"]] = .string(name)
        if type.namespaced { object[at: ["metadata", "namespace"]] = .string(namespace) }
        else { object[at: ["metadata"]]?.remove("namespace") }
        if subresource == .status {
            var merged = current
            merged["status"] = object["status"]
            object = merged
        } else if type.subresources.contains(.status) {
            object["status"] = current["status"]
        }
        for field in ["uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds"] {
            object[at: ["metadata", field]] = current[at: ["metadata", field]]
        }
        object[at: ["metadata", "resourceVersion"]] = current[at: ["metadata", "resourceVersion"]]
        if current[at: ["metadata", "deletionTimestamp"]] != nil {
            let old = Set((current[at: ["metadata", "finalizers"]]?.listValue ?? []).compactMap(\.stringValue))
            let added = (object[at: ["metadata", "finalizers"]]?.listValue ?? []).compactMap(\.stringValue).filter { !old.contains($0) }
            if !added.isEmpty {
                throw .invalid(type.groupResource, kind: type.kind, name,
                    "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\(added.map { "\"\($0)\"" }.joined(separator: ", "))}")
            }
        }
        if type.builtIn, subresource == nil {
            Defaulting.apply(to: &object, kind: type.kind, group: type.group)
            if type.groupResource == Self.services { allocateAddresses(&object, current: current) }
            let causes = Validation.causes(object, type: type, old: current)
            if !causes.isEmpty { throw Validation.error(causes, type: type, name: name) }
        } else if let schema = type.schema {
            let causes = Self.applySchema(&object, schema)
            if !causes.isEmpty { throw Validation.error(causes, type: type, name: name) }
        }
        object = Self.canonical(object.removingNulls(inMetadata: true))
        if !manager.isEmpty {
            let fields = FieldManager(type: type, manager: manager, subresource: subresource?.rawValue ?? "",
                                      now: FieldManager.timestamp())
            let entries = fields.update(old: current, new: object, prior: fields.priorEntries(current: current, body: body))
            object[at: ["metadata", "managedFields"]] = entries.isEmpty ? nil : .list(entries.map(\.value))
            object = Self.canonical(object)
        }
        if Self.specChanged(from: current, to: object), let generation = current[at: ["metadata", "generation"]]?.intValue {
            object[at: ["metadata", "generation"]] = .int(generation + 1)
        }
        if object == current { return Self.presented(current, as: type) }
        if dryRun { return Self.presented(object, as: type) }
        let finalizers = object[at: ["metadata", "finalizers"]]?.listValue ?? []
        if object[at: ["metadata", "deletionTimestamp"]] != nil, finalizers.isEmpty {
            return remove(type, namespace: namespace, name: name, last: object)
        }
        if type.groupResource == Self.crds { try registry.register(crd: object) }
        resourceVersion += 1
        object[at: ["metadata", "resourceVersion"]] = .string(String(resourceVersion))
        put(type.groupResource, Self.key(namespace, name), object)
        record(WatchEvent(kind: .modified, resource: type.groupResource, namespace: namespace, name: name,
                          object: Self.presented(object, as: type), previous: Self.presented(current, as: type),
                          resourceVersion: resourceVersion))
        return Self.presented(object, as: type)
    }

    /// Gives a Service its cluster IP (from 10.96.0.0/12, as kubeadm's
    /// default range), IP family fields and node ports, keeping the ones it
    /// already has on update: clients that omit them (kubectl replace) keep
    /// them, as with the API server.
    private func allocateAddresses(_ object: inout Value, current: Value?) {
        let type = object[at: ["spec", "type"]]?.stringValue ?? "ClusterIP"
        guard type != "ExternalName" else { return }
        var ip = object[at: ["spec", "clusterIP"]]?.stringValue ?? ""
        if ip.isEmpty, let kept = current?[path: ["spec", "clusterIP"]]?.stringValue { ip = kept }
        if ip.isEmpty {
            var n = 10
            while allocatedIPs.contains("10.96.\(n / 256).\(n % 256)") { n += 1 }
            ip = "10.96.\(n / 256).\(n % 256)"
        }
        if ip != "None" { allocatedIPs.insert(ip) }
        object[at: ["spec", "clusterIP"]] = .string(ip)
        object[at: ["spec", "clusterIPs"]] = [.string(ip)]
        if object[at: ["spec", "ipFamilies"]] == nil { object[at: ["spec", "ipFamilies"]] = ["IPv4"] }
        if object[at: ["spec", "ipFamilyPolicy"]] == nil { object[at: ["spec", "ipFamilyPolicy"]] = "SingleStack" }
        guard type == "NodePort" || type == "LoadBalancer", case .list(var ports)? = object[at: ["spec", "ports"]] else { return }
        let old = current?[path: ["spec", "ports"]]?.listValue ?? []
        for index in ports.indices where ports[index]["nodePort"] == nil {
            if let kept = old.first(where: { $0["port"] == ports[index]["port"] })?["nodePort"] {
                ports[index]["nodePort"] = kept
                continue
            }
            var port = 30000
            while allocatedNodePorts.contains(port), port < 32767 { port += 1 }
            allocatedNodePorts.insert(port)
            ports[index]["nodePort"] = .int(port)
        }
        object[at: ["spec", "ports"]] = .list(ports)
    }

    // MARK: Watch

    /// Starts a watch: replays what the client missed since `resourceVersion`
    /// (or, without one, sends every current object as ADDED), then streams
    /// live changes into `continuation` until it finishes.
    ///
    /// A `resourceVersion` older than the retained history is not thrown:
    /// like the API server, the stream gets one ERROR message (410 Expired)
    /// and finishes, and the watch is not registered.
    ///
    /// - Returns: an id for `endWatch`, or `nil` when the stream already finished.
    /// - Throws: `EmulatorError` `.badRequest` for a malformed resourceVersion.
    package func startWatch(_ type: ResourceType, selection: Selection, resourceVersion requested: String?,
                            continuation: AsyncStream<WatchMessage>.Continuation) throws(EmulatorError) -> Int?
    {
        if let requested, !requested.isEmpty, requested != "0" {
            guard let since = Int(requested) else {
                throw .badRequest("invalid resource version: \(requested)")
            }
            if since < compactedVersion {
                continuation.yield(.error(EmulatorError(.gone, "too old resource version: \(since) (\(compactedVersion + 1))")))
                continuation.finish()
                return nil
            }
            for event in history[historyStart...] where event.resourceVersion > since {
                if let message = selection.message(for: event) { continuation.yield(message) }
            }
        } else {
            let bucket = objects[type.groupResource] ?? [:]
            for key in bucket.keys.sorted() {
                guard let object = bucket[key], selection.matches(object) else { continue }
                continuation.yield(.event(type: "ADDED", object: Self.presented(object, as: type)))
            }
        }
        nextWatcherID += 1
        watchers[nextWatcherID] = (selection, continuation)
        return nextWatcherID
    }

    /// Stops delivering to a watch.
    package func endWatch(_ id: Int) {
        watchers[id]?.continuation.finish()
        watchers[id] = nil
    }

    /// Ends every open watch, for server shutdown or an injected fault.
    ///
    /// - Returns: how many watches were open.
    @discardableResult
    package func endAllWatches() -> Int {
        let count = watchers.count
        for (_, watcher) in watchers { watcher.continuation.finish() }
        watchers = [:]
        return count
    }

    func record(_ event: WatchEvent) {
        history.append(event)
        let retained = history.count - historyStart
        if retained > options.watchHistoryLimit {
            // Drop from the front by moving `historyStart`, and shift the array only once
            // a quarter of the limit has been dropped: removing one event at a time
            // moved the whole history on every write once it was full.
            historyStart += retained - options.watchHistoryLimit
            compactedVersion = history[historyStart - 1].resourceVersion
            if historyStart > options.watchHistoryLimit / 4 {
                history.removeFirst(historyStart)
                historyStart = 0
            }
        }
        for (_, watcher) in watchers {
            if let message = watcher.selection.message(for: event) { watcher.continuation.yield(message) }
        }
        if event.kind != .deleted {
            for (_, listener) in listeners where listener.resources.contains(event.resource) {
                listener.continuation.yield(ObjectKey(resource: event.resource, namespace: event.namespace, name: event.name))
            }
        }
    }

    // MARK: Persistence

    /// Stores (or, with nil, removes) an object at the current
    /// resourceVersion, in memory and in the state journal.
    /// The keys of a resource in order, cached until one is added or removed.
    private func sortedKeys(_ resource: GroupResource) -> [String] {
        if let keys = keyOrder[resource] { return keys }
        let keys = (objects[resource] ?? [:]).keys.sorted()
        keyOrder[resource] = keys
        return keys
    }

    func put(_ resource: GroupResource, _ key: String, _ object: Value?) {
        let previous = objects[resource]?[key]
        objects[resource, default: [:]][key] = object
        if let object, let type = registry.type(for: resource) {
            encodedItems[resource, default: [:]][key] = Self.listItemJSON(object, type: type)
        } else {
            encodedItems[resource]?[key] = nil
        }
        switch (previous, object) {
        case (.none, .some), (.some, .none): keyOrder[resource] = nil
        default: break
        }
        index(ObjectKey(resource: resource, key: key), old: previous, new: object)
        guard let journal, journalFailure == nil else { return }
        do {
            if try journal.append(rv: resourceVersion, resource: resource, key: key, object: object) {
                try journal.compact(StateJournal.State(resourceVersion: resourceVersion, objects: objects))
            }
        } catch {
            journalFailure = error
        }
    }

    /// Refuses writes once the state directory has failed: memory and disk
    /// would part.
    func checkJournal() throws(EmulatorError) {
        if let journalFailure {
            throw EmulatorError(.internalError,
                "the emulator's state directory failed (\(journalFailure.message)); restart the emulator once it is fixed")
        }
    }

    /// Makes the store durable in `directory`: restores the objects it
    /// holds (replacing the built-in namespaces) and journals every change
    /// from now on. Watch history starts empty, so older resourceVersions
    /// get 410 Gone.
    ///
    /// - Throws: `EmulatorError` `.configuration` when the directory cannot be used.
    package func persist(in directory: String) throws(EmulatorError) {
        let journal = try StateJournal(directory: URL(fileURLWithPath: directory))
        if let state = try journal.restore() {
            objects = state.objects
            keyOrder = [:]
            encodedItems = [:]
            byUID = [:]
            dependents = [:]
            for (resource, bucket) in objects {
                for (key, object) in bucket { index(ObjectKey(resource: resource, key: key), old: nil, new: object) }
            }
            resourceVersion = max(state.resourceVersion, resourceVersion)
            compactedVersion = resourceVersion
            history = []
            historyStart = 0
            registry = ResourceRegistry()
            for crd in (objects[Self.crds] ?? [:]).values { try? registry.register(crd: crd) }
            for service in (objects[Self.services] ?? [:]).values {
                if let ip = service[path: ["spec", "clusterIP"]]?.stringValue, ip != "None" { allocatedIPs.insert(ip) }
                for port in service[path: ["spec", "ports"]]?.listValue ?? [] {
                    if let nodePort = port["nodePort"]?.intValue { allocatedNodePorts.insert(nodePort) }
                }
            }
        }
        try journal.compact(StateJournal.State(resourceVersion: resourceVersion, objects: objects))
        self.journal = journal
    }

    // MARK: Controllers

    /// Reports every object of `resources` that is created or changed from
    /// now on, for the simulated controllers.
    ///
    /// - Returns: an id for `stopListening` and the stream of changed objects.
    func listen(to resources: Set<GroupResource>) -> (id: Int, changes: AsyncStream<ObjectKey>) {
        let (stream, continuation) = AsyncStream.makeStream(of: ObjectKey.self)
        nextWatcherID += 1
        listeners[nextWatcherID] = (resources, continuation)
        return (nextWatcherID, stream)
    }

    func stopListening(_ id: Int) {
        listeners[id]?.continuation.finish()
        listeners[id] = nil
    }

    /// Writes the status the controllers would report for an object, as
    /// `kube-controller-manager` through its status subresource; writes
    /// nothing when the status is already that, or the object is gone or
    /// being deleted.
    ///
    /// - Returns: when to look again (a pod in its grace period), or nil.
    func reconcile(_ key: ObjectKey) -> Duration? {
        if key.resource == Self.pods { return finishGracefulDeletion(key) }
        reconcileStatus(key)
        return nil
    }

    private func reconcileStatus(_ key: ObjectKey) {
        guard let type = registry.type(for: key.resource),
              let current = objects[key.resource]?[Self.key(key.namespace, key.name)],
              current[path: ["metadata", "deletionTimestamp"]] == nil
        else { return }
        let nodes = objects[Self.nodes]?.count ?? 0
        let cluster = SimulatedStatus.Cluster(nodes: max(nodes, 1), now: FieldManager.timestamp())
        guard let status = SimulatedStatus.desired(current, resource: key.resource, cluster: cluster),
              status != current["status"]
        else { return }
        var body = current
        body["status"] = status
        // Cannot fail: same object, status only, no resourceVersion check.
        _ = try? replace(type, namespace: key.namespace, name: key.name, current: current, with: body,
                         subresource: .status, dryRun: false, manager: "kube-controller-manager")
    }

    // MARK: Helpers

    /// The object as served at `type`'s version.
    static func presented(_ object: Value, as type: ResourceType) -> Value {
        var object = object
        object["apiVersion"] = .string(type.apiVersion)
        return object
    }

    private static func specChanged(from old: Value, to new: Value) -> Bool {
        var a = old, b = new
        for field in ["metadata", "status", "apiVersion", "kind"] { a.remove(field); b.remove(field) }
        return a != b
    }

    private static let metadataOrder = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
        "ownerReferences", "finalizers", "managedFields",
    ]

    /// Orders keys the way the API server's Go structs serialise them:
    /// kind, apiVersion, metadata first, and metadata fields in ObjectMeta order.
    static func canonical(_ object: Value) -> Value {
        guard case .map(let map) = object else { return object }
        var result = OrderedMap()
        for key in ["kind", "apiVersion"] { if let v = map[key] { result[key] = v } }
        if case .map(let metadata)? = map["metadata"] {
            var ordered = OrderedMap()
            for key in metadataOrder { if let v = metadata[key] { ordered[key] = v } }
            for entry in metadata where ordered[entry.key] == nil { ordered[entry.key] = entry.value }
            result["metadata"] = .map(ordered)
        }
        for entry in map where result[entry.key] == nil { result[entry.key] = entry.value }
        return .map(result)
    }

    /// A random (version 4) UUID in lowercase, as the API server's `metadata.uid`.
    /// Foundation's `UUID()` opens and reads `/dev/urandom` on every call on Linux, which
    /// was about 4% of the emulator's CPU per create; `SystemRandomNumberGenerator` is the
    /// `getrandom` system call.
    static func newUID() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        var bytes = (0..<16).map { index in UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> (UInt64(index % 8) * 8)) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { Hex.encode(bytes[$0]) }.joined(separator: "-")
    }

    private static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement() ?? "x" })
    }
}

extension Value {
    /// Removes a key when this is a map.
    mutating func remove(_ key: String) {
        guard case .map(var map) = self else { return }
        _ = map.removeValue(forKey: key)
        self = .map(map)
    }

    /// Reads or writes the value at a path of map keys, creating maps on the way.
    subscript(at path: [String]) -> Value? {
        get { self[path: path] }
        set {
            guard let first = path.first else { return }
            if path.count == 1 {
                var map = mapValue ?? OrderedMap()
                map[first] = newValue
                self = .map(map)
                return
            }
            var child = self[first] ?? .map(OrderedMap())
            child[at: Array(path.dropFirst())] = newValue
            self[first] = child
        }
    }

    /// Drops null labels and annotations, which a merge patch uses to delete them.
    func removingNulls(inMetadata: Bool) -> Value {
        var object = self
        for field in ["labels", "annotations"] {
            guard case .map(let map)? = object[at: ["metadata", field]] else { continue }
            object[at: ["metadata", field]] = .map(OrderedMap(map.entries.filter { !$0.value.isNull }.map { ($0.key, $0.value) }))
        }
        return object
    }
}

extension ObjectStore {
    /// A custom resource's structural schema: prune, default, then validate.
    /// - Returns: the validation failures.
    static func applySchema(_ object: inout Value, _ schema: Value) -> [EmulatorError.Cause] {
        _ = CustomResourceSchema.prune(&object, schema: schema)
        CustomResourceSchema.applyDefaults(&object, schema: schema)
        return CustomResourceSchema.causes(object, schema: schema)
    }
}
