import Foundation
import Testing
@testable import TetherGit

@Suite("sync over HTTPS (git http-backend behind lighttpd with TLS)", .timeLimit(.minutes(1)),
       .enabled(if: GitLibrary.supportsHTTPS, "libgit2 built without TLS"))
struct HTTPSSyncTests {
    static let token = "tls-t0ken-value"
    static let password = "tls-pa55-value"

    /// A fixture served over HTTPS with a certificate from a CA made for this test.
    struct Served {
        let fixture: FixtureRepository
        let files: TemporaryDirectory
        let identity: TLSIdentity
        let server: HTTPGitServer

        init(auth: HTTPGitServer.Auth) async throws {
            fixture = try FixtureRepository()
            files = TemporaryDirectory("tls")
            identity = try TLSIdentity(in: files, name: "trusted")
            server = try await HTTPGitServer(basePath: fixture.base, auth: auth, identity: identity)
        }

        func options(_ auth: GitAuth, caFile: String?) -> GitSourceOptions {
            GitSourceOptions(cacheDirectory: files.sub("cache"), timeouts: testTimeouts, auth: auth, caFile: caFile)
        }
    }

    @Test("clones and fetches with a bearer token, trusting the test CA through caFile")
    func bearerToken() async throws {
        let served = try await Served(auth: .bearer(Self.token))
        try Self.token.write(toFile: served.files.sub("token"), atomically: true, encoding: .utf8)
        let (cache, log) = makeCache()
        let source = try GitSource(served.server.url())
        #expect(source.kind == .https)
        let options = served.options(.bearerToken(.file(served.files.sub("token"))), caFile: served.identity.caCertificate)
        let first = try await cache.sync(source, options: options)
        #expect(first.revision?.sha == (try served.fixture.head()))

        let second = try served.fixture.commit(files: ["app/config.yaml": "revision: 2\n"], message: "second")
        try served.fixture.push()
        let updated = try await cache.sync(source, options: options)
        #expect(updated.revision?.sha == second)
        #expect(updated.history == .fastForwarded(from: first.revision!.sha))
        #expect(read(updated, "app/config.yaml") == "revision: 2\n")
        #expect(served.server.requests().contains { $0.contains("auth=[Bearer \(Self.token)]") })
        #expect(!log.allText.contains(Self.token))
    }

    @Test("clones with basic auth over HTTPS")
    func basicAuth() async throws {
        let served = try await Served(auth: .basic("deploy", Self.password))
        setenv("TETHER_TEST_TLS_PASSWORD", Self.password, 1)
        let (cache, log) = makeCache()
        let options = served.options(.basic(username: "deploy", password: .environment("TETHER_TEST_TLS_PASSWORD")),
                                     caFile: served.identity.caCertificate)
        let checkout = try await cache.sync(try GitSource(served.server.url()), options: options)
        #expect(read(checkout, "app/config.yaml") == "revision: 1\n")
        #expect(!log.allText.contains(Self.password))
    }

    @Test("a certificate issued by a CA other than the configured one is refused, and the last checkout stays")
    func wrongCA() async throws {
        let served = try await Served(auth: .none)
        let (cache, _) = makeCache()
        let source = try GitSource(served.server.url())
        let good = try await cache.sync(source, options: served.options(.none, caFile: served.identity.caCertificate))

        let other = try TLSIdentity(in: served.files, name: "other")
        try served.fixture.commit(files: ["app/config.yaml": "revision: 2\n"], message: "second")
        try served.fixture.push()
        let error = await #expect(throws: GitError.self) {
            try await cache.sync(source, options: served.options(.none, caFile: other.caCertificate))
        }
        #expect(error?.code == .hostKey, "\(String(describing: error))")
        #expect(error?.message.contains("not trusted by CA file '\(other.caCertificate)'") == true)
        #expect(read(good, "app/config.yaml") == "revision: 1\n")
        #expect(isCurrent(good))
    }

    @Test("without caFile the system store is used, which does not hold the test CA")
    func systemStoreRefusesTestCA() async throws {
        let served = try await Served(auth: .none)
        let (cache, _) = makeCache()
        let error = await #expect(throws: GitError.self) {
            try await cache.sync(try GitSource(served.server.url()), options: served.options(.none, caFile: nil))
        }
        #expect(error?.code == .hostKey, "\(String(describing: error))")
        #expect(error?.message.contains("the system CA store") == true)
    }

    @Test("operations trusting different CAs run side by side without trusting each other's")
    func concurrentTrust() async throws {
        let first = try await Served(auth: .none)
        let second = try await Served(auth: .none)
        let (cache, _) = makeCache()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (served, round) in [(first, 0), (second, 1), (first, 2), (second, 3)] {
                group.addTask {
                    let options = GitSourceOptions(cacheDirectory: served.files.sub("cache-\(round)"), timeouts: testTimeouts,
                                                   caFile: served.identity.caCertificate)
                    _ = try await cache.remoteHead(try GitSource(served.server.url()), options: options)
                }
            }
            try await group.waitForAll()
        }
        let crossed = await #expect(throws: GitError.self) {
            try await cache.remoteHead(try GitSource(second.server.url()), options: first.options(.none, caFile: first.identity.caCertificate))
        }
        #expect(crossed?.code == .hostKey)
    }

    @Test("a CA file that is not PEM, or one given for a non-HTTPS source, is invalid input")
    func invalidCAFile() async throws {
        let served = try await Served(auth: .none)
        try "not a certificate\n".write(toFile: served.files.sub("garbage.pem"), atomically: true, encoding: .utf8)
        let (cache, _) = makeCache()
        let garbage = await #expect(throws: GitError.self) {
            try await cache.sync(try GitSource(served.server.url()), options: served.options(.none, caFile: served.files.sub("garbage.pem")))
        }
        #expect(garbage?.code == .invalidInput, "\(String(describing: garbage))")
        let missing = await #expect(throws: GitError.self) {
            try await cache.sync(try GitSource(served.server.url()), options: served.options(.none, caFile: served.files.sub("missing.pem")))
        }
        #expect(missing?.code == .invalidInput)
        let wrongKind = await #expect(throws: GitError.self) {
            try await cache.sync(try GitSource("git://127.0.0.1:1/repo.git"), options: served.options(.none, caFile: served.identity.caCertificate))
        }
        #expect(wrongKind?.code == .invalidInput)
        // A failed load leaves nothing half-installed: the right CA works afterwards.
        let checkout = try await cache.sync(try GitSource(served.server.url()), options: served.options(.none, caFile: served.identity.caCertificate))
        #expect(read(checkout, "app/config.yaml") == "revision: 1\n")
    }
}
