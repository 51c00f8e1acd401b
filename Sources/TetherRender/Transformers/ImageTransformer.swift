import TetherModel

/// `images:`: rewrites the name, tag or digest of container images, as
/// kustomize v5.5 does in two passes: its legacy filter over every
/// `containers` and `initContainers` list at any depth, then its field specs
/// (the pod spec and pod template lists of any kind). Only `tagSuffix` shows
/// the double pass: it is appended twice where both reach.
struct ImageTransformer {
    let rule: Kustomization.ImageRule
    /// Where images are (the `image` field itself); kustomize's default
    /// `images` field specs unless a plugin or `configurations` says more.
    var specs: [FieldSpec] = Self.defaultSpecs
    private let matcher: Matcher

    /// kustomize matches `name` as a regular expression, anchored, followed
    /// by an optional tag and `@sha256:` digest; `*` matches every image.
    enum Matcher {
        case all
        /// No regular-expression syntax beyond dots (almost every name):
        /// compared with the name part of the image.
        case literal(String)
        case regex(Regex<AnyRegexOutput>)
        /// Not a valid regular expression: kubectl kustomize v5.5.0 fails
        /// (it crashes) on the first container image it compares.
        case invalid
    }

    init(rule: Kustomization.ImageRule, specs: [FieldSpec] = Self.defaultSpecs) {
        self.rule = rule
        self.specs = specs
        let name = rule.name
        if name == "*" {
            matcher = .all
        } else if name.contains(where: { "*+?()[]{}|^$\\".contains($0) }) {
            if let regex = try? Regex("^(?:" + name + ")(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$") {
                matcher = .regex(regex)
            } else {
                matcher = .invalid
            }
        } else {
            matcher = .literal(name)
        }
    }

    static let defaultSpecs = [
        "spec/containers[]/image", "spec/initContainers[]/image", "spec/template/spec/containers[]/image",
        "spec/template/spec/initContainers[]/image",
    ].map { FieldSpec($0, create: false) }

    /// - Throws: ``RenderError`` when the rule's name is not a valid
    ///   regular expression and an object has a container image.
    func apply(_ objects: inout [RenderedObject], file: String) throws {
        if case .invalid = matcher {
            guard let object = objects.first(where: { Self.hasContainerImage($0.resource.value) }) else { return }
            throw RenderError(
                .invalidKustomization,
                "images: name '\(rule.name)' is not a valid regular expression, so it cannot be compared with the images of \(object.id) (kubectl kustomize v5.5.0 crashes on it). Fix the name, escaping regular-expression characters.",
                file: file)
        }
        // Most objects have no matching image: find that out without
        // touching (and so copying) anything.
        for i in objects.indices {
            let gvk = objects[i].resource.gvk
            if mentionsImage(objects[i].resource.value) { rewrite(&objects[i].resource.value) }
            // kustomize's field-spec pass skips CRDs (kustomize issue 890).
            guard gvk.kind != "CustomResourceDefinition" else { continue }
            for spec in specs where spec.applies(to: gvk) && objects[i].resource.value.hasField(at: spec.path[...]) {
                objects[i].resource.value.update(at: spec.path[...], create: spec.create) { field in
                    if case .string(let image)? = field, let new = updated(image) { field = .string(new) }
                }
            }
        }
    }

    /// Whether a `containers` or `initContainers` list at any depth holds an
    /// image at all (what kustomize compares with every rule).
    private static func hasContainerImage(_ value: Value) -> Bool {
        switch value {
        case .map(let map):
            return map.entries.contains { e in
                if e.key == "containers" || e.key == "initContainers", case .list(let containers) = e.value,
                    containers.contains(where: { $0["image"]?.stringValue != nil })
                {
                    return true
                }
                return hasContainerImage(e.value)
            }
        case .list(let items):
            return items.contains(where: hasContainerImage)
        default:
            return false
        }
    }

    /// Whether a `containers` or `initContainers` list at any depth holds an
    /// image this rule changes.
    private func mentionsImage(_ value: Value) -> Bool {
        switch value {
        case .map(let map):
            for e in map.entries {
                if e.key == "containers" || e.key == "initContainers", case .list(let containers) = e.value,
                    containers.contains(where: { if case .string(let image)? = $0["image"] { updated(image) != nil } else { false } })
                {
                    return true
                }
                if mentionsImage(e.value) { return true }
            }
            return false
        case .list(let items):
            return items.contains(where: mentionsImage)
        default:
            return false
        }
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
        var (name, tag, digest) = ("", "", "")
        switch matcher {
        case .all:
            (name, tag, digest) = Self.split(image)
        case .literal(let wanted):
            guard image.hasPrefix(wanted) else { return nil }
            (name, tag, digest) = Self.split(image)
            guard name == wanted else { return nil }
        case .regex(let regex):
            guard (try? regex.wholeMatch(in: image)) != nil else { return nil }
            (name, tag, digest) = Self.split(image)
        case .invalid:
            return nil
        }
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
        } else if let suffix = rule.tagSuffix, !suffix.isEmpty {
            tag += suffix
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
