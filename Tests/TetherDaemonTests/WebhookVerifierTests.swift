import Foundation
import Testing
@testable import TetherDaemon
import TestSupport

@Suite("Webhook authentication", .capturedLogs)
struct WebhookVerifierTests {
    static let secret = try! WebhookSecret(bytes: Array("s3cr3t-for-tests".utf8))
    static let body = Array(#"{"ref":"refs/heads/main","after":"0123456789abcdef0123456789abcdef01234567"}"#.utf8)
    static let now: Int64 = 1_800_000_000

    static func github(signature: String?, delivery: String? = "d-1", body: [UInt8] = body) -> WebhookRequest {
        var headers = [("X-GitHub-Event", "push")]
        if let signature { headers.append(("X-Hub-Signature-256", signature)) }
        if let delivery { headers.append(("X-GitHub-Delivery", delivery)) }
        return WebhookRequest(headers: headers, body: body)
    }

    static func generic(timestamp: Int64, delivery: String = "g-1", signWith: WebhookSecret = secret,
                        signedDelivery: String? = nil, body: [UInt8] = body) -> WebhookRequest {
        let signed = WebhookVerifier.genericSignedBytes(timestamp: String(timestamp), deliveryID: signedDelivery ?? delivery, body: body)
        return WebhookRequest(headers: [
            ("X-Tether-Timestamp", String(timestamp)), ("X-Tether-Delivery", delivery),
            ("X-Tether-Signature-256", WebhookVerifier.signatureHeaderValue(secret: signWith, message: signed)),
        ], body: body)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var provider: WebhookProvider
        var request: WebhookRequest
        var expected: Result<String, WebhookVerifier.Rejection>
        var testDescription: String { name }
    }

    static let other = try! WebhookSecret(bytes: Array("another-secret".utf8))
    static let good = WebhookVerifier.signatureHeaderValue(secret: secret, message: body)

    static let cases: [Case] = [
        Case(name: "GitHub: valid signature", provider: .github, request: github(signature: good), expected: .success("d-1")),
        Case(name: "GitHub: signature in upper-case hex", provider: .github,
             request: github(signature: "sha256=" + good.dropFirst(7).uppercased()), expected: .success("d-1")),
        Case(name: "GitHub: signed with another secret", provider: .github,
             request: github(signature: WebhookVerifier.signatureHeaderValue(secret: other, message: body)), expected: .failure(.wrongSignature)),
        Case(name: "GitHub: body changed after signing", provider: .github,
             request: github(signature: good, body: body + [0x20]), expected: .failure(.wrongSignature)),
        Case(name: "GitHub: no signature", provider: .github, request: github(signature: nil),
             expected: .failure(.missingSignature(header: "X-Hub-Signature-256"))),
        Case(name: "GitHub: sha1 signature only", provider: .github, request: github(signature: "sha1=abcdef"),
             expected: .failure(.malformedSignature(header: "X-Hub-Signature-256"))),
        Case(name: "GitHub: truncated signature", provider: .github, request: github(signature: String(good.dropLast(2))),
             expected: .failure(.malformedSignature(header: "X-Hub-Signature-256"))),
        Case(name: "GitHub: valid signature, no delivery id", provider: .github, request: github(signature: good, delivery: nil),
             expected: .failure(.missingDeliveryID(header: "X-GitHub-Delivery"))),
        Case(name: "GitHub: no signature and no delivery id reports the signature", provider: .github,
             request: github(signature: nil, delivery: nil), expected: .failure(.missingSignature(header: "X-Hub-Signature-256"))),
        Case(name: "GitLab: right token", provider: .gitlab,
             request: WebhookRequest(headers: [("X-Gitlab-Token", "s3cr3t-for-tests"), ("X-Gitlab-Event-UUID", "u-1")], body: body),
             expected: .success("u-1")),
        Case(name: "GitLab: Idempotency-Key as delivery id", provider: .gitlab,
             request: WebhookRequest(headers: [("X-Gitlab-Token", "s3cr3t-for-tests"), ("Idempotency-Key", "k-1")], body: body),
             expected: .success("k-1")),
        Case(name: "GitLab: wrong token", provider: .gitlab,
             request: WebhookRequest(headers: [("X-Gitlab-Token", "s3cr3t-for-test"), ("X-Gitlab-Event-UUID", "u-1")], body: body),
             expected: .failure(.wrongSignature)),
        Case(name: "GitLab: no token", provider: .gitlab,
             request: WebhookRequest(headers: [("X-Gitlab-Event-UUID", "u-1")], body: body),
             expected: .failure(.missingSignature(header: "X-Gitlab-Token"))),
        Case(name: "generic: valid", provider: .generic, request: generic(timestamp: now - 10), expected: .success("g-1")),
        Case(name: "generic: delivery id changed after signing", provider: .generic,
             request: generic(timestamp: now, delivery: "g-2", signedDelivery: "g-1"), expected: .failure(.wrongSignature)),
        Case(name: "generic: timestamp too old", provider: .generic, request: generic(timestamp: now - 301),
             expected: .failure(.staleTimestamp(skewSeconds: 301))),
        Case(name: "generic: timestamp in the future", provider: .generic, request: generic(timestamp: now + 400),
             expected: .failure(.staleTimestamp(skewSeconds: 400))),
        Case(name: "generic: another secret", provider: .generic, request: generic(timestamp: now, signWith: other),
             expected: .failure(.wrongSignature)),
        Case(name: "generic: no timestamp", provider: .generic,
             request: WebhookRequest(headers: [("X-Tether-Signature-256", good), ("X-Tether-Delivery", "x")], body: body),
             expected: .failure(.missingTimestamp)),
    ]

    @Test("accepts exactly the authentic requests", arguments: cases)
    func verify(_ c: Case) {
        let verifier = WebhookVerifier(secret: Self.secret)
        let result = Result { () throws(WebhookVerifier.Rejection) -> String in
            try verifier.verify(c.request, provider: c.provider, now: Self.now)
        }
        switch (result, c.expected) {
        case (.success(let id), .success(let expected)): #expect(id == expected)
        case (.failure(let error), .failure(let expected)): #expect(error == expected)
        default: Issue.record("got \(result), expected \(c.expected)")
        }
    }

    @Test("rejection messages never contain the secret or the signature sent")
    func messagesAreSafe() {
        let verifier = WebhookVerifier(secret: Self.secret)
        for c in Self.cases {
            do {
                _ = try verifier.verify(c.request, provider: c.provider, now: Self.now)
            } catch {
                #expect(!error.description.contains("s3cr3t"))
                #expect(!error.description.contains(String(Self.good.dropFirst(7).prefix(16))))
            }
        }
    }

    @Test("the secret file: trailing newline dropped, empty and missing files refused, never printed")
    func secretFile() throws {
        let directory = NSTemporaryDirectory() + "tether-daemon-secret-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "hunter2-hunter2\n".write(toFile: directory + "/secret", atomically: true, encoding: .utf8)
        let secret = try WebhookSecret.load(path: directory + "/secret")
        #expect(secret.bytes == Array("hunter2-hunter2".utf8))
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))

        try "\n".write(toFile: directory + "/empty", atomically: true, encoding: .utf8)
        let empty = #expect(throws: DaemonError.self) { try WebhookSecret.load(path: directory + "/empty") }
        #expect(empty?.description.contains("\(directory)/empty: the webhook secret file is empty") == true)
        let missing = #expect(throws: DaemonError.self) { try WebhookSecret.load(path: directory + "/nope") }
        #expect(missing?.code == .secretFile)
        try String(repeating: "x", count: 5000).write(toFile: directory + "/big", atomically: true, encoding: .utf8)
        let big = #expect(throws: DaemonError.self) { try WebhookSecret.load(path: directory + "/big") }
        #expect(big?.description.contains("5000 bytes") == true)
        #expect(big?.description.contains("xxxx") == false)
    }
}
