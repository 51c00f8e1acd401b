import Foundation
import Testing
@testable import TetherGit

/// Refs as people write them (`--ref`): a plain name is a tag or a branch as `git` takes it,
/// full names say which, `semver:` follows the highest tag in a range, and a missing ref
/// names the closest ones.
@Suite("ref resolution")
struct RefResolutionTests {
    struct ParseCase: CustomTestStringConvertible, Sendable {
        var text: String
        var expected: GitReference
        var testDescription: String { text }
    }

    @Test("parses the forms people write", arguments: [
        ParseCase(text: "main", expected: .name("main")),
        ParseCase(text: "v1.4.0", expected: .name("v1.4.0")),
        ParseCase(text: "refs/heads/main", expected: .branch("main")),
        ParseCase(text: "refs/tags/v1", expected: .tag("v1")),
        ParseCase(text: "branch:release/1.x", expected: .branch("release/1.x")),
        ParseCase(text: "tag:v1.2.3", expected: .tag("v1.2.3")),
    ])
    func parses(_ c: ParseCase) throws {
        #expect(try GitReference(parsing: c.text) == c.expected)
    }

    @Test("refuses refs outside heads and tags, and ranges that do not parse, saying what works",
          arguments: ["refs/pull/1/head", "refs/heads/refs/heads/x", "semver:>=banana", "semver:", "semver:1.2.x-rc.1", "semver:!=1.x"])
    func refuses(_ text: String) {
        let error = #expect(throws: GitError.self) { try GitReference(parsing: text) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("refs/heads/") == true || error?.message.contains("'>=1.2.0 <2.0.0'") == true, "\(error?.message ?? "")")
    }

    struct RangeCase: CustomTestStringConvertible, Sendable {
        var range: String
        var tags: [String]
        var expected: String?
        var testDescription: String { "\(range) over \(tags)" }
    }

    static let tags = ["v1.0.0", "v1.2.0", "v1.2.7", "v1.10.1", "v2.0.0-rc.1", "v2.0.0", "v2.1.0", "latest", "1.3.0"]

    @Test("semver follows the highest matching tag", arguments: [
        RangeCase(range: ">=1.2.0 <2.0.0", tags: tags, expected: "v1.10.1"),
        RangeCase(range: ">=1.2.0, <2.0.0", tags: tags, expected: "v1.10.1"),
        RangeCase(range: "~1.2", tags: tags, expected: "v1.2.7"),
        RangeCase(range: "^1.2.0", tags: tags, expected: "v1.10.1"),
        RangeCase(range: "1.2.x", tags: tags, expected: "v1.2.7"),
        RangeCase(range: "*", tags: tags, expected: "v2.1.0"),
        RangeCase(range: "1.0 - 1.3", tags: tags, expected: "1.3.0"),
        RangeCase(range: "<1.1 || >=2.0.0 <2.1", tags: tags, expected: "v2.0.0"),
        RangeCase(range: ">=2.0.0-rc.0 <2.0.0", tags: tags, expected: "v2.0.0-rc.1"),
        RangeCase(range: ">= 3", tags: tags, expected: nil),
        RangeCase(range: "^0.2.3", tags: ["v0.2.3", "v0.2.9", "v0.3.0"], expected: "v0.2.9"),
        RangeCase(range: ">1.2.7", tags: tags, expected: "v2.1.0"),
    ])
    func semver(_ c: RangeCase) throws {
        let reference = try GitReference(parsing: "semver:" + c.range)
        let refs = c.tags.map { "refs/tags/" + $0 } + ["refs/heads/main"]
        if let expected = c.expected {
            #expect(try reference.remoteName(among: refs, defaultBranch: "refs/heads/main", url: "x") == "refs/tags/" + expected)
        } else {
            let error = #expect(throws: GitError.self) { try reference.remoteName(among: refs, defaultBranch: nil, url: "x") }
            #expect(error?.code == .refNotFound)
            #expect(error?.message.contains("the highest version tags are 'v2.1.0', 'v2.0.0', 'v2.0.0-rc.1'") == true, "\(error?.message ?? "")")
        }
    }

    @Test("over git://: a plain name finds a tag or a branch, an ambiguous one is refused naming both, full names pick, semver follows new tags, a typo lists the closest")
    func overGitDaemon() async throws {
        let fixture = try FixtureRepository()
        let first = try fixture.head()
        try shell(["git", "-C", fixture.work, "tag", "-a", "v1.4.0", "-m", "release 1.4.0"])
        try shell(["git", "-C", fixture.work, "tag", "both"])
        let second = try fixture.commit(files: ["app/config.yaml": "revision: 2\n"], message: "second")
        try shell(["git", "-C", fixture.work, "branch", "both"])
        try shell(["git", "-C", fixture.work, "branch", "release-1.x"])
        try fixture.push()
        try shell(["git", "-C", fixture.work, "push", "-q", "origin", "refs/heads/both:refs/heads/both", "refs/heads/release-1.x:refs/heads/release-1.x"])
        let served = try await ServedRepository(fixture)

        #expect(try await served.sync(GitReference(parsing: "v1.4.0")).revision?.sha == first, "a plain name that is a tag")
        #expect(try await served.sync(GitReference(parsing: "release-1.x")).revision?.sha == second, "a plain name that is a branch")
        let ambiguous = await #expect(throws: GitError.self) { try await served.sync(GitReference(parsing: "both")) }
        #expect(ambiguous?.code == .invalidInput)
        #expect(ambiguous?.message.contains("both branch 'both' (refs/heads/both) and tag 'both' (refs/tags/both)") == true, "\(ambiguous?.message ?? "")")
        #expect(ambiguous?.message.contains("--ref refs/heads/both or --ref refs/tags/both") == true)
        #expect(try await served.sync(GitReference(parsing: "refs/tags/both")).revision?.sha == first)
        #expect(try await served.sync(GitReference(parsing: "refs/heads/both")).revision?.sha == second)
        #expect(try await served.sync(GitReference(parsing: "refs/tags/v1.4.0")).revision?.sha == first, "the refs/tags/ form works")

        let range = try GitReference(parsing: "semver:>=1.2.0 <2.0.0")
        #expect(try await served.sync(range).revision?.sha == first)
        try shell(["git", "-C", fixture.work, "tag", "v1.5.0"])
        try shell(["git", "-C", fixture.work, "tag", "v2.0.0"])
        try fixture.push()
        let moved = try await served.sync(range)
        #expect(moved.revision?.sha == second, "the highest matching tag moved to v1.5.0, v2.0.0 is out of range")
        #expect(moved.changed)

        let typo = await #expect(throws: GitError.self) { try await served.sync(GitReference(parsing: "v1.4")) }
        #expect(typo?.code == .refNotFound)
        #expect(typo?.message.contains("no branch or tag 'v1.4' exists on the remote. Closest: tag 'v1.4.0', tag 'v1.5.0'") == true, "\(typo?.message ?? "")")
        let branchTypo = await #expect(throws: GitError.self) { try await served.sync(GitReference(parsing: "refs/heads/release-1.y")) }
        #expect(branchTypo?.message.contains("branch 'release-1.y' does not exist on the remote. Closest: branch 'release-1.x'") == true, "\(branchTypo?.message ?? "")")
    }
}
