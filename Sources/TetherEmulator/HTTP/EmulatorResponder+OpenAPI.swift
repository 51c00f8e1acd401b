import HTTPTypes
import Hummingbird
import NIOCore
import TetherModel

extension EmulatorResponder {
    /// `/openapi/v2`, `/openapi/v3` and `/openapi/v3/{api/v1, apis/GROUP/VERSION}`.
    func openAPI(_ segments: [String], accept: String?) async throws -> Response {
        let documents = OpenAPIDocuments(types: store.servedRegistry.types, crds: try await storedCRDs())
        switch segments.first {
        case "v2" where segments.count == 1:
            // kubectl asks for the gnostic protobuf form only; the document is
            // served as JSON to clients that accept it.
            if let accept, !accept.contains("json"), accept.contains("protobuf") {
                let document: [UInt8] = [0x0A, 0x03] + Array("2.0".utf8)
                return Response(
                    status: .ok, headers: [.contentType: "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"],
                    body: .init(byteBuffer: ByteBuffer(bytes: document)))
            }
            return ResponseFormat.$current.withValue(.json) { Self.json(documents.swagger()) }
        case "v3" where segments.count == 1:
            return ResponseFormat.$current.withValue(.json) { Self.json(documents.index()) }
        case "v3":
            let rest = Array(segments.dropFirst())
            let groupVersion: (String, String)?
            switch rest.count {
            case 2 where rest[0] == "api": groupVersion = ("", rest[1])
            case 3 where rest[0] == "apis": groupVersion = (rest[1], rest[2])
            default: groupVersion = nil
            }
            guard let (group, version) = groupVersion, let document = documents.document(group: group, version: version)
            else { throw Self.notFoundPath }
            var response = ResponseFormat.$current.withValue(.json) { Self.json(document) }
            response.headers[.cacheControl] = "public, immutable"
            return response
        default:
            throw Self.notFoundPath
        }
    }

    private func storedCRDs() async throws -> [Value] {
        guard let type = store.servedRegistry.type(for: ObjectStore.crds) else { return [] }
        let page = try await store.list(type, selection: Selection(resource: ObjectStore.crds, namespace: nil),
                                        limit: nil, continueToken: nil)
        return page.items
    }
}
