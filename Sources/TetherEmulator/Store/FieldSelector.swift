package import TetherModel

/// A parsed `fieldSelector` (`=`, `==`, `!=`, comma-separated terms, values
/// escaped with `\`), checked against the fields the resource can be selected
/// by as kube-apiserver v1.32 checks them: each kind's field label conversion
/// function (pkg/apis/core/v1/conversion.go, pkg/apis/batch/v1/conversion.go,
/// pkg/apis/certificates/v1/conversion.go, pkg/apis/events/v1/conversion.go;
/// apimachinery's DefaultMetaV1FieldSelectorConversion for every other
/// built-in kind; apiextensions' crConverter and the CRD version's
/// `selectableFields` for custom resources), and matched against the values
/// each registry's `GetAttrs`/`ToSelectableFields` computes.
package struct FieldSelector: Sendable, Hashable {
    package struct Requirement: Sendable, Hashable {
        /// The field label after conversion (`spec.host` becomes `spec.nodeName`).
        package var field: String
        package var value: String
        package var negated: Bool
    }

    package var requirements: [Requirement]
    /// Whose selectable fields the requirements name; decides how a field's value is read.
    package var resource: GroupResource?

    /// Which field labels one kind accepts, and the error for any other.
    struct Conversion {
        var accepted: Set<String>
        /// Labels accepted under another name (pods' `spec.host`).
        var renamed: [String: String] = [:]
        var refusal: @Sendable (String) -> String = { "field label not supported: \($0)" }
    }

    /// The kinds that register their own conversion function; every other
    /// built-in kind accepts only metadata.name and metadata.namespace.
    static let conversions: [GroupResource: Conversion] = [
        GroupResource(group: "", resource: "pods"): Conversion(
            accepted: ["metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                       "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
                       "status.nominatedNodeName"],
            renamed: ["spec.host": "spec.nodeName"]),
        GroupResource(group: "", resource: "nodes"): Conversion(accepted: ["metadata.name", "spec.unschedulable"]),
        GroupResource(group: "", resource: "replicationcontrollers"): Conversion(
            accepted: ["metadata.name", "metadata.namespace", "status.replicas"]),
        GroupResource(group: "", resource: "events"): Conversion(
            accepted: ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                       "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                       "reason", "reportingComponent", "source", "type", "metadata.namespace", "metadata.name"]),
        GroupResource(group: "", resource: "namespaces"): Conversion(accepted: ["status.phase", "metadata.name"]),
        GroupResource(group: "", resource: "secrets"): Conversion(accepted: ["type", "metadata.namespace", "metadata.name"]),
        GroupResource(group: "", resource: "services"): Conversion(
            accepted: ["metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"]),
        GroupResource(group: "batch", resource: "jobs"): Conversion(
            accepted: ["metadata.name", "metadata.namespace", "status.successful"],
            refusal: { "field label \"\($0)\" not supported for Job" }),
        GroupResource(group: "certificates.k8s.io", resource: "certificatesigningrequests"): Conversion(
            accepted: ["metadata.name", "spec.signerName"]),
        // events.k8s.io/v1 names the core fields after its own schema; the
        // emulator keeps those objects in that schema, so the labels are read as paths.
        GroupResource(group: "events.k8s.io", resource: "events"): Conversion(
            accepted: ["reason", "regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid",
                       "regarding.apiVersion", "regarding.resourceVersion", "regarding.fieldPath",
                       "reportingController", "type", "metadata.namespace", "metadata.name"]),
    ]

    /// - Throws: `EmulatorError` with code `.badRequest` for a malformed
    ///   selector or a field `type` cannot be selected by, with the API server's message.
    package init(parsing text: String, type: ResourceType? = nil) throws(EmulatorError) {
        var requirements: [Requirement] = []
        for term in Self.splitTerms(text) where !term.isEmpty {
            guard let (field, op, escaped) = Self.splitTerm(term) else {
                throw .badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            let value = try Self.unescape(escaped)
            var converted = field
            if let type { converted = try Self.convert(field, for: type) }
            requirements.append(Requirement(field: converted, value: value, negated: op == "!="))
        }
        self.requirements = requirements
        self.resource = type?.groupResource
    }

    package init() {
        requirements = []
        resource = nil
    }

    /// The field label as the resource's conversion function accepts it.
    static func convert(_ field: String, for type: ResourceType) throws(EmulatorError) -> String {
        if !type.builtIn {
            // apiextensions-apiserver conversion.crConverter.ConvertFieldLabel
            if field == "metadata.name" || (type.namespaced && field == "metadata.namespace")
                || type.selectableFields.contains(field) {
                return field
            }
            throw .badRequest("field label not supported: \(field)")
        }
        guard let conversion = conversions[type.groupResource] else {
            if field == "metadata.name" || field == "metadata.namespace" { return field }
            throw .badRequest("\"\(field)\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")
        }
        if conversion.accepted.contains(field) { return field }
        if let renamed = conversion.renamed[field] { return renamed }
        throw .badRequest(conversion.refusal(field))
    }

    /// Whether an object is selected.
    package func matches(_ object: Value) -> Bool {
        requirements.allSatisfy { r in (Self.value(of: r.field, in: object, resource: resource) == r.value) != r.negated }
    }

    /// A selectable field's value as the registries compute it: missing
    /// strings are empty, Booleans `true`/`false` (missing is `false`),
    /// counts in decimal (missing is 0).
    static func value(of field: String, in object: Value, resource: GroupResource?) -> String {
        let path = field.split(separator: ".").map(String.init)
        switch (resource?.group, resource?.resource, field) {
        case ("", "pods", "spec.hostNetwork"), ("", "nodes", "spec.unschedulable"):
            return object[path: path]?.boolValue == true ? "true" : "false"
        case ("", "pods", "status.podIP"):
            // pod.Status.PodIPs[0], as ToSelectableFields reads it
            return object[path: ["status", "podIPs"]]?.listValue?.first?["ip"]?.stringValue ?? ""
        case ("", "pods", "status.podIPs"):
            // accepted by the conversion function, absent from the field set
            return ""
        case ("", "replicationcontrollers", "status.replicas"):
            return String(object[path: path]?.intValue ?? 0)
        case ("batch", "jobs", "status.successful"):
            return String(object[path: ["status", "succeeded"]]?.intValue ?? 0)
        case ("", "events", "source"):
            let component = object[path: ["source", "component"]]?.stringValue ?? ""
            return component.isEmpty ? object["reportingComponent"]?.stringValue ?? "" : component
        default:
            let value = object[path: path]
            if case .list = value { return "" }
            if case .map = value { return "" }
            return value?.scalarText ?? ""
        }
    }

    /// fields.splitTerms: commas split terms unless escaped with `\`.
    static func splitTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var escaped = false
        for c in text {
            if escaped {
                current.append(c)
                escaped = false
            } else if c == "\\" {
                current.append(c)
                escaped = true
            } else if c == "," {
                terms.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        terms.append(current)
        return terms
    }

    /// fields.splitTerm: the leftmost operator, `!=` and `==` before `=` at the same place.
    static func splitTerm(_ term: String) -> (field: String, op: String, value: String)? {
        var index = term.startIndex
        while index < term.endIndex {
            let rest = term[index...]
            for op in ["!=", "==", "="] where rest.hasPrefix(op) {
                return (String(term[..<index]), op, String(rest.dropFirst(op.count)))
            }
            index = term.index(after: index)
        }
        return nil
    }

    /// fields.UnescapeValue: `\\`, `\,` and `\=` stand for the character; any
    /// other escape, or an unescaped `,` or `=`, is refused.
    static func unescape(_ value: String) throws(EmulatorError) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "=" || $0 == "," }) else { return value }
        var result = ""
        var escaped = false
        for c in value {
            if escaped {
                guard c == "\\" || c == "," || c == "=" else {
                    throw .badRequest("invalid field selector: invalid escape sequence: \\\(c)")
                }
                result.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "," || c == "=" {
                throw .badRequest("invalid field selector: unescaped character in value: \(c)")
            } else {
                result.append(c)
            }
        }
        if escaped { throw .badRequest("invalid field selector: invalid escape sequence: \\") }
        return result
    }
}
