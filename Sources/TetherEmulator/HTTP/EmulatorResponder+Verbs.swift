import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import TetherModel
import TetherPatch

extension EmulatorResponder {
    /// The Kubernetes verb for a request, as the API server's request-info resolver names it.
    static func verb(method: HTTPRequest.Method, target: APIPath.ResourcePath, query: QueryParameters,
                     contentType: String?) -> String {
        switch method {
        case .get, .head:
            if query.flag("watch") { return "watch" }
            return target.name == nil ? "list" : "get"
        case .post: return "create"
        case .put: return "update"
        case .patch:
            return contentType.map(mediaType) == "application/apply-patch+yaml" ? "apply" : "patch"
        case .delete: return target.name == nil ? "deletecollection" : "delete"
        default: return "unknown"
        }
    }

    /// The media type without parameters, lowercased.
    static func mediaType(_ contentType: String) -> String {
        // Clients send the bare lowercase type (`application/json`); it is looked at
        // several times per request, so skip splitting and case-folding when nothing would change.
        if !contentType.utf8.contains(where: { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: " ") || $0 == 0x09
                                               || ($0 >= 0x41 && $0 <= 0x5A) || $0 >= 0x80 }) {
            return contentType
        }
        return String(contentType.split(separator: ";").first ?? "").trimmed.lowercased()
    }

    func selection(_ call: ResourceRequest, allNamespaces: Bool) throws(EmulatorError) -> Selection {
        Selection(
            resource: call.type.groupResource,
            namespace: allNamespaces || !call.type.namespaced ? nil : call.namespace,
            labels: try LabelSelector(parsing: call.query["labelSelector"] ?? ""),
            fields: try FieldSelector(parsing: call.query["fieldSelector"] ?? "", type: call.type))
    }

    func list(_ call: ResourceRequest, allNamespaces: Bool) async throws -> Response {
        let selection = try selection(call, allNamespaces: allNamespaces)
        let limit = call.query["limit"].flatMap { Int($0) }
        if ResponseFormat.current == .table {
            return try await tableList(call, selection: selection, limit: limit)
        }
        let (items, page) = try await store.listJSON(call.type, selection: selection, limit: limit,
                                                     continueToken: call.query["continue"])
        var metadata = OrderedMap()
        metadata["resourceVersion"] = .string(String(page.resourceVersion))
        if let token = page.continueToken { metadata["continue"] = .string(token) }
        if let remaining = page.remainingItemCount { metadata["remainingItemCount"] = .int(remaining) }
        // The envelope is encoded with an empty items list, then the stored
        // items' JSON goes between its brackets.
        let envelope: Value = [
            "kind": .string(call.type.kind + "List"), "apiVersion": .string(call.type.apiVersion),
            "metadata": .map(metadata), "items": .list([]),
        ]
        var bytes = try JSONEncoding().bytes(envelope)
        guard bytes.count >= 2, bytes[bytes.count - 2] == UInt8(ascii: "]") else {
            throw EmulatorError(.internalError, "list envelope encoding did not end with the items list")
        }
        bytes.removeLast(2)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(bytes.count + items.count + 2)
        buffer.writeBytes(bytes)
        buffer.writeBytes(items)
        buffer.writeString("]}")
        if ResponseFormat.current == .protobuf {
            return Self.json(try Self.parseJSON(Array(buffer.readableBytesView)))
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }

    /// The request's DeleteOptions: its body, if any, and its query.
    func deleteOptions(_ call: ResourceRequest, http request: Request) async throws -> DeleteOptions {
        let raw = try await Self.bytes(of: request)
        let body = raw.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) ? nil
            : try Self.decodeBody(raw, contentType: request.headers[.contentType])
        return try DeleteOptions(body: body, propagationPolicy: call.query["propagationPolicy"],
                                 gracePeriodSeconds: call.query["gracePeriodSeconds"],
                                 orphanDependents: call.query["orphanDependents"], dryRun: call.dryRun)
    }

    /// DELETE of one object: 200 with a Success Status once it is gone (a
    /// Pod answers with its last state, as the API server's pod storage
    /// does), 202 with the object while finalizers, foreground dependents or
    /// a grace period keep it.
    func delete(_ call: ResourceRequest, http request: Request) async throws -> Response {
        let options = try await deleteOptions(call, http: request)
        let result = try await store.delete(call.type, namespace: call.namespace, name: call.name, options: options)
        guard result.removed else { return Self.json(result.object, status: 202) }
        if call.type.groupResource == ObjectStore.pods { return Self.json(result.object) }
        var details = OrderedMap()
        details["name"] = .string(call.name)
        if !call.type.group.isEmpty { details["group"] = .string(call.type.group) }
        details["kind"] = .string(call.type.plural)
        if let uid = result.object[path: ["metadata", "uid"]] { details["uid"] = uid }
        return Self.json(["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success",
                          "details": .map(details)])
    }

    func deleteCollection(_ call: ResourceRequest, allNamespaces: Bool, http request: Request) async throws -> Response {
        let options = try await deleteOptions(call, http: request)
        let selection = try selection(call, allNamespaces: allNamespaces)
        let page = try await store.list(call.type, selection: selection, limit: nil, continueToken: nil)
        var deleted: [Value] = []
        for item in page.items {
            let name = item[path: ["metadata", "name"]]?.stringValue ?? ""
            let namespace = item[path: ["metadata", "namespace"]]?.stringValue ?? ""
            // Another request may have deleted it since the list; that is not an error here.
            if let result = try? await store.delete(call.type, namespace: namespace, name: name, options: options) {
                deleted.append(result.object)
            }
        }
        return Self.json([
            "kind": .string(call.type.kind + "List"), "apiVersion": .string(call.type.apiVersion),
            "metadata": ["resourceVersion": .string(String(await store.currentResourceVersion))],
            "items": .list(deleted),
        ])
    }

    func patch(_ call: ResourceRequest, http request: Request) async throws -> Response {
        let contentType = request.headers[.contentType].map(Self.mediaType) ?? ""
        let raw = try await Self.bytes(of: request)
        let type = call.type
        let patchBody: Value
        switch contentType {
        case "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json":
            patchBody = try Self.parseJSON(raw)
        case "application/apply-patch+yaml":
            patchBody = try Self.parseYAML(raw)
        default:
            throw Self.unsupportedPatch(type)
        }
        if contentType == "application/strategic-merge-patch+json", !type.builtIn { throw Self.unsupportedPatch(type) }
        if contentType == "application/apply-patch+yaml" {
            return try await apply(call, patchBody)
        }
        let schema = PatchSchema.root(group: type.group, version: type.version, kind: type.kind)
        let validation = try FieldValidation(query: call.query["fieldValidation"])
        let warnings = Mutex<[String]>([])
        let object = try await store.modify(type, namespace: call.namespace, name: call.name,
                                            subresource: call.subresource, dryRun: call.dryRun,
                                            manager: call.manager) { current throws(EmulatorError) in
            var patched: Value
            do {
                switch contentType {
                case "application/json-patch+json":
                    patched = try JSONPatch(operations: patchBody).apply(to: current)
                case "application/merge-patch+json":
                    patched = MergePatch.apply(patchBody, to: current)
                default:
                    patched = try StrategicMergePatch.apply(patchBody, to: current, schema: schema, options: .kubernetes)
                }
            } catch {
                throw EmulatorError(.invalid, "\(error)", cause: error)
            }
            let found = try Self.checkFields(&patched, type, validation)
            warnings.withLock { $0 = found }
            return patched
        }
        return Self.warned(Self.json(object), warnings.withLock { $0 })
    }

    /// Drops the fields a built-in body's schema does not declare, as `validation` says.
    /// - Returns: the warnings to send (`unknown field "spec.bogus"`); none under Ignore.
    /// - Throws: `EmulatorError.badRequest` under Strict when there are any.
    static func checkFields(_ object: inout Value, _ type: ResourceType, _ validation: FieldValidation,
                            apply: Bool = false) throws(EmulatorError) -> [String] {
        let unknown: [String]
        if type.builtIn {
            unknown = FieldValidation.pruneUnknown(&object, root: PatchSchema.root(group: type.group, version: type.version,
                                                                                  kind: type.kind))
        } else if let schema = type.schema {
            unknown = CustomResourceSchema.prune(&object, schema: schema)
        } else {
            return []
        }
        guard !unknown.isEmpty else { return [] }
        switch validation {
        case .strict: throw apply ? FieldValidation.applyError(type, unknown: unknown) : FieldValidation.strictError(type, unknown: unknown)
        case .warn: return unknown.map { "unknown field \"\($0)\"" }
        case .ignore: return []
        }
    }

    /// `response` with one `Warning: 299 - "..."` header per warning, as the API server sends them.
    static func warned(_ response: Response, _ warnings: [String]) -> Response {
        guard !warnings.isEmpty, let name = HTTPField.Name("Warning") else { return response }
        var response = response
        for warning in warnings {
            let quoted = warning.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            response.headers.append(HTTPField(name: name, value: "299 - \"\(quoted)\""))
        }
        return response
    }

    static func unsupportedPatch(_ type: ResourceType) -> EmulatorError {
        let accepted = type.builtIn
            ? "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json"
            : "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
        return EmulatorError(.unsupportedMediaType,
            "the body of the request was in an unknown format - accepted media types include: \(accepted)")
    }

    // MARK: Bodies

    static func bytes(of request: Request) async throws -> [UInt8] {
        let buffer = try await request.body.collect(upTo: maxBodyBytes)
        return Array(buffer.readableBytesView)
    }

    /// A create, update or DeleteOptions body: JSON, or Kubernetes protobuf when its Content-Type says so.
    static func body(of request: Request) async throws -> Value {
        try decodeBody(try await bytes(of: request), contentType: request.headers[.contentType])
    }

    static func decodeBody(_ bytes: [UInt8], contentType: String?) throws(EmulatorError) -> Value {
        if let contentType, mediaType(contentType) == KubernetesProtobuf.mediaType {
            return try KubernetesProtobuf.decode(bytes)
        }
        return try parseJSON(bytes)
    }

    static func parseJSON(_ bytes: [UInt8]) throws(EmulatorError) -> Value {
        do {
            return try JSONParsing().value(from: bytes)
        } catch {
            throw .badRequest("the body of the request could not be decoded: \(error)", cause: error)
        }
    }

    static func parseYAML(_ bytes: [UInt8]) throws(EmulatorError) -> Value {
        // Like the API server (`yaml.ToJSON` in apimachinery), a body that starts as a JSON
        // object is decoded as JSON: JSON is YAML, and the JSON parser is much cheaper.
        // Any JSON error falls back to the YAML path, so its messages stay the YAML ones.
        if bytes.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) == UInt8(ascii: "{"),
           let value = try? JSONParsing().value(from: bytes) {
            return value
        }
        do {
            guard let document = try YAMLDecoder().decode(bytes: bytes, file: "<request>").first else {
                throw EmulatorError.badRequest("the apply patch is empty")
            }
            return document.value
        } catch let error as EmulatorError {
            throw error
        } catch {
            throw .badRequest("error decoding YAML: \(error)", cause: error)
        }
    }

    /// An error as the API server sends it: a Status, and `Retry-After` when it has one.
    static func response(_ error: EmulatorError) -> Response {
        var response = json(error.status, status: error.httpStatus)
        if let seconds = error.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
        return response
    }

    /// A write's answer, with the bytes the store already had when it had them.
    static func json(_ answer: WriteAnswer, status: Int = 200) -> Response {
        guard let bytes = answer.json, ResponseFormat.current == .json else { return json(answer.object, status: status) }
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `value` as the response body: JSON, or protobuf when the client asked
    /// for it and the kind has a protobuf message.
    static func json(_ value: Value, status: Int = 200) -> Response {
        if ResponseFormat.current == .protobuf {
            do {
                if let bytes = try KubernetesProtobuf.encode(value) {
                    return Response(
                        status: HTTPResponse.Status(code: status),
                        headers: [.contentType: KubernetesProtobuf.mediaType],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
                }
            } catch {
                return ResponseFormat.$current.withValue(.json) { Self.response(error) }
            }
        }
        let bytes = (try? JSONEncoding().bytes(value)) ?? Array(#"{"kind":"Status","status":"Failure","code":500}"#.utf8)
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
