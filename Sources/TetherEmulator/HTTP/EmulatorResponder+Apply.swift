import Hummingbird
import TetherModel
import TetherPatch

extension EmulatorResponder {
    /// Server-side apply, first approximation: creates the object when it is
    /// missing and otherwise merges the applied configuration into the live
    /// object (strategic merge for built-in kinds, merge patch for custom
    /// resources). Field ownership (managedFields, conflicts, removal of
    /// fields a manager stopped applying) is not tracked yet.
    func apply(_ call: ResourceRequest, _ patch: Value) async throws -> Response {
        guard let manager = call.query["fieldManager"], !manager.isEmpty else {
            throw EmulatorError.badRequest("PATCH requests with apply-patch+yaml content type require a fieldManager")
        }
        let type = call.type
        let patchName = patch[path: ["metadata", "name"]]?.stringValue ?? ""
        if !patchName.isEmpty, patchName != call.name {
            throw EmulatorError.badRequest("the name of the object (\(patchName)) does not match the name on the URL (\(call.name))")
        }
        var initial = patch
        initial[at: ["metadata", "name"]] = .string(call.name)
        let (object, created) = try await store.upsert(type, namespace: call.namespace, name: call.name,
                                                       initial: initial, dryRun: call.dryRun) { current throws(EmulatorError) in
            var merged: Value
            do {
                let schema = type.builtIn ? PatchSchema.root(group: type.group, version: type.version, kind: type.kind) : nil
                merged = type.builtIn
                    ? try StrategicMergePatch.apply(patch, to: current, schema: schema, options: .kubernetes)
                    : MergePatch.apply(patch, to: current)
            } catch {
                throw EmulatorError(.invalid, "\(error)", cause: error)
            }
            merged[at: ["metadata", "resourceVersion"]] = current[path: ["metadata", "resourceVersion"]]
            return merged
        }
        return Self.json(object, status: created ? 201 : 200)
    }
}
