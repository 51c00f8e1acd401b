import Foundation

/// A real git repository built with the git CLI: a work tree `work` and a bare `served`
/// copy that servers export.
final class FixtureRepository: Sendable {
    let directory: TemporaryDirectory
    var work: String { directory.sub("work") }
    /// The bare repository servers export, at `<base>/repo.git`.
    var served: String { directory.sub("base/repo.git") }
    var base: String { directory.sub("base") }

    init(branch: String = "main") throws {
        directory = TemporaryDirectory("fixture")
        try shell(["git", "init", "-q", "-b", branch, work])
        try commit(files: ["app/config.yaml": "revision: 1\n", "README.md": "fixture\n"], message: "first commit")
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        try shell(["git", "clone", "-q", "--bare", work, served])
        try shell(["git", "-C", served, "config", "http.receivepack", "true"])
        try shell(["git", "-C", work, "remote", "add", "origin", served])
    }

    /// Writes files, commits and returns the new SHA.
    @discardableResult
    func commit(files: [String: String], message: String) throws -> String {
        for (path, content) in files {
            let full = work + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: full, atomically: true, encoding: .utf8)
        }
        try shell(["git", "-C", work, "add", "-A"])
        try shell(["git", "-C", work, "commit", "-q", "-m", message])
        return try head()
    }

    func head() throws -> String { try shell(["git", "-C", work, "rev-parse", "HEAD"]) }

    /// Pushes the work tree's branch (and tags) to the served repository.
    func push(force: Bool = false, branch: String = "main") throws {
        try shell(["git", "-C", work, "push", "-q"] + (force ? ["--force"] : []) + ["origin", branch, "--tags"])
    }
}
