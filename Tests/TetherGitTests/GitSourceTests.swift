import Foundation
import Testing
@testable import TetherGit

@Suite("source and ref validation")
struct GitSourceTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var input: String
        var kind: GitSource.Kind?
        var redacted: String?
        var description: String { name }
    }

    @Test("parses every supported source kind", arguments: [
        Case(name: "local path", input: "/srv/repo", kind: .localDirectory, redacted: "/srv/repo"),
        Case(name: "file URL", input: "file:///srv/repo.git", kind: .file, redacted: "file:///srv/repo.git"),
        Case(name: "git daemon", input: "git://127.0.0.1:9418/repo.git", kind: .git, redacted: "git://127.0.0.1:9418/repo.git"),
        Case(name: "https with token", input: "https://x-token:abc123@example.com/org/repo.git", kind: .https, redacted: "https://***@example.com/org/repo.git"),
        Case(name: "http", input: "http://example.com/repo.git", kind: .http, redacted: "http://example.com/repo.git"),
        Case(name: "ssh URL with port", input: "ssh://git@example.com:2222/org/repo.git", kind: .ssh, redacted: "ssh://git@example.com:2222/org/repo.git"),
        Case(name: "ssh with password", input: "ssh://git:hunter2@example.com/repo.git", kind: .ssh, redacted: "ssh://git:***@example.com/repo.git"),
        Case(name: "scp-like", input: "git@example.com:org/repo.git", kind: .ssh, redacted: "git@example.com:org/repo.git"),
    ])
    func parses(_ testCase: Case) throws {
        let source = try GitSource(testCase.input)
        #expect(source.kind == testCase.kind)
        #expect(source.description == testCase.redacted)
    }

    @Test("refuses unsafe sources", arguments: [
        Case(name: "leading dash", input: "-uupload-pack=touch /tmp/x"),
        Case(name: "dot dot", input: "https://example.com/../etc/repo.git"),
        Case(name: "control character", input: "https://example.com/re\npo.git"),
        Case(name: "ext transport", input: "ext::sh -c touch% /tmp/pwned"),
        Case(name: "fd transport", input: "fd::17"),
        Case(name: "unknown scheme", input: "ftp://example.com/repo.git"),
        Case(name: "no host", input: "https:///repo.git"),
        Case(name: "bad port", input: "ssh://git@example.com:99999/repo.git"),
    ])
    func refuses(_ testCase: Case) {
        let error = #expect(throws: GitError.self) { try GitSource(testCase.input) }
        #expect(error?.code == .invalidInput)
    }

    @Test("refusal messages never contain URL passwords")
    func refusalRedacts() {
        let error = #expect(throws: GitError.self) { try GitSource("https://user:topsecret@example.com/../x.git") }
        #expect(!"\(String(describing: error))".contains("topsecret"))
    }

    @Test("refuses unsafe refs", arguments: ["-delete", "a..b", "main\u{7}", "feature branch", "x~1", "refs/heads/main", "v1.lock", "a//b", "@{-1}", ""])
    func refusesRefs(_ name: String) {
        let error = #expect(throws: GitError.self) { try GitReference.branch(name).validate() }
        #expect(error?.code == .invalidInput)
    }

    @Test("parses CLI ref forms")
    func parsesRefs() throws {
        #expect(try GitReference(parsing: "main") == .name("main"))
        #expect(try GitReference(parsing: "tag:v1.2.3") == .tag("v1.2.3"))
        #expect(try GitReference(parsing: String(repeating: "A1", count: 20)) == .commit(String(repeating: "a1", count: 20)))
        #expect(throws: GitError.self) { try GitReference.commit("abc123").validate() }
    }

    @Test("secrets print as <redacted>")
    func secretsRedacted() throws {
        setenv("TETHER_TEST_SECRET_PRINT", "very-secret", 1)
        let secret = try GitSecretSource.environment("TETHER_TEST_SECRET_PRINT").load()
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("very-secret"))
    }

    @Test("shallow fetch is only claimed on libgit2 1.7 and later")
    func shallowDetection() {
        let version = GitLibrary.version
        #expect(version.major >= 1)
        #expect(GitLibrary.supportsShallowFetch == (version.major > 1 || version.minor >= 7))
    }
}
