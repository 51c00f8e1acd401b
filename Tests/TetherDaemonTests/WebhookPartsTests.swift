import Testing
@testable import TetherDaemon
import TestSupport

@Suite("Replay guard, rate limiter, ref filter, payload parsing", .capturedLogs)
struct WebhookPartsTests {
    let t0 = ContinuousClock.now

    @Test("a delivery id is refused again within the window and accepted after it")
    func replayWindow() {
        var guardian = ReplayGuard<ContinuousClock.Instant>(window: .seconds(10), capacity: 100)
        do { let got = guardian.admit("a", now: t0); #expect(got) }
        do { let got = guardian.admit("a", now: t0.advanced(by: .seconds(9))); #expect(!got) }
        do { let got = guardian.admit("b", now: t0.advanced(by: .seconds(9))); #expect(got) }
        do { let got = guardian.admit("a", now: t0.advanced(by: .seconds(10))); #expect(got) }
        #expect(guardian.count == 2)
    }

    @Test("memory is bounded: the oldest id is forgotten first when full, expired ids are dropped")
    func replayCapacity() {
        var guardian = ReplayGuard<ContinuousClock.Instant>(window: .seconds(60), capacity: 3)
        for id in ["a", "b", "c", "d"] { let got = guardian.admit(id, now: t0); #expect(got) }
        #expect(guardian.count == 3)
        do { let got = guardian.admit("a", now: t0); #expect(got) }  // forgotten to make room for d
        do { let got = guardian.admit("d", now: t0); #expect(!got) }
        for i in 0..<1000 { _ = guardian.admit("x\(i)", now: t0.advanced(by: .seconds(61 * i))) }
        #expect(guardian.count == 1)
    }

    @Test("token bucket: burst, then the rate, with the wait to the next token")
    func rateLimiter() {
        var limiter = RateLimiter<ContinuousClock.Instant>(rate: 2, burst: 3)
        for _ in 0..<3 { let got = limiter.acquire(now: t0); #expect(got == nil) }
        do { let got = limiter.acquire(now: t0); #expect(got == .milliseconds(500)) }
        do { let got = limiter.acquire(now: t0.advanced(by: .milliseconds(499))); #expect(got != nil) }
        do { let got = limiter.acquire(now: t0.advanced(by: .milliseconds(1000))); #expect(got == nil) }
        do { let got = limiter.acquire(now: t0.advanced(by: .seconds(100))); #expect(got == nil) }
        do { let got = limiter.acquire(now: t0.advanced(by: .seconds(100))); #expect(got == nil) }
        do { let got = limiter.acquire(now: t0.advanced(by: .seconds(100))); #expect(got == nil) }
        do { let got = limiter.acquire(now: t0.advanced(by: .seconds(100))); #expect(got != nil) }
    }

    struct RefCase: Sendable, CustomTestStringConvertible {
        var tracked: String?
        var pushed: String?
        var defaultBranch: String?
        var matches: Bool
        var testDescription: String { "tracked \(tracked ?? "default") pushed \(pushed ?? "?") -> \(matches)" }
    }

    @Test("ref filter", arguments: [
        RefCase(tracked: "main", pushed: "refs/heads/main", matches: true),
        RefCase(tracked: "main", pushed: "refs/heads/feature", matches: false),
        RefCase(tracked: "main", pushed: "refs/tags/main", matches: false),
        RefCase(tracked: "branch:release/1.x", pushed: "refs/heads/release/1.x", matches: true),
        RefCase(tracked: "tag:v1.4.0", pushed: "refs/tags/v1.4.0", matches: true),
        RefCase(tracked: "tag:v1.4.0", pushed: "refs/heads/v1.4.0", matches: false),
        RefCase(tracked: "refs/heads/prod", pushed: "refs/heads/prod", matches: true),
        RefCase(tracked: "0123456789abcdef0123456789abcdef01234567", pushed: "refs/heads/main", matches: false),
        RefCase(tracked: nil, pushed: "refs/heads/main", defaultBranch: "main", matches: true),
        RefCase(tracked: nil, pushed: "refs/heads/dev", defaultBranch: "main", matches: false),
        RefCase(tracked: nil, pushed: "refs/heads/dev", defaultBranch: nil, matches: true),
        RefCase(tracked: "main", pushed: nil, matches: true),
    ])
    func refFilter(_ c: RefCase) {
        #expect(RefFilter(trackedRef: c.tracked).matches(ref: c.pushed, defaultBranch: c.defaultBranch) == c.matches)
    }

    @Test("payloads: GitHub push and ping, GitLab push, generic with and without a body, malformed JSON")
    func payloads() throws {
        let github = WebhookRequest(headers: [("X-GitHub-Event", "push")], body: Array(#"""
            {"ref":"refs/heads/main","before":"0000","after":"abc123","repository":{"default_branch":"main"}}
            """#.utf8))
        #expect(try WebhookEvent.parse(github, provider: .github).kind == .push(ref: "refs/heads/main", revision: "abc123", defaultBranch: "main"))
        let ping = WebhookRequest(headers: [("X-GitHub-Event", "ping")], body: Array(#"{"zen":"x"}"#.utf8))
        #expect(try WebhookEvent.parse(ping, provider: .github).kind == .ping)
        let issue = WebhookRequest(headers: [("X-GitHub-Event", "issues")], body: Array("{}".utf8))
        #expect(try WebhookEvent.parse(issue, provider: .github).kind == .other("issues"))
        let gitlab = WebhookRequest(headers: [("X-Gitlab-Event", "Push Hook")], body: Array(#"""
            {"object_kind":"push","ref":"refs/heads/dev","checkout_sha":"def456","project":{"default_branch":"main"}}
            """#.utf8))
        #expect(try WebhookEvent.parse(gitlab, provider: .gitlab).kind == .push(ref: "refs/heads/dev", revision: "def456", defaultBranch: "main"))
        let mergeRequest = WebhookRequest(headers: [("X-Gitlab-Event", "Merge Request Hook")], body: Array("{}".utf8))
        #expect(try WebhookEvent.parse(mergeRequest, provider: .gitlab).kind == .other("Merge Request Hook"))
        #expect(try WebhookEvent.parse(WebhookRequest(headers: [], body: []), provider: .generic).kind == .push(ref: nil, revision: nil, defaultBranch: nil))
        let generic = WebhookRequest(headers: [], body: Array(#"{"ref":"refs/heads/main","revision":"r1"}"#.utf8))
        #expect(try WebhookEvent.parse(generic, provider: .generic).kind == .push(ref: "refs/heads/main", revision: "r1", defaultBranch: nil))
        #expect(throws: WebhookEvent.ParseError.self) {
            try WebhookEvent.parse(WebhookRequest(headers: [("X-GitHub-Event", "push")], body: Array("{nope".utf8)), provider: .github)
        }
        #expect(throws: WebhookEvent.ParseError.self) {
            try WebhookEvent.parse(WebhookRequest(headers: [], body: Array(#"{"ref":42}"#.utf8)), provider: .generic)
        }
        #expect(throws: WebhookEvent.ParseError.self) {
            try WebhookEvent.parse(WebhookRequest(headers: [("X-GitHub-Event", "push")], body: Array("[1]".utf8)), provider: .github)
        }
    }
}
