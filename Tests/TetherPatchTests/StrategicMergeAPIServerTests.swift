import Testing
import TetherModel
import TetherPatch

/// API server semantics on small values. Expectations follow
/// apimachinery's strategicpatch (`mergeMap`, `mergeSlice`,
/// `normalizeElementOrder`); the larger, kustomize-checked cases live in
/// fixtures/patch/.
@Suite("strategic merge patch, API server semantics")
struct StrategicMergeAPIServerTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var original: Value
        var patch: Value
        /// `nil` when the patch must be rejected.
        var expected: Value?
        var testDescription: String { name }
    }

    static let pod: PatchSchema.Node? = PatchSchema.root(apiVersion: "v1", kind: "Pod")

    static let cases: [Case] = [
        Case(name: "new container lands after the ones it follows in the patch",
             original: ["spec": ["containers": [["name": "a"], ["name": "b"]]]],
             patch: ["spec": ["containers": [["name": "b", "image": "b2"], ["name": "c"]]]],
             expected: ["spec": ["containers": [["name": "a"], ["name": "b", "image": "b2"], ["name": "c"]]]]),
        Case(name: "setElementOrder reorders a merge list",
             original: ["spec": ["containers": [["name": "a"], ["name": "b"]]]],
             patch: ["spec": ["$setElementOrder/containers": [["name": "b"], ["name": "a"]], "containers": [["name": "a", "image": "x"]]]],
             expected: ["spec": ["containers": [["name": "b"], ["name": "a", "image": "x"]]]]),
        Case(name: "setElementOrder on a primitive list",
             original: ["metadata": ["finalizers": ["x", "y"]]],
             patch: ["metadata": ["$setElementOrder/finalizers": ["y", "x", "z"], "finalizers": ["z"]]],
             expected: ["metadata": ["finalizers": ["y", "x", "z"]]]),
        Case(name: "setElementOrder that contradicts the patch list is rejected",
             original: ["spec": ["containers": [["name": "a"], ["name": "b"]]]],
             patch: ["spec": ["$setElementOrder/containers": [["name": "a"], ["name": "b"]], "containers": [["name": "b"], ["name": "a"]]]],
             expected: nil),
        Case(name: "deleteFromPrimitiveList removes values",
             original: ["metadata": ["finalizers": ["x", "y", "z"]]],
             patch: ["metadata": ["$deleteFromPrimitiveList/finalizers": ["y"]]],
             expected: ["metadata": ["finalizers": ["x", "z"]]]),
        Case(name: "deleteFromPrimitiveList together with additions",
             original: ["metadata": ["finalizers": ["x", "y"]]],
             patch: ["metadata": ["$deleteFromPrimitiveList/finalizers": ["y"], "finalizers": ["w"]]],
             expected: ["metadata": ["finalizers": ["w", "x"]]]),
        Case(name: "primitive merge list is a union, patch order first for new values",
             original: ["metadata": ["finalizers": ["x", "y"]]],
             patch: ["metadata": ["finalizers": ["z", "x"]]],
             expected: ["metadata": ["finalizers": ["z", "x", "y"]]]),
        Case(name: "retainKeys clears keys it does not list",
             original: ["spec": ["volumes": [["name": "v", "emptyDir": [:]]]]],
             patch: ["spec": ["volumes": [["name": "v", "$retainKeys": ["name", "configMap"], "configMap": ["name": "c"]]]]],
             expected: ["spec": ["volumes": [["name": "v", "configMap": ["name": "c"]]]]]),
        Case(name: "retainKeys must list every patched key",
             original: ["spec": ["volumes": [["name": "v", "emptyDir": [:]]]]],
             patch: ["spec": ["volumes": [["name": "v", "$retainKeys": ["name"], "configMap": ["name": "c"]]]]],
             expected: nil),
        Case(name: "patch replace directive in a list",
             original: ["spec": ["containers": [["name": "a"], ["name": "b"]]]],
             patch: ["spec": ["containers": [["name": "c"], ["$patch": "replace"]]]],
             expected: ["spec": ["containers": [["name": "c"]]]]),
        Case(name: "patch delete directive needs the merge key",
             original: ["spec": ["containers": [["name": "a"]]]],
             patch: ["spec": ["containers": [["$patch": "delete"]]]],
             expected: nil),
        Case(name: "merge list element without its merge key is rejected",
             original: ["spec": ["containers": [["name": "a"]]]],
             patch: ["spec": ["containers": [["image": "x"]]]],
             expected: nil),
        Case(name: "patch delete at the root empties the object",
             original: ["spec": ["hostname": "h"]], patch: ["$patch": "delete"], expected: [:]),
        Case(name: "list without strategy is replaced",
             original: ["spec": ["tolerations": [["key": "a"]]]],
             patch: ["spec": ["tolerations": [["key": "b"]]]],
             expected: ["spec": ["tolerations": [["key": "b"]]]]),
        Case(name: "type change replaces the value",
             original: ["spec": ["nodeSelector": ["a": "b"]]],
             patch: ["spec": ["nodeSelector": "oops"]],
             expected: ["spec": ["nodeSelector": "oops"]]),
        Case(name: "merge key compares numbers by value",
             original: ["spec": ["containers": [["name": "a", "ports": [["containerPort": 80, "name": "x"]]]]]],
             patch: ["spec": ["containers": [["name": "a", "ports": [["containerPort": 80.0, "name": "y"]]]]]],
             expected: ["spec": ["containers": [["name": "a", "ports": [["containerPort": 80.0, "name": "y"]]]]]]),
    ]

    @Test("directives and list order", arguments: cases)
    func apply(_ c: Case) throws {
        if let expected = c.expected {
            #expect(try StrategicMergePatch.apply(c.patch, to: c.original, schema: Self.pod) == expected)
        } else {
            #expect(throws: PatchError.self) { try StrategicMergePatch.apply(c.patch, to: c.original, schema: Self.pod) }
        }
    }

    @Test("errors name the field path")
    func errorPath() {
        let error = #expect(throws: PatchError.self) {
            try StrategicMergePatch.apply(
                ["spec": ["containers": [["name": "a"], ["image": "x"]]]],
                to: ["spec": ["containers": [["name": "a"]]]], schema: Self.pod)
        }
        #expect(error?.code == .missingMergeKey)
        #expect(error?.description == "spec.containers[1]: element has no merge key \"name\". Add \"name\" to the element.")
    }

    @Test("a patch that is not a map is rejected")
    func notAMap() {
        for options in [StrategicMergePatch.Options.kubernetes, .kustomize] {
            #expect(throws: PatchError.self) { try StrategicMergePatch.apply([1], to: [:], schema: nil, options: options) }
        }
    }

    @Test("without a schema maps merge and lists are replaced")
    func noSchema() throws {
        let original: Value = ["spec": ["items": [["name": "a"]], "x": ["y": 1]]]
        let patch: Value = ["spec": ["items": [["name": "b"]], "x": ["z": 2]]]
        let expected: Value = ["spec": ["items": [["name": "b"]], "x": ["y": 1, "z": 2]]]
        #expect(try StrategicMergePatch.apply(patch, to: original, schema: nil) == expected)
        #expect(try StrategicMergePatch.apply(patch, to: original, schema: nil, options: .kustomize) == expected)
    }
}
