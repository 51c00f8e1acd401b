import TetherModel
import TetherPatch

extension CustomResourceSchema {
    /// The server-side apply schema of a CRD version's `openAPIV3Schema`, as
    /// apiextensions-apiserver builds its structured-merge-diff type
    /// (pkg/controller/openapi/builder, then kube-openapi's schemaconv):
    /// `x-kubernetes-list-type` `map` (keyed by `x-kubernetes-list-map-keys`)
    /// and `set` lists merge element by element, other arrays are atomic;
    /// `x-kubernetes-map-type: atomic` objects are owned as a whole;
    /// `additionalProperties` objects are maps of granular keys; the root's
    /// (and every `x-kubernetes-embedded-resource`'s) `metadata` is ObjectMeta.
    static func applyNode(_ schema: Value) -> PatchSchema.Node {
        node(schema, embedded: true)
    }

    private static let objectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"

    private static func node(_ schema: Value, embedded: Bool) -> PatchSchema.Node {
        let listType = schema["x-kubernetes-list-type"]?.stringValue
        let keys = schema["x-kubernetes-list-map-keys"]?.listValue?.compactMap(\.stringValue) ?? []
        let mapType = schema["x-kubernetes-map-type"]?.stringValue
        func make(_ shape: PatchSchema.Node.Shape) -> PatchSchema.Node {
            PatchSchema.Node(shape, listType: listType, listMapKeys: keys, mapType: mapType)
        }
        if schema["x-kubernetes-int-or-string"]?.boolValue == true { return make(.any) }
        let type = schema["type"]?.stringValue
        if type == "array" || (type == nil && schema["items"]?.mapValue != nil) {
            // An array without a list type is atomic, as in the API server.
            let items = schema["items"].map { node($0, embedded: $0["x-kubernetes-embedded-resource"]?.boolValue == true) }
            var list = make(.list(items ?? PatchSchema.Node(.any)))
            if listType == nil { list.listType = "atomic" }
            return list
        }
        if let properties = schema["properties"]?.mapValue {
            var fields: [String: PatchSchema.Node] = [:]
            for entry in properties.entries {
                fields[entry.key] = node(entry.value, embedded: entry.value["x-kubernetes-embedded-resource"]?.boolValue == true)
            }
            if embedded, let meta = PatchSchema.definition(named: objectMeta) { fields["metadata"] = meta }
            return make(.object(fields))
        }
        if let additional = schema["additionalProperties"], additional.mapValue != nil {
            return make(.map(node(additional, embedded: additional["x-kubernetes-embedded-resource"]?.boolValue == true)))
        }
        if type == "object" || type == nil {
            // A free-form object (x-kubernetes-preserve-unknown-fields): its
            // fields are deduced from the value, maps granular and lists atomic.
            var fields: [String: PatchSchema.Node] = [:]
            if embedded, let meta = PatchSchema.definition(named: objectMeta) { fields["metadata"] = meta }
            return make(.object(fields))
        }
        return make(.scalar(type ?? "string"))
    }
}
