/// The encoding a response is written in, negotiated from the request's
/// `Accept` header as the API server's content negotiation does: the first
/// listed media type the server can write wins.
enum ResponseFormat: Sendable {
    /// `table` is JSON holding a meta.k8s.io/v1 Table of what get or list found.
    case json, protobuf, table

    /// The format of the response being built. A task-local, so every
    /// answer path (objects, lists, Status errors) follows the negotiation
    /// without threading it through each call.
    @TaskLocal static var current: ResponseFormat = .json

    /// The format for an `Accept` header; JSON when nothing else is named first.
    static func negotiated(accept: String?) -> ResponseFormat {
        guard let accept, accept.utf8.contains(UInt8(ascii: "v")) else { return .json }
        for item in accept.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmed.lowercased() }
            guard let type = parts.first else { continue }
            let parameters = parts.dropFirst()
            if parameters.contains(where: { $0.hasPrefix("as=") }) {
                // A Table of meta.k8s.io/v1 (or v1beta1, answered as v1) is served;
                // other conversions (PartialObjectMetadata) fall through to the next type.
                if parameters.contains("as=table"), parameters.contains("g=meta.k8s.io"),
                   parameters.contains("v=v1") || parameters.contains("v=v1beta1") { return .table }
                continue
            }
            if parts.dropFirst().contains("q=0") { continue }
            switch type {
            case KubernetesProtobuf.mediaType: return .protobuf
            case "application/json", "application/yaml", "*/*", "application/*": return .json
            default: continue
            }
        }
        return .json
    }
}
