/// Where a request goes, parsed from its URL path the way the API server's
/// request-info resolver does.
enum APIPath: Equatable {
    case version
    case coreVersions
    case groupList
    case group(String)
    case groupVersion(group: String, version: String)
    case resource(ResourcePath)
    /// `/openapi/v2` or `/openapi/v3...`, with the segments after `openapi` (`["v3", "apis", "apps", "v1"]`).
    case openAPI([String])
    case health
    /// `/_emulator/...`: the emulator's own admin endpoints (audit, faults),
    /// with the path segments after `_emulator`. Not part of discovery.
    case admin([String])
    case unknown

    /// A resource URL: `/api/v1/namespaces/NS/RESOURCE/NAME/SUBRESOURCE` and its shorter forms.
    struct ResourcePath: Equatable {
        var group: String
        var version: String
        var plural: String
        var namespace: String?
        var name: String?
        var subresource: String?
    }

    init(_ path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch parts.first {
        case "version" where parts.count == 1: self = .version
        case "healthz", "livez", "readyz": self = .health
        case "openapi": self = .openAPI(Array(parts.dropFirst()))
        case "_emulator": self = .admin(Array(parts.dropFirst()))
        case "api":
            if parts.count == 1 { self = .coreVersions; return }
            guard parts[1] == "v1" else { self = .unknown; return }
            self = Self.resourcePath(group: "", version: "v1", Array(parts.dropFirst(2)))
        case "apis":
            switch parts.count {
            case 1: self = .groupList
            case 2: self = .group(parts[1])
            default: self = Self.resourcePath(group: parts[1], version: parts[2], Array(parts.dropFirst(3)))
            }
        default: self = .unknown
        }
    }

    private static func resourcePath(group: String, version: String, _ rest: [String]) -> APIPath {
        if rest.isEmpty { return .groupVersion(group: group, version: version) }
        // `namespaces/NAME/status` is the namespace's own subresource, not a resource inside it.
        let namespaceSubresources: Set<String> = ["status", "finalize"]
        if rest[0] == "namespaces", rest.count >= 3,
           !(group.isEmpty && rest.count == 3 && namespaceSubresources.contains(rest[2])) {
            return tail(group: group, version: version, namespace: rest[1], Array(rest.dropFirst(2)))
        }
        return tail(group: group, version: version, namespace: nil, rest)
    }

    private static func tail(group: String, version: String, namespace: String?, _ rest: [String]) -> APIPath {
        guard !rest.isEmpty, rest.count <= 3 else { return .unknown }
        return .resource(ResourcePath(
            group: group, version: version, plural: rest[0], namespace: namespace,
            name: rest.count > 1 ? rest[1] : nil, subresource: rest.count > 2 ? rest[2] : nil))
    }
}

/// The query string of a request, percent-decoded (`+` is a space, as Go's
/// `url.ParseQuery` reads it).
struct QueryParameters {
    private var values: [String: String] = [:]

    init(_ query: String?) {
        guard let query else { return }
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(kv[0])
            values[key] = kv.count > 1 ? Self.decode(kv[1]) : ""
        }
    }

    subscript(_ key: String) -> String? { values[key] }

    /// `true`, `1` (and Go's other true spellings) count as set.
    func flag(_ key: String) -> Bool {
        guard let v = values[key] else { return false }
        return ["1", "t", "T", "true", "TRUE", "True"].contains(v)
    }

    private static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let b = utf8.popFirst() {
            if b == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%"), utf8.count >= 2,
                      let v = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
