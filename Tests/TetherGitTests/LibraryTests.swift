import Testing
@testable import TetherGit

@Suite("process-wide libgit2 setup")
struct LibraryTests {
    @Test("libgit2 reads no system, XDG or global git configuration")
    func configurationIsolated() {
        GitLibrary.initialize()
        #expect(GitLibrary.configurationSearchPaths == ["", "", "", ""])
    }

    @Test("shallow fetch is reported only where both headers and library have it")
    func shallowCapability() {
        let version = GitLibrary.version
        if version.major == 1 && version.minor < 7 { #expect(!GitLibrary.supportsShallowFetch) }
    }
}
