import Foundation
import Testing
@testable import TetherGit

@Suite("sync over smart HTTP", .timeLimit(.minutes(1)))
struct HTTPSyncTests {
    static let token = "s3cr3t-token-value"
    static let password = "pa55-w0rd-value"

    @Test("anonymous clone over smart HTTP")
    func anonymous() async throws {
        let fixture = try FixtureRepository()
        let server = try await HTTPGitServer(basePath: fixture.base, auth: .none)
        let (cache, _) = makeCache()
        let cacheDir = TemporaryDirectory("cache")
        let checkout = try await cache.sync(try GitSource(server.url()), options: GitSourceOptions(cacheDirectory: cacheDir.path, timeouts: testTimeouts))
        #expect(checkout.revision?.sha == (try fixture.head()))
    }

    @Test("bearer token from a file is accepted; the token never appears in logs")
    func bearerToken() async throws {
        let fixture = try FixtureRepository()
        let server = try await HTTPGitServer(basePath: fixture.base, auth: .bearer(Self.token))
        let secrets = TemporaryDirectory("secrets")
        try (Self.token + "\n").write(toFile: secrets.sub("token"), atomically: true, encoding: .utf8)
        let (cache, log) = makeCache()
        let cacheDir = TemporaryDirectory("cache")
        let options = GitSourceOptions(cacheDirectory: cacheDir.path, timeouts: testTimeouts, auth: .bearerToken(.file(secrets.sub("token"))))
        let checkout = try await cache.sync(try GitSource(server.url()), options: options)
        #expect(read(checkout, "app/config.yaml") == "revision: 1\n")
        #expect(!log.allText.contains(Self.token))
    }

    @Test("basic auth with the password in an environment variable")
    func basicAuth() async throws {
        let fixture = try FixtureRepository()
        let server = try await HTTPGitServer(basePath: fixture.base, auth: .basic("deploy", Self.password))
        setenv("TETHER_TEST_GIT_PASSWORD", Self.password, 1)
        let (cache, log) = makeCache()
        let cacheDir = TemporaryDirectory("cache")
        let options = GitSourceOptions(cacheDirectory: cacheDir.path, timeouts: testTimeouts,
                                       auth: .basic(username: "deploy", password: .environment("TETHER_TEST_GIT_PASSWORD")))
        let checkout = try await cache.sync(try GitSource(server.url()), options: options)
        #expect(checkout.revision?.sha == (try fixture.head()))
        #expect(!log.allText.contains(Self.password))
    }

    struct FailureCase: Sendable, CustomStringConvertible {
        var name: String
        var auth: GitAuth
        var description: String { name }
    }

    @Test("each authentication failure is an authentication error without secrets", arguments: [
        FailureCase(name: "no credentials", auth: .none),
        FailureCase(name: "wrong bearer token", auth: .bearerToken(.environment("TETHER_TEST_WRONG_SECRET"))),
        FailureCase(name: "wrong password", auth: .basic(username: "deploy", password: .environment("TETHER_TEST_WRONG_SECRET"))),
    ])
    func authenticationFailures(_ failure: FailureCase) async throws {
        setenv("TETHER_TEST_WRONG_SECRET", "wrong-secret-value", 1)
        let fixture = try FixtureRepository()
        let server = try await HTTPGitServer(basePath: fixture.base, auth: .basic("deploy", Self.password))
        let (cache, log) = makeCache()
        let cacheDir = TemporaryDirectory("cache")
        let error = await #expect(throws: GitError.self) {
            try await cache.sync(try GitSource(server.url()), options: GitSourceOptions(cacheDirectory: cacheDir.path, timeouts: testTimeouts, auth: failure.auth))
        }
        #expect(error?.code == .authentication, "\(String(describing: error))")
        #expect(!"\(String(describing: error))".contains("wrong-secret-value"))
        #expect(!log.allText.contains("wrong-secret-value"))
    }

    @Test("a missing secret file is an authentication error naming the file, not the secret")
    func missingSecret() async throws {
        let (cache, _) = makeCache()
        let error = await #expect(throws: GitError.self) {
            try await cache.sync(try GitSource("https://example.invalid/repo.git"),
                                 options: GitSourceOptions(auth: .bearerToken(.file("/nonexistent/token"))))
        }
        #expect(error?.code == .authentication)
        #expect(error?.message.contains("/nonexistent/token") == true)
    }

    @Test("credentials embedded in the URL are redacted in errors and logs")
    func embeddedCredentialsRedacted() async throws {
        let silent = try SilentServer()
        let (cache, log) = makeCache()
        let url = "http://deploy:\(Self.password)@127.0.0.1:\(silent.port)/repo.git"
        let source = try GitSource(url)
        #expect(source.description == "http://***@127.0.0.1:\(silent.port)/repo.git")
        let error = await #expect(throws: GitError.self) {
            try await cache.sync(source, options: GitSourceOptions(cacheDirectory: TemporaryDirectory("cache").path,
                                                                   timeouts: GitTimeouts(connect: .seconds(1), idle: .seconds(1), total: .seconds(3))))
        }
        #expect(!"\(String(describing: error))".contains(Self.password))
        #expect(!log.allText.contains(Self.password))
        #expect("\(String(describing: error))".contains("***@127.0.0.1"))
    }
}
