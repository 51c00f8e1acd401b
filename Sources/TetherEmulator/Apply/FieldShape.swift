import TetherModel
import TetherPatch

/// How server-side apply treats the value at one position of an object, read
/// from the v1.32 OpenAPI metadata in `PatchSchema` (list types, list-map
/// keys, map types). A position without a schema (custom resources) is
/// treated by the value it holds: maps as structs, lists as atomic.
enum FieldShape {
    /// A scalar, or anything owned as a whole.
    case atomic
    /// An object whose keys are declared fields (`f:` elements, not members on their own).
    case structure
    /// A map of arbitrary keys (labels, data), each key a member.
    case granularMap
    /// A list whose elements are identified by the values of these keys.
    case associativeList([String])
    /// A list whose elements are identified by their value.
    case setList

    static func of(_ node: PatchSchema.Node?, value: Value) -> FieldShape {
        guard let node else {
            if case .map = value { return .structure }
            return .atomic
        }
        if node.mapType == "atomic" { return .atomic }
        switch node.shape {
        case .definition(let name):
            return atomicDefinitions.contains(name) ? .atomic : .structure
        case .object:
            return .structure
        case .map:
            return .granularMap
        case .list:
            switch node.listType {
            case "map": return .associativeList(node.listMapKeys.isEmpty ? [node.mergeKey].compactMap { $0 } : node.listMapKeys)
            case "set": return .setList
            case "atomic": return .atomic
            default:
                if let key = node.mergeKey { return .associativeList([key]) }
                return node.strategy.contains(.merge) ? .setList : .atomic
            }
        case .scalar, .any:
            return .atomic
        }
    }

    /// The path element naming a list element: `k:{...}` from its key
    /// fields (sorted by name, as the API server writes them), `v:` for a
    /// set element, or `i:N` when the key fields are missing.
    func element(_ item: Value, index: Int) -> String {
        switch self {
        case .associativeList(let keys):
            var pairs: [(String, Value)] = []
            for key in keys.sorted() {
                if let v = item[key], !v.isNull {
                    pairs.append((key, v))
                } else if key == "protocol" {
                    // The schema defaults list-map key `protocol` (ports) to
                    // TCP, and the API server keys elements by the defaulted
                    // value, so an applied port without it still matches.
                    pairs.append((key, "TCP"))
                }
            }
            guard !pairs.isEmpty, let text = try? JSONEncoding().string(.map(OrderedMap(pairs))) else { return "i:\(index)" }
            return "k:" + text
        case .setList:
            return "v:" + ((try? JSONEncoding().string(item)) ?? "")
        default:
            return "i:\(index)"
        }
    }

    /// The definitions the v1.32 OpenAPI document marks
    /// `x-kubernetes-map-type: atomic` (`TetherPatch` keeps only field-level
    /// map types, so the struct-level ones are listed here).
    static let atomicDefinitions: Set<String> = [
    "io.k8s.api.admissionregistration.v1.MatchResources",
    "io.k8s.api.admissionregistration.v1.NamedRuleWithOperations",
    "io.k8s.api.admissionregistration.v1.ParamKind",
    "io.k8s.api.admissionregistration.v1.ParamRef",
    "io.k8s.api.admissionregistration.v1.Variable",
    "io.k8s.api.admissionregistration.v1alpha1.MatchResources",
    "io.k8s.api.admissionregistration.v1alpha1.NamedRuleWithOperations",
    "io.k8s.api.admissionregistration.v1alpha1.ParamKind",
    "io.k8s.api.admissionregistration.v1alpha1.ParamRef",
    "io.k8s.api.admissionregistration.v1beta1.MatchResources",
    "io.k8s.api.admissionregistration.v1beta1.NamedRuleWithOperations",
    "io.k8s.api.admissionregistration.v1beta1.ParamKind",
    "io.k8s.api.admissionregistration.v1beta1.ParamRef",
    "io.k8s.api.admissionregistration.v1beta1.Variable",
    "io.k8s.api.autoscaling.v1.CrossVersionObjectReference",
    "io.k8s.api.core.v1.ConfigMapKeySelector",
    "io.k8s.api.core.v1.EndpointAddress",
    "io.k8s.api.core.v1.EndpointPort",
    "io.k8s.api.core.v1.LocalObjectReference",
    "io.k8s.api.core.v1.NodeSelector",
    "io.k8s.api.core.v1.NodeSelectorTerm",
    "io.k8s.api.core.v1.ObjectFieldSelector",
    "io.k8s.api.core.v1.ObjectReference",
    "io.k8s.api.core.v1.ResourceFieldSelector",
    "io.k8s.api.core.v1.ScopeSelector",
    "io.k8s.api.core.v1.SecretKeySelector",
    "io.k8s.api.core.v1.SecretReference",
    "io.k8s.api.core.v1.TopologySelectorTerm",
    "io.k8s.api.core.v1.TypedLocalObjectReference",
    "io.k8s.api.discovery.v1.EndpointPort",
    "io.k8s.api.networking.v1.ServiceBackendPort",
    "io.k8s.api.rbac.v1.RoleRef",
    "io.k8s.api.rbac.v1.Subject",
    "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
    "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference",
    ]
}
