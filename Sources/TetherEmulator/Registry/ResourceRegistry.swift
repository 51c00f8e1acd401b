import TetherModel

/// The resources the emulator serves: the built-in table plus the versions of
/// every CustomResourceDefinition stored so far.
///
/// A value type; the store actor owns the one live copy and changes it when
/// CRDs are created or deleted.
package struct ResourceRegistry: Sendable {
    /// Every served type, in discovery order (built-ins first, then CRDs by creation).
    package private(set) var types: [ResourceType]

    package init(types: [ResourceType] = BuiltinResources.all) {
        self.types = types
    }

    /// The type served at `group/version/plural`, if any.
    package func type(group: String, version: String, plural: String) -> ResourceType? {
        types.first { $0.group == group && $0.version == version && $0.plural == plural }
    }

    /// Any served version of a resource (for storage keyed by group and resource).
    package func type(for resource: GroupResource) -> ResourceType? {
        types.first { $0.groupResource == resource }
    }

    /// The type an object with this apiVersion and kind belongs to.
    package func type(apiVersion: String, kind: String) -> ResourceType? {
        let gvk = GroupVersionKind(apiVersion: apiVersion, kind: kind)
        return types.first { $0.group == gvk.group && $0.version == gvk.version && $0.kind == gvk.kind }
    }

    /// The API groups in discovery order, each with its versions.
    package var groups: [(name: String, versions: [String])] {
        var result: [(name: String, versions: [String])] = []
        for type in types where !type.group.isEmpty {
            if let index = result.firstIndex(where: { $0.name == type.group }) {
                if !result[index].versions.contains(type.version) { result[index].versions.append(type.version) }
            } else {
                result.append((type.group, [type.version]))
            }
        }
        return result
    }

    /// The types served under one group version.
    package func types(group: String, version: String) -> [ResourceType] {
        types.filter { $0.group == group && $0.version == version }
    }

    /// Registers the served versions of a CustomResourceDefinition, replacing
    /// what an earlier version of the same CRD registered.
    ///
    /// - Throws: `EmulatorError` with code `.invalid` when the CRD lacks its
    ///   group, names or versions.
    mutating func register(crd: Value) throws(EmulatorError) {
        let name = crd[path: ["metadata", "name"]]?.stringValue ?? ""
        let crdResource = GroupResource(group: "apiextensions.k8s.io", resource: "customresourcedefinitions")
        func invalid(_ what: String) -> EmulatorError {
            .invalid(crdResource, kind: "CustomResourceDefinition", name, what)
        }
        guard let spec = crd["spec"], let group = spec["group"]?.stringValue, !group.isEmpty else {
            throw invalid("spec.group: Required value")
        }
        guard let names = spec["names"], let plural = names["plural"]?.stringValue,
              let kind = names["kind"]?.stringValue
        else { throw invalid("spec.names: Required value") }
        guard name == plural + "." + group else {
            throw invalid("metadata.name: Invalid value: \"\(name)\": must be spec.names.plural+\".\"+spec.group")
        }
        let namespaced = spec["scope"]?.stringValue != "Cluster"
        let versions = spec["versions"]?.listValue ?? []
        guard !versions.isEmpty else { throw invalid("spec.versions: Invalid value: must have exactly one version marked as storage version") }
        var causes: [EmulatorError.Cause] = []
        for (index, version) in versions.enumerated() {
            let path = "spec.versions[\(index)].schema.openAPIV3Schema"
            guard let schema = version[path: ["schema", "openAPIV3Schema"]] else {
                causes.append(EmulatorError.Cause(reason: "FieldValueRequired", message: "Required value: schemas are required", field: path))
                continue
            }
            causes += CustomResourceSchema.structuralProblems(schema, path: path)
            if let scale = version[path: ["subresources", "scale"]] {
                causes += Self.scaleProblems(scale, path: "spec.versions[\(index)].subresources.scale")
            }
        }
        if !causes.isEmpty {
            let texts = causes.map { "\($0.field): \($0.message)" }
            var error = invalid(texts.count == 1 ? texts[0] : "[" + texts.joined(separator: ", ") + "]")
            error.causes = causes
            throw error
        }
        unregister(group: group, plural: plural)
        let storageVersion = versions.first { $0["storage"]?.boolValue == true }?["name"]?.stringValue
        for version in versions {
            guard let versionName = version["name"]?.stringValue, version["served"]?.boolValue ?? true else { continue }
            var subresources: [ResourceType.Subresource] = []
            if version[path: ["subresources", "status"]] != nil { subresources.append(.status) }
            var scalePaths: ResourceType.ScalePaths?
            if let scale = version[path: ["subresources", "scale"]] {
                subresources.append(.scale)
                scalePaths = ResourceType.ScalePaths(
                    specReplicas: Self.fieldPath(scale["specReplicasPath"]?.stringValue ?? ".spec.replicas"),
                    statusReplicas: Self.fieldPath(scale["statusReplicasPath"]?.stringValue ?? ".status.replicas"),
                    labelSelector: scale["labelSelectorPath"]?.stringValue.map(Self.fieldPath))
            }
            var type = ResourceType(
                group: group, version: versionName, kind: kind, plural: plural, namespaced: namespaced,
                shortNames: names["shortNames"]?.listValue?.compactMap(\.stringValue) ?? [],
                categories: names["categories"]?.listValue?.compactMap(\.stringValue) ?? [],
                subresources: subresources,
                singular: names["singular"]?.stringValue ?? kind.lowercased(),
                builtIn: false, schema: version[path: ["schema", "openAPIV3Schema"]])
            type.scalePaths = scalePaths
            type.storageVersion = storageVersion
            type.selectableFields = Set((version["selectableFields"]?.listValue ?? []).compactMap {
                $0["jsonPath"]?.stringValue.map { String($0.drop(while: { $0 == "." })) }
            })
            types.append(type)
        }
    }

    /// apiextensions' checks of `subresources.scale` (validateCustomResourceDefinitionSubresources).
    static func scaleProblems(_ scale: Value, path: String) -> [EmulatorError.Cause] {
        var causes: [EmulatorError.Cause] = []
        func check(_ field: String, required: Bool, prefixes: [String], under: String) {
            guard let value = scale[field]?.stringValue, !value.isEmpty else {
                if required { causes.append(EmulatorError.Cause(reason: "FieldValueRequired", message: "Required value", field: path + "." + field)) }
                return
            }
            if !prefixes.contains(where: value.hasPrefix) {
                causes.append(EmulatorError.Cause(reason: "FieldValueInvalid",
                                                  message: "Invalid value: \"\(value)\": should be a json path under \(under)",
                                                  field: path + "." + field))
            }
        }
        check("specReplicasPath", required: true, prefixes: [".spec."], under: ".spec")
        check("statusReplicasPath", required: true, prefixes: [".status."], under: ".status")
        check("labelSelectorPath", required: false, prefixes: [".spec.", ".status."], under: "either .spec or .status")
        return causes
    }

    /// The fields of a CRD's simple JSON path (`.spec.replicas`).
    static func fieldPath(_ path: String) -> [String] {
        path.split(separator: ".").map(String.init)
    }

    /// Removes every version a CRD registered.
    mutating func unregister(group: String, plural: String) {
        types.removeAll { !$0.builtIn && $0.group == group && $0.plural == plural }
    }
}
