import Foundation
import Testing
import TetherModel
@testable import TetherEngine
import TestSupport

@Suite("Saved plans", .capturedLogs)
struct SavedPlanTests {
    static let createdAt = Date(timeIntervalSince1970: 1_790_000_000)

    static func saved(_ plan: Plan = ReportTests.samplePlan()) -> SavedPlan {
        SavedPlan(plan: plan, tetherVersion: "0.7.0", createdAt: createdAt)
    }

    /// The rendered objects of `ReportTests.samplePlan()`, as the planner labels them.
    static func rendered(_ plan: Plan = ReportTests.samplePlan()) -> [Resource] {
        plan.entries.compactMap(\.desired)
    }

    @Test("encode then decode gives the same plan")
    func roundTrip() throws {
        let plan = Self.saved()
        let decoded = try SavedPlan.decode(plan.encoded(), source: "plan.json")
        #expect(decoded == plan)
        #expect(decoded.entries.map(\.action) == [.create, .update, .update, .unchanged, .skip, .prune])
        #expect(decoded.entries[2].liveUID == "6f1c0d9e-1")
        #expect(decoded.entries[2].liveResourceVersion == "4711")
        #expect(decoded.entries[1].liveResourceVersion == "12")
        #expect(decoded.entries[5].desired == nil)
        #expect(decoded.entries[4].reason == "annotated tether.dev/sync: disabled | by *ops*")
        #expect(decoded.revision == "3f2a9c1d0e")
        #expect(decoded.applySetParent == PlanFixtures.parent.id)
        #expect(decoded.createdAt == Self.createdAt)
    }

    @Test("the file records format, versions, time, ApplySet and revision")
    func fileLayout() throws {
        let document = try JSONParsing().value(from: Self.saved().encoded())
        #expect(document["kind"] == "TetherPlan")
        #expect(document["formatVersion"] == 1)
        #expect(document["tetherVersion"] == "0.7.0")
        #expect(document["createdAt"] == "2026-09-21T14:13:20Z")
        #expect(document[path: ["applySet", "parent"]] == ["group": "", "kind": "ConfigMap", "namespace": "tether-system", "name": "tether-web"])
        #expect(document[path: ["applySet", "id"]]?.stringValue == PlanFixtures.parent.applySetID)
        #expect(document["revision"] == "3f2a9c1d0e")
        let entries = try #require(document["entries"]?.listValue)
        #expect(entries[2]["desired"] == PlanFixtures.mergedDeployment.value)
    }

    @Test("Secret values are never written: only a salted digest")
    func secretsNotWritten() throws {
        let plan = Self.saved()
        let text = String(decoding: plan.encoded(), as: UTF8.self)
        for value in DiffTests.secretValues { #expect(!text.contains(value)) }
        let secret = plan.entries[1]
        #expect(secret.id.kind == "Secret")
        #expect(secret.desired == nil)
        let digest = try #require(secret.secretDigest)
        #expect(digest.hasPrefix("sha256:") && digest.utf8.count == 71)
        // Two plans of the same Secret have different salts, so different digests.
        let other = Self.saved()
        #expect(other.secretDigestSalt != plan.secretDigestSalt)
        #expect(other.entries[1].secretDigest != digest)
    }

    @Test("Secret with stringData only, created: digest, no values")
    func stringDataSecret() throws {
        let secret = PlanFixtures.secret([], stringData: [("token", "hunter2-stringdata")])
        let plan = Plan(revision: "r1", applySet: PlanFixtures.parent, entries: [PlanFixtures.entry(.create, secret)])
        let saved = Self.saved(plan)
        #expect(!String(decoding: saved.encoded(), as: UTF8.self).contains("hunter2"))
        #expect(saved.verify(rendered: [secret]).isEmpty)
    }

    @Test("the digest is SHA-256 of the salt followed by the canonical JSON")
    func digestDefinition() throws {
        let secret = PlanFixtures.secret([("password", DiffTests.password)])
        let salt: [UInt8] = Array("salt".utf8)
        let canonical = try JSONEncoding(sortedKeys: true).string(secret.value)
        #expect(canonical == #"{"apiVersion":"v1","data":{"password":"\#(DiffTests.password)"},"kind":"Secret","metadata":{"name":"db","namespace":"prod"},"type":"Opaque"}"#)
        // echo -n 'salt{...}' | sha256sum, computed with coreutils.
        let expected = try Self.sha256sum(salt + Array(canonical.utf8))
        #expect(SavedPlan.digest(of: secret, salt: salt) == "sha256:" + expected)
        // Key order does not change the digest.
        var reordered = OrderedMap()
        for entry in secret.value.mapValue!.entries.reversed() { reordered.append(key: entry.key, value: entry.value) }
        #expect(SavedPlan.digest(of: Resource(unchecked: .map(reordered)), salt: salt) == "sha256:" + expected)
    }

    @Test("verify accepts the same render and names objects that changed, vanished or appeared")
    func verify() throws {
        let plan = Self.saved()
        #expect(plan.verify(rendered: Self.rendered()).isEmpty)

        var rendered = Self.rendered()
        // Secret value changed: only the digest can tell.
        rendered[1] = PlanFixtures.secret([("password", DiffTests.apiKey)], resourceVersion: "12")
        // Deployment changed.
        rendered[2].value["spec"]?["replicas"] = 5
        // The skipped ConfigMap is no longer rendered.
        rendered.remove(at: 4)
        // The pruned ConfigMap is rendered again, and a new one appears.
        rendered.append(PlanFixtures.configMap("settings-old1", [("mode", "slow")]))
        rendered.append(PlanFixtures.configMap("brand-new", []))
        let mismatches = plan.verify(rendered: rendered)
        #expect(mismatches == [
            .init(id: ResourceID(group: "", kind: "Secret", namespace: "prod", name: "db"), reason: .changed),
            .init(id: PlanFixtures.liveDeployment.id, reason: .changed),
            .init(id: ResourceID(group: "", kind: "ConfigMap", namespace: "prod", name: "manual"), reason: .notRendered),
            .init(id: ResourceID(group: "", kind: "ConfigMap", namespace: "prod", name: "settings-old1"), reason: .notPlanned),
            .init(id: ResourceID(group: "", kind: "ConfigMap", namespace: "prod", name: "brand-new"), reason: .notPlanned),
        ])
        #expect(mismatches[0].description == "Secret/prod/db renders differently than when the plan was made")
        for mismatch in mismatches {
            for value in DiffTests.secretValues { #expect(!mismatch.description.contains(value)) }
        }
    }

