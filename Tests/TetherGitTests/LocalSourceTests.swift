import Foundation
import Testing
@testable import TetherGit

@Suite("local sources")
struct LocalSourceTests {
    @Test("a local work tree is used in place and reports its HEAD")
    func workTree() async throws {
        let fixture = try FixtureRepository()
        let (cache, _) = makeCache()
        let checkout = try await cache.sync(try GitSource(fixture.work))
        #expect(checkout.directory == fixture.work)
        #expect(checkout.revision?.sha == (try fixture.head()))
        #expect(checkout.changed)
        #expect(!(try await cache.sync(try GitSource(fixture.work))).changed)
        try fixture.commit(files: ["x.yaml": "x: 1\n"], message: "local change")
        #expect(try await cache.sync(try GitSource(fixture.work)).changed)
    }

    @Test("a plain directory has no revision")
    func plainDirectory() async throws {
        let directory = TemporaryDirectory("plain")
        let (cache, _) = makeCache()
        let checkout = try await cache.sync(try GitSource(directory.path))
        #expect(checkout.revision == nil)
        #expect(checkout.directory == directory.path)
    }

    @Test("file:// URLs are cloned through the cache")
    func fileURL() async throws {
        let fixture = try FixtureRepository()
        let (cache, _) = makeCache()
        let cacheDir = TemporaryDirectory("cache")
        let checkout = try await cache.sync(try GitSource("file://" + fixture.served), options: GitSourceOptions(cacheDirectory: cacheDir.path))
        #expect(checkout.revision?.sha == (try fixture.head()))
        #expect(read(checkout, "README.md") == "fixture\n")
    }
}
