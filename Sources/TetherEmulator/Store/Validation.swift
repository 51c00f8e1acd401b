import TetherModel

/// The checks kube-apiserver v1.32 makes that clients most often trip over:
/// object names, required Deployment fields, and fields that may not change.
/// Each failure is a `details.causes` entry worded as the API server words it.
enum Validation {
    typealias Cause = EmulatorError.Cause

    /// The failures for a create (`old` nil) or an update.
    static func causes(_ object: Value, type: ResourceType, old: Value?) -> [Cause] {
        var causes: [Cause] = []
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        if old == nil, let problem = nameProblem(name, type: type) {
            causes.append(invalid("metadata.name", .string(name), problem))
        }
        guard type.builtIn else { return causes }
        switch (type.group, type.kind) {
        case ("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("apps", "ReplicaSet"):
            causes += workload(object, old: old)
        case ("", "Service"):
            causes += service(object, old: old)
        default:
            break
        }
        return causes
    }

    /// The error for a list of causes: `Kind.group "name" is invalid: a, b`.
    static func error(_ causes: [Cause], type: ResourceType, name: String) -> EmulatorError {
        let texts = causes.map { "\($0.field): \($0.message)" }
        let what = texts.count == 1 ? texts[0] : "[" + texts.joined(separator: ", ") + "]"
        var error = EmulatorError.invalid(type.groupResource, kind: type.kind, name, what)
        error.causes = causes
        return error
    }

    static let dns1123Subdomain = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let dns1123Label = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let dns1035Label = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"

    /// Namespaces need an RFC 1123 label, Services an RFC 1035 label, the rest an RFC 1123 subdomain.
    static func nameProblem(_ name: String, type: ResourceType) -> String? {
        guard !name.isEmpty else { return nil }
        // On UTF-8 bytes: every allowed character is ASCII, so any other byte fails the
        // check just as its `Character` did, without building a `Set<Character>` per call.
        func isLower(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }
        func isLabel(_ s: Substring) -> Bool {
            let bytes = s.utf8
            guard let first = bytes.first, let last = bytes.last, isLower(first), isLower(last) else { return false }
            return bytes.allSatisfy { isLower($0) || $0 == UInt8(ascii: "-") }
        }
        switch (type.group, type.kind) {
        case ("", "Namespace"):
            if name.count > 63 { return "must be no more than 63 characters" }
            return isLabel(Substring(name)) ? nil : dns1123Label
        case ("", "Service"):
            if name.count > 63 { return "must be no more than 63 characters" }
            return isLabel(Substring(name)) && name.first?.isLetter == true ? nil : dns1035Label
        default:
            if name.count > 253 { return "must be no more than 253 characters" }
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            return parts.allSatisfy(isLabel) ? nil : dns1123Subdomain
        }
    }

    private static func workload(_ object: Value, old: Value?) -> [Cause] {
        var causes: [Cause] = []
        let selector = object[path: ["spec", "selector"]]
        if selector == nil || selector?.isNull == true {
            causes.append(Cause(reason: "FieldValueRequired", message: "Required value", field: "spec.selector"))
        } else if let matchLabels = selector?["matchLabels"]?.mapValue {
            let labels = object[path: ["spec", "template", "metadata", "labels"]]?.mapValue ?? OrderedMap()
            if !matchLabels.entries.allSatisfy({ labels[$0.key] == $0.value }) {
                causes.append(invalid("spec.template.metadata.labels", .map(labels),
                                      "`selector` does not match template `labels`"))
            }
        }
        let containers = object[path: ["spec", "template", "spec", "containers"]]?.listValue ?? []
        if containers.isEmpty {
            causes.append(Cause(reason: "FieldValueRequired", message: "Required value", field: "spec.template.spec.containers"))
        }
        for (index, container) in containers.enumerated() {
            if (container["name"]?.stringValue ?? "").isEmpty {
                causes.append(Cause(reason: "FieldValueRequired", message: "Required value",
                                    field: "spec.template.spec.containers[\(index)].name"))
            }
            if (container["image"]?.stringValue ?? "").isEmpty {
                causes.append(Cause(reason: "FieldValueRequired", message: "Required value",
                                    field: "spec.template.spec.containers[\(index)].image"))
            }
        }
        if let replicas = object[path: ["spec", "replicas"]]?.intValue, replicas < 0 {
            causes.append(invalid("spec.replicas", .int(replicas), "must be greater than or equal to 0"))
        }
        if let old, let before = old[path: ["spec", "selector"]], let selector, before != selector {
            let labels = (selector["matchLabels"] ?? .map(OrderedMap())).mapValue ?? OrderedMap()
            let shown = "v1.LabelSelector{MatchLabels:\(goValue(.map(labels))), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"
            causes.append(Cause(reason: "FieldValueInvalid", message: "Invalid value: \(shown): field is immutable",
                                field: "spec.selector"))
        }
        return causes
    }

    private static func service(_ object: Value, old: Value?) -> [Cause] {
        var causes: [Cause] = []
        let type = object[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
        if type != "ExternalName", (object[path: ["spec", "ports"]]?.listValue ?? []).isEmpty,
           object[path: ["spec", "clusterIP"]]?.stringValue != "None" {
            causes.append(Cause(reason: "FieldValueRequired", message: "Required value", field: "spec.ports"))
        }
        if let old, let before = old[path: ["spec", "clusterIP"]]?.stringValue, !before.isEmpty,
           let after = object[path: ["spec", "clusterIP"]]?.stringValue, after != before {
            causes.append(invalid("spec.clusterIPs[0]", .list([.string(after)]), "may not change once set"))
        }
        return causes
    }

    private static func invalid(_ field: String, _ value: Value, _ detail: String) -> Cause {
        Cause(reason: "FieldValueInvalid", message: "Invalid value: \(goValue(value)): \(detail)", field: field)
    }

    /// The value as Go's `%#v` prints it for the common cases.
    static func goValue(_ value: Value) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        case .map(let map) where map.entries.allSatisfy({ $0.value.stringValue != nil }):
            let pairs = map.entries.map { "\"\($0.key)\":\"\($0.value.stringValue ?? "")\"" }
            return "map[string]string{" + pairs.joined(separator: ", ") + "}"
        case .list(let items) where items.allSatisfy({ $0.stringValue != nil }):
            return "[]string{" + items.map { "\"\($0.stringValue ?? "")\"" }.joined(separator: ", ") + "}"
        default:
            return value.scalarText ?? ((try? JSONEncoding().string(value)) ?? "")
        }
    }
}
