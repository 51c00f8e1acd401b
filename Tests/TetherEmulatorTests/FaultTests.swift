import Foundation
import Testing
@testable import TetherEmulator

extension EmulatorSuites {
    @Suite("fault injection", .timeLimit(.minutes(1)))
    struct FaultTests {
        static let configMap = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"NAME"}}"#

        /// curl with the response headers, so Retry-After can be read.
        static func withHeaders(_ h: EmulatorHarness, _ method: String, _ path: String, body: String? = nil)
            async throws -> (code: Int, headers: String, body: String)
        {
            var args = ["curl", "-sS", "-i", "-X", method, "http://\(h.address)\(path)"]
            if body != nil { args += ["-H", "Content-Type: application/json", "--data-binary", "@-"] }
            let out = try await EmulatorHarness.run("/usr/bin/env", args, stdin: body, timeout: 20)
            let parts = out.stdout.components(separatedBy: "\r\n\r\n")
            let head = parts.first ?? ""
            let code = Int(head.split(separator: " ").dropFirst().first ?? "") ?? -1
            return (code, head, parts.dropFirst().joined(separator: "\r\n\r\n"))
        }

        @Test("failNext fails the next N requests of a verb with the chosen code, then requests succeed")
        func failNext() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            var r = try await h.http("PUT", "/_emulator/faults", body: #"{"failNext":{"count":2,"code":503,"verbs":["create"]},"retryAfterSeconds":3}"#)
            #expect(r.code == 200, "\(r.body)")
            let get = try await h.http("GET", "/api/v1/namespaces/default/configmaps")
            #expect(get.code == 200, "reads are not counted against a create-only failNext")
            for name in ["a", "b"] {
                let failed = try await Self.withHeaders(h, "POST", "/api/v1/namespaces/default/configmaps",
                                                        body: Self.configMap.replacingOccurrences(of: "NAME", with: name))
                #expect(failed.code == 503, "\(failed.headers)")
                #expect(failed.headers.lowercased().contains("retry-after: 3"), "\(failed.headers)")
                #expect(failed.body.contains(#""reason":"ServiceUnavailable""#) && failed.body.contains(#""retryAfterSeconds":3"#), "\(failed.body)")
            }
            r = try await h.http("POST", "/api/v1/namespaces/default/configmaps", body: Self.configMap.replacingOccurrences(of: "NAME", with: "c"))
            #expect(r.code == 201, "\(r.body)")
            r = try await h.http("GET", "/_emulator/faults")
            #expect(r.body.contains(#""failNext":null"#), "used up: \(r.body)")
            let codes = await h.server.audit.entries.filter { $0.verb == "create" }.map(\.code)
            #expect(codes == [503, 503, 201], "injected failures are audited")
        }

        @Test("throttling answers 429 TooManyRequests with Retry-After; kubectl retries after it")
        func throttle() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            _ = try await h.http("PUT", "/_emulator/faults", body: #"{"throttleRate":1,"retryAfterSeconds":2}"#)
            let r = try await Self.withHeaders(h, "GET", "/api/v1/namespaces")
            #expect(r.code == 429 && r.headers.lowercased().contains("retry-after: 2"), "\(r.headers)")
            #expect(r.body.contains(#""reason":"TooManyRequests""#) && r.body.contains(#""code":429"#), "\(r.body)")
            // One throttled request, then none: kubectl waits Retry-After and succeeds.
            _ = try await h.http("PUT", "/_emulator/faults", body: #"{"failNext":{"count":1,"code":429,"verbs":["list"]},"retryAfterSeconds":1}"#)
            let started = ContinuousClock.now
            let out = try await h.kubectl("get", "namespaces", "-o", "name")
            #expect(out.status == 0 && out.stdout.contains("namespace/default"), "\(out.stderr)")
            #expect(ContinuousClock.now - started >= .milliseconds(900), "kubectl honoured Retry-After")
        }

        @Test("error rates per verb, with a seed; latency delays requests")
        func ratesAndLatency() async throws {
            var options = EmulatorOptions()
            options.faults.errorRate = ["patch": 1]
            options.faults.errorCode = 502
            let h = try await EmulatorHarness.start(options: options)
            defer { Task { await h.stop() } }
            var r = try await h.http("PATCH", "/api/v1/namespaces/default", body: #"{"metadata":{"labels":{"a":"b"}}}"#,
                                     contentType: "application/merge-patch+json")
            #expect(r.code == 502 && r.body.contains(#""code":502"#), "\(r.body)")
            r = try await h.http("GET", "/api/v1/namespaces/default")
            #expect(r.code == 200)

            _ = try await h.http("PUT", "/_emulator/faults", body: #"{"errorRate":{"*":0.5},"seed":7}"#)
            var failures = 0
            for _ in 0..<40 where try await h.http("GET", "/api/v1/namespaces/default").code == 500 { failures += 1 }
            #expect((8...32).contains(failures), "\(failures) of 40 failed at rate 0.5")
            _ = try await h.http("PUT", "/_emulator/faults", body: #"{"errorRate":{"*":0.5},"seed":7}"#)
            var again = 0
            for _ in 0..<40 where try await h.http("GET", "/api/v1/namespaces/default").code == 500 { again += 1 }
            #expect(again == failures, "the same seed repeats the same failures")

            _ = try await h.http("PUT", "/_emulator/faults", body: #"{"latency":"300ms"}"#)
            let started = ContinuousClock.now
            r = try await h.http("GET", "/api/v1/namespaces/default")
            #expect(r.code == 200 && ContinuousClock.now - started >= .milliseconds(300))
            r = try await h.http("DELETE", "/_emulator/faults")
            #expect(r.code == 200)
            #expect(await h.server.faults.plan == FaultPlan())
            r = try await h.http("PUT", "/_emulator/faults", body: #"{"errorRate":{"get":2}}"#)
            #expect(r.code == 400 && r.body.contains("errorRate.get must be a number from 0 to 1"), "\(r.body)")
            r = try await h.http("PUT", "/_emulator/faults", body: #"{"latancy":"1s"}"#)
            #expect(r.code == 400 && r.body.contains(#"unknown field \"latancy\""#), "\(r.body)")
        }

        @Test("watches are dropped on request and after watchDropAfter")
        func dropWatches() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let url = "http://\(h.address)/api/v1/namespaces?watch=1"
            async let watch = EmulatorHarness.run("/usr/bin/env", ["curl", "-sS", "-N", url], stdin: nil, timeout: 20)
            // Wait until the watch is registered, then drop it.
            var dropped = ""
            for _ in 0..<100 {
                dropped = try await h.http("POST", "/_emulator/watches/drop").body
                if dropped.contains("dropped 1 watches") { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(dropped.contains("dropped 1 watches"), "\(dropped)")
            let out = try await watch
            #expect(out.status == 0 && out.stdout.contains(#""type":"ADDED""#), "\(out.stdout) \(out.stderr)")

            _ = try await h.http("PUT", "/_emulator/faults", body: #"{"watchDropAfter":"500ms"}"#)
            let started = ContinuousClock.now
            let second = try await EmulatorHarness.run("/usr/bin/env", ["curl", "-sS", "-N", url], stdin: nil, timeout: 20)
            #expect(second.status == 0 && ContinuousClock.now - started < .seconds(10), "\(second.stderr)")
        }
    }
}
