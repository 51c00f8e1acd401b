import Hummingbird
import TetherModel

extension EmulatorResponder {
    /// The admin endpoints under `/_emulator/`, for tests that run the
    /// emulator as a separate process:
    ///
    /// - `GET /_emulator/audit` lists the audited requests as
    ///   `{"kind":"AuditLog","items":[...]}`; `?write=true` keeps only
    ///   writes (mutating verbs without `dryRun=All`).
    /// - `DELETE /_emulator/audit` forgets them.
    /// - `GET`, `PUT`, `DELETE /_emulator/faults` read, replace and clear the
    ///   `FaultPlan`.
    /// - `POST /_emulator/watches/drop` ends every open watch now.
    func admin(_ request: Request, _ segments: [String], _ query: QueryParameters) async throws -> Response {
        switch (request.method, segments) {
        case (.get, ["audit"]):
            var entries = await audit.entries
            if query.flag("write") { entries = entries.filter(\.isWrite) }
            return Self.json(["kind": "AuditLog", "apiVersion": "emulator.tether.dev/v1",
                              "items": .list(entries.map(\.json))])
        case (.delete, ["audit"]):
            await audit.reset()
            return Self.json(Self.success)
        case (_, ["audit"]):
            throw EmulatorError(.methodNotAllowed, "/_emulator/audit: use GET to read the audit or DELETE to reset it")
        case (.get, ["faults"]):
            return Self.json(await faults.plan.json)
        case (.put, ["faults"]):
            let plan = try FaultPlan(json: try await Self.body(of: request))
            await faults.set(plan)
            return Self.json(plan.json)
        case (.delete, ["faults"]):
            await faults.set(FaultPlan())
            return Self.json(Self.success)
        case (_, ["faults"]):
            throw EmulatorError(.methodNotAllowed, "/_emulator/faults: use GET, PUT (a fault plan) or DELETE")
        case (.post, ["watches", "drop"]):
            let dropped = await store.endAllWatches()
            var status = Self.success
            status["message"] = .string("dropped \(dropped) watches")
            return Self.json(status)
        default:
            throw EmulatorError(.notFound,
                "the emulator has no admin endpoint \(request.uri.path); see docs/emulator.md for /_emulator/audit, /_emulator/faults and /_emulator/watches/drop")
        }
    }

    /// A `metav1.Status` for success.
    static let success: Value = ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "code": 200]
}
