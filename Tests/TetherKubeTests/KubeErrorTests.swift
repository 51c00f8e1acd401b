import Foundation
import Testing
@testable import TetherKube
import TetherModel

extension KubeSuites {
    @Suite("metav1.Status to KubeError")
    struct KubeErrorTests {
        struct Case: Sendable, CustomStringConvertible {
            var status: Int
            var reason: String
            var code: KubeError.Code
            var description: String { "\(status) \(reason)" }
        }

        static let cases: [Case] = [
            Case(status: 404, reason: "NotFound", code: .notFound),
            Case(status: 409, reason: "Conflict", code: .conflict),
            Case(status: 409, reason: "AlreadyExists", code: .alreadyExists),
            Case(status: 422, reason: "Invalid", code: .invalid),
            Case(status: 403, reason: "Forbidden", code: .forbidden),
            Case(status: 401, reason: "Unauthorized", code: .unauthorized),
            Case(status: 429, reason: "TooManyRequests", code: .tooManyRequests),
            Case(status: 410, reason: "Gone", code: .gone),
            Case(status: 410, reason: "Expired", code: .gone),
            Case(status: 500, reason: "InternalError", code: .serverError),
            Case(status: 503, reason: "ServiceUnavailable", code: .serverError),
            Case(status: 504, reason: "Timeout", code: .timeout),
            Case(status: 400, reason: "BadRequest", code: .badRequest),
            Case(status: 405, reason: "MethodNotAllowed", code: .methodNotAllowed),
            Case(status: 415, reason: "UnsupportedMediaType", code: .unsupportedMediaType),
            Case(status: 418, reason: "", code: .unexpectedStatus),
        ]

        static func statusBody(_ c: Case) -> String {
            """
            {"kind":"Status","apiVersion":"v1","status":"Failure","message":"server says \(c.reason)","reason":"\(c.reason)","code":\(c.status),
             "details":{"causes":[{"field":"spec.x","reason":"FieldValueInvalid","message":"must be positive"}]}}
            """
        }

        @Test("decoded from a Status body", arguments: cases)
        func decoded(_ c: Case) {
            let error = KubeError.fromResponse(status: c.status, body: Array(Self.statusBody(c).utf8), retryAfter: nil)
            #expect(error.code == c.code)
            #expect(error.httpStatus == c.status)
            #expect(error.message == "server says \(c.reason)")
            #expect(error.causes == [KubeError.Cause(field: "spec.x", reason: "FieldValueInvalid", message: "must be positive")])
        }

        @Test("every Status reaches the caller typed, through a real server", .timeLimit(.minutes(1)))
        func throughServer() async throws {
            let server = try TestServer()
            let client = server.client(options: {
                var options = TestServer.fastOptions()
                options.retry = .none
                return options
            }())
            _ = try await client.mapping(for: configMap)
            for c in Self.cases {
                let body = Self.statusBody(c).replacingOccurrences(of: "\n", with: "")
                try server.script(#"[{"method":"GET","path":"/api/v1/namespaces/default/configmaps/x","status":\#(c.status),"body":\#(body)}]"#)
                let error = await #expect(throws: KubeError.self) { try await client.get(configMap, name: "x") }
                #expect(error?.code == c.code, "\(c)")
                #expect(error?.resource == ResourceID(group: "", kind: "ConfigMap", namespace: "default", name: "x"))
                #expect(error?.description.hasPrefix("get ConfigMap/default/x: server says") == true)
            }
        }

        @Test("a non-Status body is not quoted, and messages read where/what/how")
        func readable() {
            let plain = KubeError.fromResponse(status: 502, body: Array("<html>token=abc</html>".utf8), retryAfter: nil)
            #expect(plain.code == .serverError)
            #expect(!plain.description.contains("token=abc"))
            var invalid = KubeError.fromResponse(status: 422, body: Array(Self.statusBody(Case(status: 422, reason: "Invalid", code: .invalid)).utf8), retryAfter: nil)
            invalid = invalid.adding(operation: "apply ConfigMap/prod/web", resource: nil)
            #expect(invalid.description == "apply ConfigMap/prod/web: server says Invalid (422 Invalid): spec.x: must be positive. Fix the listed fields.")
        }
    }
}

extension KubeSuites {
    @Suite("retry policy")
    struct RetryPolicyTests {
        let policy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100), maxDelay: .seconds(1), maxRetryAfter: .seconds(5))

        @Test("retries 429, 5xx and connection failures on idempotent requests only")
        func decisions() {
            #expect(policy.decision(for: .status(429, retryAfterSeconds: nil), attempt: 1, idempotent: true, random: 0) == .retry(after: .milliseconds(50)))
            #expect(policy.decision(for: .status(503, retryAfterSeconds: nil), attempt: 2, idempotent: true, random: 1) == .retry(after: .milliseconds(200)))
            #expect(policy.decision(for: .connectionFailed, attempt: 3, idempotent: true, random: 0.5) == .retry(after: .milliseconds(300)))
            #expect(policy.decision(for: .status(503, retryAfterSeconds: nil), attempt: 4, idempotent: true, random: 0) == .giveUp)
            #expect(policy.decision(for: .status(503, retryAfterSeconds: nil), attempt: 1, idempotent: false, random: 0) == .giveUp)
            for code in [400, 401, 403, 404, 409, 410, 422, 501] {
                #expect(policy.decision(for: .status(code, retryAfterSeconds: nil), attempt: 1, idempotent: true, random: 0) == .giveUp)
            }
        }

        @Test("Retry-After wins, capped; backoff is capped at maxDelay")
        func delays() {
            #expect(policy.decision(for: .status(429, retryAfterSeconds: 2), attempt: 1, idempotent: true, random: 0) == .retry(after: .seconds(2)))
            #expect(policy.decision(for: .status(429, retryAfterSeconds: 60), attempt: 1, idempotent: true, random: 0) == .retry(after: .seconds(5)))
            #expect(policy.backoff(attempt: 20, random: 1) == .seconds(1))
            #expect(policy.backoff(attempt: 20, random: 0) == .milliseconds(500))
        }
    }
}
