import TetherModel

/// The content-hash name suffix kustomize gives generated ConfigMaps and
/// Secrets (`api/hasher`): SHA-256 of a JSON document of the kind, data (and
/// for Secrets the type), with an empty name as v5 computes it, the first ten hex digits with `0 1 3 a e` replaced so the suffix
/// never spells a word.
enum ContentHash {
    /// Appends `-<hash>` to every object that asked for it.
    static func addSuffixes(_ objects: inout [RenderedObject]) throws {
        for i in objects.indices where objects[i].needsHash {
            let suffix = try hash(objects[i].resource)
            objects[i].rename(name: objects[i].resource.name + "-" + suffix)
            objects[i].needsHash = false
        }
    }

    static func hash(_ resource: Resource) throws -> String {
        var doc = OrderedMap()
        let value = resource.value
        doc["kind"] = .string(resource.kind)
        // kustomize v5 reads the name through a path lookup that yields
        // nothing, so the hash covers an empty name; match it.
        doc["name"] = .string("")
        // Go hashes a missing data map as "" (kyaml reads it as a string).
        doc["data"] = value["data"] ?? .string("")
        if resource.kind == "Secret" {
            doc["type"] = value["type"] ?? .string("")
        } else if let binary = value["binaryData"]?.mapValue, !binary.isEmpty {
            doc["binaryData"] = .map(binary)
        }
        var json = try JSONEncoding(sortedKeys: true).string(.map(doc))
        // Go's json.Marshal escapes these for HTML safety; the hash depends on it.
        json = json.replacingAll("<", "\\u003c").replacingAll(">", "\\u003e").replacingAll("&", "\\u0026")
        return encode(Hex.encode(SHA256Digest.of(Array(json.utf8))))
    }

    static func encode(_ hex: String) -> String {
        String(hex.prefix(10).map { c -> Character in
            switch c {
            case "0": return "g"
            case "1": return "h"
            case "3": return "k"
            case "a": return "m"
            case "e": return "t"
            default: return c
            }
        })
    }
}

extension String {
    func replacingAll(_ target: Character, _ replacement: String) -> String {
        guard contains(target) else { return self }
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
