package import TetherModel

/// Strategic merge patch: the patch format of `kubectl apply`, `kubectl
/// patch --type strategic` and kustomize's `patches:`.
///
/// Maps merge recursively and `null` deletes a key. Lists whose schema says
/// `x-kubernetes-patch-strategy: merge` merge element by element, by the
/// merge key for lists of maps (containers by `name`, ports by
/// `containerPort`) and as a union for lists of scalars (`finalizers`). Every
/// other list is replaced. The `$patch`, `$retainKeys`, `$setElementOrder/`
/// and `$deleteFromPrimitiveList/` directives are described in
/// `docs/patch.md`.
///
/// Two implementations of the format exist upstream and they disagree, so
/// ``Semantics`` picks one: the API server's (apimachinery) for the
/// emulator, and kustomize's (kyaml) for the renderer, so that rendered
/// output matches `kubectl kustomize` byte for byte.
package enum StrategicMergePatch {
    /// Whose reading of strategic merge patch to follow.
    package enum Semantics: Sendable, Hashable {
        /// The Kubernetes API server (`k8s.io/apimachinery` strategicpatch):
        /// all directives; new list elements are interleaved with existing
        /// ones by `$setElementOrder` or patch order.
        case kubernetes
        /// kustomize v5 (`kyaml` merge2 with list prepend): `$patch` only
        /// (other directives are kept as ordinary keys); patch elements of a
        /// merge list come first; `$patch: delete` on a map removes the key
        /// (or the whole resource at the root).
        case kustomize
    }

    /// Options for ``apply(_:to:schema:options:)``.
    package struct Options: Sendable, Hashable {
        package var semantics: Semantics
        package init(semantics: Semantics) { self.semantics = semantics }
        /// The API server's semantics, for `application/strategic-merge-patch+json`.
        package static let kubernetes = Options(semantics: .kubernetes)
        /// kustomize's semantics, for `patches:` in a kustomization.
        package static let kustomize = Options(semantics: .kustomize)
    }

    /// Applies a strategic merge patch.
    /// - Parameters:
    ///   - patch: the patch, a map.
    ///   - original: the object to patch, usually a map.
    ///   - schema: the schema node of `original` (from
    ///     ``PatchSchema/root(group:version:kind:)``); `nil` for a kind with
    ///     no schema, which then merges maps and replaces every list, as
    ///     kustomize does for custom resources.
    ///   - options: whose semantics to follow; the API server's by default.
    /// - Returns: the patched object. With ``Semantics/kustomize``, `.null`
    ///   means the patch deleted the whole object (`$patch: delete` at the
    ///   root); drop the resource.
    /// - Throws: ``PatchError`` when the patch is not a map, a directive is
    ///   malformed, or (API server semantics) a merge-list element lacks its
    ///   merge key. An unknown field is not an error: it has no schema and
    ///   merges like a custom resource's.
    package static func apply(
        _ patch: Value, to original: Value, schema: PatchSchema.Node?, options: Options = .kubernetes
    ) throws(PatchError) -> Value {
        guard let patchMap = patch.mapValue else {
            throw PatchError(.invalidPatch, "a strategic merge patch must be a map, not \(patch.typeDescription). Wrap the fields in a map.")
        }
        switch options.semantics {
        case .kubernetes:
            let merger = APIServerMerger()
            return .map(try merger.mergeMap(original.mapValue, patchMap, schema, at: FieldPath()))
        case .kustomize:
            let merger = KustomizeMerger()
            return try merger.merge(original, patch, schema, at: FieldPath()) ?? .null
        }
    }

    static let directive = "$patch"
    static let retainKeys = "$retainKeys"
    static let setElementOrderPrefix = "$setElementOrder/"
    static let deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/"
}

extension Value {
    /// Equality as Go's `==` on decoded JSON sees it: numbers compare by
    /// value whatever their Swift case.
    func sameScalar(as other: Value) -> Bool {
        switch (self, other) {
        case (.int(let a), .float(let b)), (.float(let b), .int(let a)): return Double(a) == b
        case (.uint(let a), .float(let b)), (.float(let b), .uint(let a)): return Double(a) == b
        case (.int(let a), .uint(let b)), (.uint(let b), .int(let a)): return a >= 0 && UInt(a) == b
        default: return self == other
        }
    }

    /// The coarse type Go's reflection would report for a decoded JSON value.
    var jsonKind: Int {
        switch self {
        case .null: return 0
        case .bool: return 1
        case .int, .uint, .float: return 2
        case .string: return 3
        case .list: return 4
        case .map: return 5
        }
    }
}
