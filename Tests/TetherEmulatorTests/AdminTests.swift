import Foundation
import Testing
@testable import TetherEmulator

extension EmulatorSuites {
    @Suite("admin endpoints under /_emulator", .timeLimit(.minutes(1)))
    struct AdminTests {
        @Test("GET /_emulator/audit lists requests with verb, user and code; ?write=true keeps writes; DELETE resets")
        func auditEndpoint() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("audit")
            var out = try await h.kubectl("create", "-f", try h.file("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: \(ns)}\n"))
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "configmaps")
            #expect(out.status == 0, "\(out.stderr)")
            var r = try await h.http("GET", "/_emulator/audit")
            #expect(r.code == 200)
            let log = try Self.items(r.body)
            let create = try #require(log.first { $0["verb"] as? String == "create" })
            #expect(create["path"] as? String == "/api/v1/namespaces")
            #expect(create["resource"] as? String == "namespaces")
            #expect(create["code"] as? Int == 201)
            #expect(create["user"] as? String == "system:anonymous")
            #expect((create["userAgent"] as? String ?? "").hasPrefix("kubectl/"))
            #expect(create["write"] as? Bool == true)
            #expect(log.contains { $0["verb"] as? String == "list" && $0["namespace"] as? String == ns && $0["write"] as? Bool == false })
            #expect(!log.contains { ($0["path"] as? String ?? "").hasPrefix("/_emulator") }, "admin requests are not audited")

            r = try await h.http("GET", "/_emulator/audit?write=true")
            #expect(try Self.items(r.body).map { $0["verb"] as? String } == ["create"], "\(r.body)")
            _ = try await h.http("POST", "/api/v1/namespaces/\(ns)/configmaps?dryRun=All",
                                 body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dry"}}"#)
            r = try await h.http("GET", "/_emulator/audit?write=true")
            #expect(try Self.items(r.body).count == 1, "a dry run is not a write: \(r.body)")

            r = try await h.http("DELETE", "/_emulator/audit")
            #expect(r.code == 200 && r.body.contains(#""status":"Success""#), "\(r.body)")
            r = try await h.http("GET", "/_emulator/audit")
            #expect(try Self.items(r.body).isEmpty, "\(r.body)")
            #expect(await h.server.audit.entries.isEmpty)

            r = try await h.http("PUT", "/_emulator/audit", body: "{}")
            #expect(r.code == 405, "\(r.body)")
            r = try await h.http("GET", "/_emulator/nothing")
            #expect(r.code == 404 && r.body.contains("/_emulator/audit"), "\(r.body)")
            r = try await h.http("GET", "/apis")
            #expect(!r.body.contains("_emulator"), "admin paths stay out of discovery")
        }

        @Test("a port in use is reported in words, not as an HTTP status")
        func bindError() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let second = EmulatorServer()
            do {
                _ = try await second.start(listen: h.address)
                Issue.record("a second server bound \(h.address)")
                await second.stop()
            } catch {
                #expect(error.description == "\(h.address): cannot listen: the address is already in use by another process. Choose a free address.")
            }
        }

        static func items(_ body: String) throws -> [[String: Any]] {
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            return try #require(object?["items"] as? [[String: Any]], "\(body)")
        }
    }
}