    @Test("verify after a decode uses the stored salt")
    func verifyAfterDecode() throws {
        let decoded = try SavedPlan.decode(Self.saved().encoded())
        #expect(decoded.verify(rendered: Self.rendered()).isEmpty)
        var changed = Self.rendered()
        changed[1] = PlanFixtures.secret([("password", DiffTests.password), ("extra", "eA==")], resourceVersion: "12")
        #expect(decoded.verify(rendered: changed).map(\.reason) == [.changed])
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        var edit: @Sendable (inout Value) -> Void
        var message: String
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "not a plan", edit: { $0["kind"] = "ConfigMap" },
                message: "plan.json: kind is not \"TetherPlan\"; this is not a Tether plan."),
        BadCase(name: "newer format", edit: { $0["formatVersion"] = 2 },
                message: "plan.json: formatVersion 2 is not supported; this Tether reads versions 1 to 1."),
        BadCase(name: "unknown action", edit: { $0["entries"] = [["kind": "ConfigMap", "name": "a", "apiVersion": "v1", "action": "delete"]] },
                message: "plan.json: entries[0].action 'delete' is not one of create, update, unchanged, prune, skip."),
        BadCase(name: "update without desired", edit: { $0["entries"] = [["kind": "ConfigMap", "name": "a", "apiVersion": "v1", "action": "update"]] },
                message: "plan.json: entries[0] is an update without a desired object or secretDigest."),
        BadCase(name: "desired for another object",
                edit: { $0["entries"] = [["kind": "ConfigMap", "name": "a", "apiVersion": "v1", "action": "create",
                                          "desired": ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "b"]]]] },
                message: "plan.json: entries[0].desired is ConfigMap/b, but the entry is for ConfigMap/a."),
        BadCase(name: "a Secret in clear",
                edit: { $0["entries"] = [["kind": "Secret", "name": "s", "apiVersion": "v1", "action": "create",
                                          "desired": ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"]]]] },
                message: "plan.json: entries[0].desired holds a Secret; plans never hold Secret values, only their digest."),
        BadCase(name: "edited ApplySet id", edit: { $0["applySet"]?["id"] = "applyset-x-v1" },
                message: "plan.json: applySet.id 'applyset-x-v1' is not the id of ConfigMap/tether-system/tether-web; the file was edited."),
        BadCase(name: "bad time", edit: { $0["createdAt"] = "yesterday" },
                message: "plan.json: createdAt 'yesterday' is not an RFC 3339 time."),
        BadCase(name: "number for a string", edit: { $0["revision"] = 7 },
                message: "plan.json: revision is an integer, not a string."),
        BadCase(name: "missing entries", edit: { $0["entries"] = nil },
                message: "plan.json: entries is missing or not a list."),
    ]

    @Test("bad plan files are refused with the field and a fix", arguments: badCases)
    func invalid(_ c: BadCase) throws {
        var document = try JSONParsing().value(from: Self.saved().encoded())
        c.edit(&document)
        let bytes = try JSONEncoding().bytes(document)
        let error = try #require(throws: EngineError.self) { try SavedPlan.decode(bytes, source: "plan.json") }
        #expect(error.code == .invalidPlan)
        #expect(error.description == c.message + " Pass a file written by `tether diff --save-plan`, or make a new plan.")
    }

    @Test("not JSON at all")
    func notJSON() throws {
        let error = try #require(throws: EngineError.self) { try SavedPlan.decode(Array("plan: yaml".utf8), source: "p.json") }
        #expect(error.code == .invalidPlan)
        #expect(error.description.hasPrefix("p.json: the file is not valid JSON: "))
    }

    @Test("write makes a 0600 file, replacing a wider one, and read gets the plan back")
    func files() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("savedplan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("plan.json").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let plan = Self.saved()
        try plan.write(to: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try SavedPlan.read(from: path) == plan)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["plan.json"])

        let missing = try #require(throws: EngineError.self) { try SavedPlan.read(from: dir.path + "/nope.json") }
        #expect(missing.code == .invalidPlan)
        #expect(missing.description.hasPrefix(dir.path + "/nope.json: the plan file cannot be read"))
        let unwritable = try #require(throws: EngineError.self) { try plan.write(to: dir.path + "/no/such/dir/plan.json") }
        #expect(unwritable.description.contains("No such file or directory"))
    }

    static func sha256sum(_ bytes: [UInt8]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
