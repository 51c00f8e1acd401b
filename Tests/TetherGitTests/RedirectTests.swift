import Foundation
import Testing
@testable import TetherGit

/// A server on 127.0.0.1 redirects to a git server on 127.0.0.2 (another host as far as
/// HTTP is concerned), which logs the `Authorization` header of every request it sees.
@Suite("redirects never carry credentials to another host", .timeLimit(.minutes(1)))
struct RedirectTests {
    static let token = "redirect-t0ken-value"
    static let password = "redirect-pa55-value"

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        /// The redirecting server first answers 401, so credentials are sent before the redirect.
        var challenge: Bool
        var auth: GitAuth
        /// User information to put into the URL.
        var userinfo: String?
        var description: String { name }
    }

    @Test("a credentialed source refuses the redirect; the second host sees no Authorization header", arguments: [
        Case(name: "bearer token", challenge: false, auth: .bearerToken(.environment("TETHER_TEST_REDIRECT_TOKEN"))),
        Case(name: "basic auth after a 401", challenge: true, auth: .basic(username: "deploy", password: .environment("TETHER_TEST_REDIRECT_PASSWORD"))),
        Case(name: "credentials in the URL after a 401", challenge: true, auth: .none, userinfo: "deploy:\(RedirectTests.password)"),
    ])
    func credentialsStayOnHost(_ testCase: Case) async throws {
        setenv("TETHER_TEST_REDIRECT_TOKEN", Self.token, 1)
        setenv("TETHER_TEST_REDIRECT_PASSWORD", Self.password, 1)
        let fixture = try FixtureRepository()
        let target = try await HTTPGitServer(basePath: fixture.base, auth: .none, host: "127.0.0.2")
        let redirector = try await RedirectingServer(to: "http://127.0.0.2:\(target.port)", challenge: testCase.challenge)
        var url = redirector.url()
        if let userinfo = testCase.userinfo { url = url.replacingOccurrences(of: "http://", with: "http://\(userinfo)@") }
        let (cache, log) = makeCache()
        let options = GitSourceOptions(cacheDirectory: TemporaryDirectory("cache").path, timeouts: testTimeouts, auth: testCase.auth)

        let error = await #expect(throws: GitError.self) { try await cache.sync(try GitSource(url), options: options) }
        #expect(error?.code == .authentication, "\(String(describing: error))")
        #expect(error?.message.contains("redirected to another host") == true)
        // The first host did get the credentials (the test is real) ...
        #expect(redirector.requests().contains { !$0.hasSuffix("auth=[]") }, "\(redirector.requests())")
        // ... and the second host never saw any.
        #expect(target.requests().allSatisfy { $0.hasSuffix("auth=[]") }, "\(target.requests())")
        for secret in [Self.token, Self.password] {
            #expect(!"\(String(describing: error))".contains(secret))
            #expect(!log.allText.contains(secret))
        }
    }

    @Test("an anonymous source follows the first redirect to another host")
    func anonymousFollows() async throws {
        let fixture = try FixtureRepository()
        let target = try await HTTPGitServer(basePath: fixture.base, auth: .none, host: "127.0.0.2")
        let redirector = try await RedirectingServer(to: "http://127.0.0.2:\(target.port)", challenge: false)
        let (cache, _) = makeCache()
        let checkout = try await cache.sync(try GitSource(redirector.url()),
                                            options: GitSourceOptions(cacheDirectory: TemporaryDirectory("cache").path, timeouts: testTimeouts))
        #expect(checkout.revision?.sha == (try fixture.head()))
        #expect(!target.requests().isEmpty)
    }
}
