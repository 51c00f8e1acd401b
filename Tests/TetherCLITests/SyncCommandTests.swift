import Foundation
import Testing

/// `tether sync` and `tether diff` end to end: the built binary against `tether emulator`
/// running as its own process, with kubectl as the independent actor.
@Suite("tether sync and diff against the emulator", .serialized, .timeLimit(.minutes(3)))
struct SyncCommandTests {
    /// A `tether emulator` process on a free port.
    final class Emulator {
        let process = Process()
        let address: String

        init() throws {
            process.executableURL = CLI.executable
            process.arguments = ["emulator", "--listen", "127.0.0.1:0"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            var text = ""
            while !text.contains("\n") {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            guard let range = text.range(of: "http://") else { throw CLIError("emulator did not start: \(text)") }
            address = String(text[range.upperBound...].prefix { !$0.isWhitespace })
        }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }

        var url: String { "http://" + address }

        /// The emulator's request audit (`GET /_emulator/audit`).
        func audit() throws -> [[String: Any]] {
            let data = Data(try CLI.run(URL(fileURLWithPath: "/usr/bin/curl"), ["-sf", url + "/_emulator/audit"]).stdout.utf8)
            let object = try JSONSerialization.jsonObject(with: data)
            if let list = object as? [[String: Any]] { return list }
            return (object as? [String: Any])?["items"] as? [[String: Any]] ?? []
        }

        func resetAudit() throws {
            _ = try CLI.run(URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "-X", "DELETE", url + "/_emulator/audit"])
        }

        func kubectl(_ arguments: [String]) throws -> CLI.Output {
            guard let kubectl = CLI.kubectl else { throw CLIError("kubectl is not on PATH") }
            return try CLI.run(kubectl, ["--server", url] + arguments)
        }
    }

    struct CLIError: Error, CustomStringConvertible {
        var description: String
        init(_ text: String) { description = text }
    }

    /// A private copy of overlays-example.
    static func tree() throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("tether-sync-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("overlays-example"), to: target)
        return target
    }

    static func tether(_ verb: String, _ tree: URL, _ emulator: Emulator, _ extra: [String] = []) throws -> CLI.Output {
        try CLI.run([verb, "--source", tree.path, "--path", "overlays/aws", "--server", emulator.url] + extra)
    }

    static func edit(_ file: URL, _ from: String, _ to: String) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains(from), "\(file.lastPathComponent) contains \(from)")
        try text.replacingOccurrences(of: from, with: to).write(to: file, atomically: true, encoding: .utf8)
    }

    @Test("sync into an empty emulator, then a repeat sync makes zero writes and no per-object request")
    func syncAndSteadyState() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try Emulator()
        let tree = try Self.tree()
        defer { try? FileManager.default.removeItem(at: tree) }
        let first = try Self.tether("sync", tree, emulator)
        #expect(first.status == 0, "\(first.stderr)")
        let rendered = try CLI.run(["render", "overlays/aws"], in: tree).stdout.components(separatedBy: "\n---\n").count
        #expect(first.stdout.contains("plan: \(rendered) to create, 0 to update, 0 to prune, 0 unchanged"), "\(first.stdout)")
        #expect(first.stdout.contains("result: \(rendered) created, 0 configured, 0 pruned, 0 unchanged"), "\(first.stdout)")
        let deployments = try emulator.kubectl(["get", "deployments", "-n", "shop", "--show-labels"])
        #expect(deployments.stdout.contains("applyset.kubernetes.io/part-of=applyset-"), "\(deployments.stdout)")
        let parent = try emulator.kubectl(["get", "configmap", "tether-overlays-aws", "-n", "tether-system", "-o", "yaml"])
        #expect(parent.stdout.contains("applyset.kubernetes.io/tooling: tether/"))

        try emulator.resetAudit()
        let second = try Self.tether("sync", tree, emulator, ["--output", "json"])
        #expect(second.status == 0, "\(second.stderr)")
        let audit = try emulator.audit()
        let writes = audit.filter { ["POST", "PUT", "PATCH", "DELETE"].contains($0["method"] as? String ?? "") }
        #expect(writes.isEmpty, "writes or dry runs: \(writes.map { "\($0["method"] ?? "") \($0["path"] ?? "")" })")
        let gets = audit.filter { ($0["verb"] as? String) == "get" && !(($0["path"] as? String) ?? "").hasPrefix("/api/v1/namespaces/tether-system") }
        #expect(gets.isEmpty, "per-object reads: \(gets)")
        let lists = audit.filter { ($0["verb"] as? String) == "list" }
        #expect(lists.count == Set(lists.compactMap { $0["path"] as? String }).count, "at most one list per kind")
    }
}
