import Hummingbird
import TetherModel
import TetherPatch

extension EmulatorResponder {
    /// The `scale` subresource: an `autoscaling/v1` Scale view of
    /// `spec.replicas`. Reads build the view; PUT and PATCH change the view
    /// and write its `spec.replicas` back, recorded under the request's
    /// manager with `subresource: scale`.
    func scale(_ call: ResourceRequest, verb: String, http request: Request) async throws -> Response {
        let current = try await store.get(call.type, namespace: call.namespace, name: call.name)
        let view = Self.scaleView(of: current, type: call.type)
        var replicas: Int
        switch verb {
        case "get":
            return Self.json(view)
        case "update":
            let body = try await Self.body(of: request)
            if let rv = body[path: ["metadata", "resourceVersion"]]?.stringValue, !rv.isEmpty,
               rv != current[path: ["metadata", "resourceVersion"]]?.stringValue {
                throw EmulatorError.conflict(call.type.groupResource, call.name)
            }
            replicas = try Self.replicas(in: body, call)
        case "patch":
            let contentType = request.headers[.contentType].map(Self.mediaType) ?? ""
            let patch = try Self.parseJSON(try await Self.bytes(of: request))
            let patched: Value
            do {
                switch contentType {
                case "application/json-patch+json": patched = try JSONPatch(operations: patch).apply(to: view)
                case "application/merge-patch+json", "application/strategic-merge-patch+json":
                    patched = MergePatch.apply(patch, to: view)
                default: throw Self.unsupportedPatch(call.type)
                }
            } catch let error as EmulatorError {
                throw error
            } catch {
                throw EmulatorError(.invalid, "\(error)", cause: error)
            }
            replicas = try Self.replicas(in: patched, call)
        default:
            throw EmulatorError(.methodNotAllowed, "the server does not allow this method on the requested resource")
        }
        let updated = try await store.modify(call.type, namespace: call.namespace, name: call.name, subresource: .scale,
                                             dryRun: call.dryRun, manager: call.manager) { object throws(EmulatorError) in
            var object = object
            object[at: call.type.scalePaths?.specReplicas ?? ["spec", "replicas"]] = .int(replicas)
            return object
        }
        return Self.json(Self.scaleView(of: updated, type: call.type))
    }

    static func replicas(in scale: Value, _ call: ResourceRequest) throws(EmulatorError) -> Int {
        guard let replicas = scale[path: ["spec", "replicas"]]?.intValue else {
            throw EmulatorError.invalid(GroupResource(group: "autoscaling", resource: "scale"), kind: "Scale", call.name,
                                        "spec.replicas: Required value")
        }
        guard replicas >= 0 else {
            throw EmulatorError.invalid(GroupResource(group: "autoscaling", resource: "scale"), kind: "Scale", call.name,
                                        "spec.replicas: Invalid value: \(replicas): must be greater than or equal to 0")
        }
        return replicas
    }

    /// The Scale object for a Deployment, StatefulSet or ReplicaSet (its
    /// `spec.selector` as the selector), or for a custom resource from its
    /// CRD's `specReplicasPath`, `statusReplicasPath` and `labelSelectorPath`
    /// (apiextensions-apiserver's scaleFromCustomResource: missing replicas are 0,
    /// the selector is the string stored at that path).
    static func scaleView(of object: Value, type: ResourceType) -> Value {
        var metadata = OrderedMap()
        for key in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            if let v = object[path: ["metadata", key]] { metadata[key] = v }
        }
        let specReplicas: Int
        var status = OrderedMap()
        if let paths = type.scalePaths {
            specReplicas = object[path: paths.specReplicas]?.intValue ?? 0
            status["replicas"] = .int(object[path: paths.statusReplicas]?.intValue ?? 0)
            if let path = paths.labelSelector, let selector = object[path: path]?.stringValue, !selector.isEmpty {
                status["selector"] = .string(selector)
            }
        } else {
            specReplicas = object[path: ["spec", "replicas"]]?.intValue ?? 1
            status["replicas"] = .int(object[path: ["status", "replicas"]]?.intValue ?? 0)
            if let selector = object[path: ["spec", "selector"]].map(Self.selectorText), !selector.isEmpty {
                status["selector"] = .string(selector)
            }
        }
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .map(metadata),
            "spec": ["replicas": .int(specReplicas)],
            "status": .map(status),
        ]
    }

    /// A metav1.LabelSelector as `LabelSelectorAsSelector(...).String()` writes
    /// it: requirements sorted by key, `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
    static func selectorText(_ selector: Value) -> String {
        var terms: [(key: String, text: String)] = []
        for entry in selector["matchLabels"]?.mapValue?.entries ?? [] {
            terms.append((entry.key, "\(entry.key)=\(entry.value.scalarText ?? "")"))
        }
        for expression in selector["matchExpressions"]?.listValue ?? [] {
            guard let key = expression["key"]?.stringValue else { continue }
            let values = (expression["values"]?.listValue ?? []).compactMap(\.scalarText).sorted().joined(separator: ",")
            switch expression["operator"]?.stringValue {
            case "In": terms.append((key, "\(key) in (\(values))"))
            case "NotIn": terms.append((key, "\(key) notin (\(values))"))
            case "Exists": terms.append((key, key))
            case "DoesNotExist": terms.append((key, "!" + key))
            default: continue
            }
        }
        return terms.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
            .map(\.element.text).joined(separator: ",")
    }
}
