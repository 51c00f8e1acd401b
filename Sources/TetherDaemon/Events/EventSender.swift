import Foundation
import Logging
import TetherKube
import TetherModel

/// Writes the correlator's decisions as core `v1` Events, one at a time: a new Event is
/// created, a repeated one is merge-patched (`count`, `lastTimestamp`, `message`) and
/// re-created if it expired meanwhile. The involved object's uid is read when the event
/// does not carry it (`kubectl describe` selects events by uid).
actor EventSender {
    let client: KubeClient
    let component: String
    let instance: String
    let logger: Logger
    /// uids read, by `apiVersion/kind/namespace/name`; a lookup that found nothing is
    /// not kept (the object may be created later).
    private var uids: [String: String] = [:]

    init(client: KubeClient, component: String, instance: String, logger: Logger) {
        self.client = client
        self.component = component
        self.instance = instance
        self.logger = logger
    }

    func send(_ decision: EventCorrelator.Decision) async {
        do {
            switch decision {
            case .create(let name, let event, let count, let first, let last):
                try await create(name: name, event: event, count: count, first: first, last: last)
            case .update(let name, let event, let count, let first, let last):
                let body: Value = ["count": .int(count), "lastTimestamp": .string(Self.time(last)), "message": .string(Self.clip(event.message))]
                do {
                    _ = try await client.patch(GroupVersionKind(group: "", version: "v1", kind: "Event"), name: name,
                                               namespace: Self.namespace(of: event), patch: Patch(.merge, body))
                } catch where error.code == .notFound {
                    try await create(name: name, event: event, count: count, first: first, last: last)
                }
            case .dropped:
                return
            }
        } catch {
            logger.warning("cannot record a Kubernetes Event", metadata: ["error": "\(error)"])
        }
    }

    private func create(name: String, event: EventCorrelator.Event, count: Int, first: Date, last: Date) async throws(KubeError) {
        var involved = OrderedMap()
        involved["apiVersion"] = .string(event.object.apiVersion)
        involved["kind"] = .string(event.object.kind)
        involved["name"] = .string(event.object.name)
        if !event.object.namespace.isEmpty { involved["namespace"] = .string(event.object.namespace) }
        if let uid = await uid(of: event.object) { involved["uid"] = .string(uid) }
        var metadata = OrderedMap()
        metadata["name"] = .string(name)
        metadata["namespace"] = .string(Self.namespace(of: event))
        if let revision = event.revision { metadata["annotations"] = ["tether.dev/revision": .string(revision)] }
        let object: Value = [
            "apiVersion": "v1", "kind": "Event", "metadata": .map(metadata), "involvedObject": .map(involved),
            "reason": .string(event.reason), "message": .string(Self.clip(event.message)), "type": .string(event.type.rawValue),
            "action": .string(event.action), "source": ["component": .string(component)],
            "reportingComponent": .string(component), "reportingInstance": .string(instance),
            "firstTimestamp": .string(Self.time(first)), "lastTimestamp": .string(Self.time(last)), "count": .int(count),
        ]
        _ = try await client.create(Resource(unchecked: object))
    }

    private func uid(of object: EventCorrelator.Reference) async -> String? {
        if let uid = object.uid { return uid }
        let key = [object.apiVersion, object.kind, object.namespace, object.name].joined(separator: "/")
        if let uid = uids[key] { return uid }
        let gvk = GroupVersionKind(apiVersion: object.apiVersion, kind: object.kind)
        guard let live = try? await client.get(gvk, name: object.name, namespace: object.namespace.isEmpty ? nil : object.namespace),
              let uid = live.value[path: ["metadata", "uid"]]?.stringValue else { return nil }
        if uids.count > 4096 { uids.removeAll() }
        uids[key] = uid
        return uid
    }

    /// Events of cluster-scoped objects go to `default`, as client-go puts them.
    static func namespace(of event: EventCorrelator.Event) -> String {
        event.object.namespace.isEmpty ? "default" : event.object.namespace
    }

    /// RFC 3339 in whole seconds, as `metav1.Time` is written.
    static func time(_ date: Date) -> String { date.formatted(.iso8601) }

    /// The API server limits an Event's message to 1 KiB (it is cut the same way).
    static func clip(_ message: String) -> String { message.count > 1024 ? String(message.prefix(1021)) + "..." : message }
}
