import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TetherModel
import TetherPatch

/// Answers Kubernetes API requests from the object store.
struct EmulatorResponder: HTTPResponder {
    typealias Context = EmulatorRequestContext

    let store: ObjectStore
    let audit: AuditLog
    let faults: FaultInjector
    let authenticator: Authenticator
    let options: EmulatorOptions
    let logger: Logger

    /// The largest request body accepted (the API server's limit is 3 MiB per object; allow more for lists).
    static let maxBodyBytes = 32 << 20

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        let query = QueryParameters(request.uri.query)
        let apiPath = APIPath(path)
        var user = UserInfo.anonymous
        if apiPath != .health {
            guard let known = await authenticator.user(for: request, channel: context.channel) else {
                await audit.record(AuditEntry(
                    method: request.method.rawValue, path: path, query: request.uri.query ?? "", verb: "",
                    resource: nil, namespace: "", name: "", subresource: "", code: 401,
                    userAgent: request.headers[.userAgent] ?? "", user: ""))
                return Self.response(Authenticator.unauthorized)
            }
            user = known
        }
        // Admin requests are the test's own, not the client's under test:
        // they are neither audited nor subject to injected faults.
        if case .admin(let segments) = apiPath {
            do {
                return try await admin(request, segments, query)
            } catch let error as EmulatorError {
                return Self.response(error)
            }
        }
        var entry = AuditEntry(
            method: request.method.rawValue, path: path, query: request.uri.query ?? "", verb: "",
            resource: nil, namespace: "", name: "", subresource: "", code: 0,
            userAgent: request.headers[.userAgent] ?? "", user: user.name)
        // An HTTP/2 request is served on a stream channel whose parent is the connection.
        if context.channel.parent != nil { entry.protocolVersion = "HTTP/2.0" }
        let format = ResponseFormat.negotiated(accept: request.headers[.accept])
        let response = await ResponseFormat.$current.withValue(format) {
            do {
                return try await route(request, apiPath, query, user: user, &entry)
            } catch let error as EmulatorError {
                return Self.response(error)
            } catch {
                let wrapped = EmulatorError(.internalError, "\(error)", cause: error)
                return Self.json(wrapped.status, status: 500)
            }
        }
        entry.code = response.status.code
        await audit.record(entry)
        logger.debug("request", metadata: [
            "http.method": "\(entry.method)", "http.path": "\(path)", "kube.verb": "\(entry.verb)",
            "kube.status": "\(entry.code)",
        ])
        return response
    }

    private func route(_ request: Request, _ apiPath: APIPath, _ query: QueryParameters, user: UserInfo,
                       _ entry: inout AuditEntry)
        async throws -> Response
    {
        switch apiPath {
        case .version:
            entry.verb = "version"
            return Self.json(Discovery.version())
        case .health:
            entry.verb = "health"
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
        case .openAPI(let segments):
            entry.verb = "openapi"
            return try await openAPI(segments, accept: request.headers[.accept])
        case .coreVersions:
            entry.verb = "discovery"
            if let version = Discovery.aggregatedVersion(accept: request.headers[.accept]) {
                return try Self.aggregatedDiscovery(Discovery.aggregated(await store.registry, core: true, version: version),
                                                    version: version, request: request)
            }
            return Self.json(Discovery.coreVersions(serverAddress: request.head.authority ?? "127.0.0.1"))
        case .groupList:
            entry.verb = "discovery"
            if let version = Discovery.aggregatedVersion(accept: request.headers[.accept]) {
                return try Self.aggregatedDiscovery(Discovery.aggregated(await store.registry, core: false, version: version),
                                                    version: version, request: request)
            }
            return Self.json(Discovery.groupList(await store.registry))
        case .group(let name):
            entry.verb = "discovery"
            guard let doc = Discovery.groupDocument(await store.registry, name: name) else { throw Self.notFoundPath }
            return Self.json(doc)
        case .groupVersion(let group, let version):
            entry.verb = "discovery"
            guard let doc = Discovery.resourceList(await store.registry, group: group, version: version) else {
                throw Self.notFoundPath
            }
            return Self.json(doc)
        case .resource(let target):
            return try await resource(request, target, query, user: user, &entry)
        case .unknown, .admin:
            entry.verb = "unknown"
            throw Self.notFoundPath
        }
    }

    /// An aggregated discovery document with its ETag (the hash of its bytes)
    /// and `Vary: Accept`; a matching `If-None-Match` gets 304, as the API server answers.
    static func aggregatedDiscovery(_ document: Value, version: String, request: Request) throws -> Response {
        let bytes = try JSONEncoding().bytes(document)
        let etag = "\"" + Hex.encode(SHA256Digest.of(bytes).prefix(16)) + "\""
        var headers: HTTPFields = [.contentType: Discovery.aggregatedContentType(version: version), .eTag: etag]
        headers[.vary] = "Accept"
        if request.headers[.ifNoneMatch] == etag {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static let notFoundPath = EmulatorError(.notFound, "the server could not find the requested resource")

    private func resource(_ request: Request, _ target: APIPath.ResourcePath, _ query: QueryParameters,
                          user: UserInfo, _ entry: inout AuditEntry) async throws -> Response
    {
        let method = request.method
        entry.namespace = target.namespace ?? ""
        entry.name = target.name ?? ""
        entry.subresource = target.subresource ?? ""
        entry.verb = Self.verb(method: method, target: target, query: query, contentType: request.headers[.contentType])
        let fault = await faults.decide(verb: entry.verb)
        if fault.latency > .zero { try await Task.sleep(for: fault.latency) }
        if let failure = fault.failure { throw failure }
        guard let type = store.servedRegistry.type(group: target.group, version: target.version, plural: target.plural)
        else { throw Self.notFoundPath }
        entry.resource = type.groupResource
        if target.namespace != nil, !type.namespaced { throw Self.notFoundPath }
        var subresource: ResourceType.Subresource?
        if let name = target.subresource {
            guard let sub = ResourceType.Subresource(rawValue: name), type.subresources.contains(sub)
            else { throw Self.notFoundPath }
            subresource = sub
        }
        let namespace = type.namespaced ? (target.namespace ?? "") : ""
        let dryRun = query["dryRun"] == "All"
        let call = ResourceRequest(type: type, namespace: namespace, name: target.name ?? "",
                                   subresource: subresource, query: query, dryRun: dryRun,
                                   manager: FieldManager.managerName(fieldManager: query["fieldManager"],
                                                                     userAgent: request.headers[.userAgent] ?? ""))
        if let contentType = request.headers[.contentType].map(Self.mediaType), contentType == "application/cbor" {
            throw EmulatorError(.unsupportedMediaType,
                "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf")
        }
        if type.createOnly {
            guard entry.verb == "create", subresource == nil, target.name == nil else {
                throw EmulatorError(.methodNotAllowed, "the server does not allow this method on the requested resource")
            }
            return Self.json(try await review(type, body: try await Self.body(of: request), user: user), status: 201)
        }
        if subresource == .scale { return try await scale(call, verb: entry.verb, http: request) }
        switch entry.verb {
        case "get":
            let object = try await store.get(type, namespace: namespace, name: call.name)
            if ResponseFormat.current == .table { return Self.json(try await table([object], call, listMetadata: OrderedMap())) }
            return Self.json(object)
        case "list": return try await list(call, allNamespaces: target.namespace == nil)
        case "watch": return try await watch(call, allNamespaces: target.namespace == nil, http: request)
        case "create":
            var body = try await Self.body(of: request)
            let warnings = try Self.checkFields(&body, type, try FieldValidation(query: query["fieldValidation"]))
            return Self.warned(Self.json(try await store.createAnswer(type, namespace: namespace, body: body, dryRun: dryRun,
                                                                      manager: call.manager), status: 201), warnings)
        case "update":
            var body = try await Self.body(of: request)
            let warnings = try Self.checkFields(&body, type, try FieldValidation(query: query["fieldValidation"]))
            return Self.warned(Self.json(try await store.update(type, namespace: namespace, name: call.name, body: body,
                                                                subresource: subresource, dryRun: dryRun,
                                                                manager: call.manager)), warnings)
        case "patch", "apply":
            return try await patch(call, http: request)
        case "delete":
            return try await delete(call, http: request)
        case "deletecollection":
            return try await deleteCollection(call, allNamespaces: target.namespace == nil, http: request)
        default:
            throw EmulatorError(.methodNotAllowed, "the server does not allow this method on the requested resource")
        }
    }
}
