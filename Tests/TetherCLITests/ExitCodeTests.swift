import Foundation
import Testing

/// Exit codes and machine-readable output as the README documents them, for every command.
@Suite("exit codes and --output json on every path", .serialized, .timeLimit(.minutes(2)))
struct ExitCodeTests {
    struct BadFlag: CustomStringConvertible, Sendable {
        var arguments: [String]
        var description: String { arguments.joined(separator: " ") }
    }

    static let badFlags: [BadFlag] = [
        BadFlag(arguments: ["validate", "--no-such-flag"]),
        BadFlag(arguments: ["emulator", "--no-such-flag"]),
        BadFlag(arguments: ["render", "--no-such-flag"]),
        BadFlag(arguments: ["fetch", "--no-such-flag"]),
        BadFlag(arguments: ["diff", "--no-such-flag"]),
        BadFlag(arguments: ["sync", "--no-such-flag"]),
        BadFlag(arguments: ["run", "--no-such-flag"]),
        BadFlag(arguments: ["no-such-command"]),
        BadFlag(arguments: ["sync", "--source", ".", "--path", "x", "--timeout", "0"]),
        BadFlag(arguments: ["diff", "--source", ".", "--path", "x", "--output", "yaml"]),
        BadFlag(arguments: ["run", "--source", ".", "--path", "x", "--interval", "0"]),
        BadFlag(arguments: ["sync", "--path", "x"]),
    ]

    @Test("a bad flag exits 2 with the usage, for every command", arguments: badFlags)
    func badFlagExitsTwo(_ bad: BadFlag) throws {
        let result = try CLI.run(bad.arguments)
        #expect(result.status == 2, "\(bad): \(result.stderr)")
        #expect(result.stderr.contains("Error:") || result.stderr.contains("error:"), "\(result.stderr)")
    }

    @Test("--help and --version still exit 0")
    func helpExitsZero() throws {
        #expect(try CLI.run(["sync", "--help"]).status == 0)
        #expect(try CLI.run(["--version"]).status == 0)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    @Test("sync --output json writes a complete document when the cluster is unreachable (stage plan, exit 3)")
    func jsonWhenUnreachable() throws {
        let result = try CLI.run(["sync", "--source", ".", "--path", "overlays-example/overlays/aws", "--server", "http://127.0.0.1:1", "--output", "json"])
        #expect(result.status == 3, "\(result.stderr)")
        let document = try Self.json(result.stdout)
        #expect(document["stage"] as? String == "plan")
        #expect((document["error"] as? String)?.contains("127.0.0.1:1") == true)
        #expect((document["summary"] as? [String: Any])?["success"] as? Bool == false)
    }

    @Test("sync --output json writes a complete document when the render fails (stage render, exit 2)")
    func jsonWhenRenderFails() throws {
        let emulator = try SyncCommandTests.Emulator()
        let result = try CLI.run(["sync", "--source", ".", "--path", "no/such/overlay", "--server", emulator.url, "--output", "json"])
        #expect(result.status == 2, "\(result.stderr)")
        let document = try Self.json(result.stdout)
        #expect(document["stage"] as? String == "render")
        #expect(document["error"] is String)
    }
}
