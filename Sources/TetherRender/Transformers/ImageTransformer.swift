import TetherModel

/// `images:`: rewrites the name, tag or digest of container images in every
/// `containers` and `initContainers` list, at any depth (kustomize's legacy
/// image filter, which v5 still runs).
struct ImageTransformer {
    let rule: Kustomization.ImageRule

    func apply(_ objects: inout [RenderedObject]) {
        for i in objects.indices { rewrite(&objects[i].resource.value) }
    }

    private func rewrite(_ value: inout Value) {
        switch value {
        case .map(var map):
            for key in map.keys {
                map.modifyValue(forKey: key) { child in
                    if key == "containers" || key == "initContainers", case .list(var containers) = child {
                        for j in containers.indices {
                            if case .string(let image)? = containers[j]["image"], let updated = updated(image) {
                                containers[j]["image"] = .string(updated)
                            }
                        }
                        child = .list(containers)
                    }
                    rewrite(&child)
                }
            }
            value = .map(map)
        case .list(var items):
            for j in items.indices { rewrite(&items[j]) }
            value = .list(items)
        default:
            return
        }
    }

    /// The new image reference, or `nil` when `image` does not match.
    func updated(_ image: String) -> String? {
        var (name, tag, digest) = Self.split(image)
        guard name == rule.name else { return nil }
        if let newName = rule.newName, !newName.isEmpty { name = newName }
        let newTag = rule.newTag ?? "", newDigest = rule.digest ?? ""
        if !newTag.isEmpty && !newDigest.isEmpty {
            tag = newTag
            digest = newDigest
        } else if !newTag.isEmpty {
            tag = newTag
            digest = ""
        } else if !newDigest.isEmpty {
            tag = ""
            digest = newDigest
        }
        var out = name
        if !tag.isEmpty { out += ":" + tag }
        if !digest.isEmpty { out += "@" + digest }
        return out
    }

    /// kustomize's `image.Split`: a `:` before the first `/` is a registry port.
    static func split(_ image: String) -> (name: String, tag: String, digest: String) {
        let chars = Array(image)
        let slash = chars.firstIndex(of: "/") ?? 0
        let search = chars[slash...]
        let at = search.firstIndex(of: "@")
        let colon = search.firstIndex(of: ":")
        switch (colon, at) {
        case (nil, nil):
            return (image, "", "")
        case (let c, let d?) where c == nil || d < c!:
            return (String(chars[..<d]), "", String(chars[(d + 1)...]))
        case (let c?, let d?):
            return (String(chars[..<c]), String(chars[(c + 1)..<d]), String(chars[(d + 1)...]))
        case (let c?, nil):
            return (String(chars[..<c]), String(chars[(c + 1)...]), "")
        default:
            return (image, "", "")
        }
    }
}
