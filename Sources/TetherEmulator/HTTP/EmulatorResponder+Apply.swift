import Hummingbird
import TetherModel

extension EmulatorResponder {
    /// Server-side apply (`application/apply-patch+yaml`): field ownership
    /// per manager in `metadata.managedFields`, conflicts answered with 409
    /// unless `force=true`, and removal of fields the manager stopped
    /// applying when no other manager owns them.
    func apply(_ call: ResourceRequest, _ config: Value) async throws -> Response {
        var patch = config
        let warnings = try Self.checkFields(&patch, call.type, try FieldValidation(query: call.query["fieldValidation"]), apply: true)
        guard let manager = call.query["fieldManager"], !manager.isEmpty else {
            throw EmulatorError.badRequest("PATCH requests with apply-patch+yaml content type require a fieldManager")
        }
        guard case .map = patch else { throw EmulatorError.badRequest("the apply patch must be a YAML or JSON object") }
        let patchName = patch[path: ["metadata", "name"]]?.stringValue ?? ""
        if !patchName.isEmpty, patchName != call.name {
            throw EmulatorError.badRequest("the name of the object (\(patchName)) does not match the name on the URL (\(call.name))")
        }
        if call.query["force"] != nil, call.query["force"] != "true", call.query["force"] != "false" {
            throw EmulatorError.badRequest("force: Invalid value: \"\(call.query["force"] ?? "")\": must be true or false")
        }
        let (answer, created) = try await store.applyAnswer(call.type, namespace: call.namespace, name: call.name,
                                                            config: patch, manager: manager,
                                                            force: call.query.flag("force"), dryRun: call.dryRun)
        return Self.warned(Self.json(answer, status: created ? 201 : 200), warnings)
    }
}
