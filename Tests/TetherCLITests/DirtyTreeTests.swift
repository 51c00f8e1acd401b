import Foundation
import Testing

/// A directory source with uncommitted edits: the edits are rendered, and every output
/// records the revision as `<sha>-dirty` (text, JSON, markdown, the ApplySet parent), with a
/// warning on standard error that says what it means for `tether run`.
@Suite("uncommitted edits in a directory source", .serialized, .timeLimit(.minutes(3)))
struct DirtyTreeTests {
    typealias Emulator = SyncCommandTests.Emulator

    static func git(_ arguments: [String], in tree: URL) throws -> String {
        let out = try CLI.run(URL(fileURLWithPath: "/usr/bin/git"),
                              ["-C", tree.path, "-c", "user.name=Test", "-c", "user.email=t@example.com"] + arguments)
        guard out.status == 0 else { throw SyncCommandTests.CLIError("git \(arguments.joined(separator: " ")): \(out.stderr)") }
        return out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A private copy of overlays-example, committed as a git work tree on `main`.
    static func committedTree() throws -> (tree: URL, head: String) {
        let tree = try SyncCommandTests.tree()
        _ = try git(["init", "-q", "-b", "main"], in: tree)
        _ = try git(["add", "-A"], in: tree)
        _ = try git(["commit", "-qm", "initial config"], in: tree)
        return (tree, try git(["rev-parse", "HEAD"], in: tree))
    }

    @Test("an edit not committed is rendered and recorded as <sha>-dirty in diff text, JSON and markdown, sync text and JSON, fetch and the parent; a commit clears it")
    func dirtyEverywhere() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try Emulator()
        let (tree, head) = try Self.committedTree()
        defer { try? FileManager.default.removeItem(at: tree) }
        let clean = try SyncCommandTests.tether("sync", tree, emulator)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("revision \(head)\n"), "\(clean.stdout.prefix(200))")
        #expect(!clean.stderr.contains("uncommitted"), "\(clean.stderr)")

        try SyncCommandTests.edit(tree.appendingPathComponent("overlays/aws/service-lb.yaml"), "scheme: internet-facing", "scheme: internal")
        let dirty = "\(head)-dirty"
        let text = try SyncCommandTests.tether("diff", tree, emulator)
        #expect(text.status == 1, "the edit is rendered: \(text.stderr)")
        #expect(text.stdout.contains("scheme: internal"), "\(text.stdout.suffix(400))")
        #expect(text.stderr.contains("has uncommitted changes (1 path: overlays/aws/service-lb.yaml)"), "\(text.stderr)")
        #expect(text.stderr.contains("recorded as revision \(head.prefix(12))-dirty"), "\(text.stderr)")
        #expect(text.stderr.contains("tether run reacts to commits only"), "\(text.stderr)")

        let json = try SyncCommandTests.tether("diff", tree, emulator, ["--output", "json"])
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(document?["revision"] as? String == dirty, "\(json.stdout.prefix(200))")
        let markdown = try SyncCommandTests.tether("diff", tree, emulator, ["--output", "markdown"])
        #expect(markdown.stdout.contains("`\(dirty)`"), "\(markdown.stdout.prefix(300))")

        let synced = try SyncCommandTests.tether("sync", tree, emulator, ["--output", "json"])
        #expect(synced.status == 0, "\(synced.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(synced.stdout.utf8)) as? [String: Any]
        #expect(report?["revision"] as? String == dirty, "\(synced.stdout.prefix(200))")
        #expect(synced.stderr.contains("uncommitted changes"), "the warning goes to standard error with --output json too")
        let parent = try emulator.kubectl(["get", "configmap", "tether-overlays-aws", "-n", "tether-system", "-o",
                                           "jsonpath={.metadata.annotations.tether\\.dev/last-applied-revision}"])
        #expect(parent.stdout == dirty, "\(parent.stdout) \(parent.stderr)")

        let fetched = try CLI.run(["fetch", "--source", tree.path, "--output", "json"])
        let fetch = try JSONSerialization.jsonObject(with: Data(fetched.stdout.utf8)) as? [String: Any]
        let revision = fetch?["revision"] as? [String: Any]
        #expect(revision?["dirty"] as? Bool == true, "\(fetched.stdout)")
        #expect(revision?["uncommitted"] as? [String] == ["overlays/aws/service-lb.yaml"], "\(fetched.stdout)")

        _ = try Self.git(["commit", "-qam", "internal load balancer"], in: tree)
        let committed = try Self.git(["rev-parse", "HEAD"], in: tree)
        let after = try SyncCommandTests.tether("sync", tree, emulator)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout.contains("revision \(committed)\n"), "\(after.stdout.prefix(200))")
        #expect(!after.stderr.contains("uncommitted"), "\(after.stderr)")
    }
}
