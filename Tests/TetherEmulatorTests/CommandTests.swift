import Foundation
import Testing
@testable import TetherEmulator

extension EmulatorSuites {
    /// `tether emulator` as a user runs it: built next to this test bundle.
    @Suite("tether emulator command", .timeLimit(.minutes(1)))
    struct CommandTests {
        static var binary: String? {
            let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for candidate in [directory, directory.deletingLastPathComponent()] {
                let path = candidate.appendingPathComponent("tether").path
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
            return nil
        }

        @Test("serves kubectl and stops quietly on SIGINT", .enabled(if: binary != nil, "the tether binary is not built"))
        func runsAndStops() async throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(Self.binary))
            process.arguments = ["emulator", "--listen", "127.0.0.1:0"]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            let firstLine = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
                DispatchQueue.global().async {
                    var text = ""
                    while !text.contains("\n") {
                        let data = out.fileHandleForReading.availableData
                        if data.isEmpty { break }
                        text += String(decoding: data, as: UTF8.self)
                    }
                    continuation.resume(returning: text)
                }
            }
            let line = firstLine.split(separator: "\n").first.map(String.init) ?? ""
            let server = line.split(separator: " ").last.map(String.init) ?? ""
            try #require(server.hasPrefix("http://127.0.0.1:"), "\(firstLine)")
            let ns = EmulatorHarness.namespace("cli")
            let cache = FileManager.default.temporaryDirectory.appendingPathComponent("tether-cli-\(ns)").path
            let applied = try await EmulatorHarness.run("/usr/bin/env", [
                "kubectl", "--server", server, "--cache-dir", cache, "apply", "--server-side", "-f", "-",
            ], stdin: "apiVersion: v1\nkind: Namespace\nmetadata: {name: \(ns)}\n", timeout: 30)
            #expect(applied.status == 0 && applied.stdout.contains("serverside-applied"), "\(applied.stdout) \(applied.stderr)")
            // A test in another process reads the audit through the admin endpoint.
            let audit = try await EmulatorHarness.run("/usr/bin/env", ["curl", "-sS", "\(server)/_emulator/audit?write=true"],
                                                      stdin: nil, timeout: 20)
            let items = try AdminTests.items(audit.stdout)
            #expect(items.count == 1 && items.first?["verb"] as? String == "apply", "\(audit.stdout) \(audit.stderr)")
            kill(process.processIdentifier, SIGINT)
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    process.waitUntilExit()
                    continuation.resume()
                }
            }
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(stderr)")
            #expect(!stderr.contains("error"), "shutdown is noisy: \(stderr)")
            try? FileManager.default.removeItem(atPath: cache)
        }

        @Test("bad --fault flags are refused with a usage error", .enabled(if: binary != nil, "the tether binary is not built"))
        func badFaultFlags() async throws {
            for (flags, message) in [(["--fault-fail-next", "x"], "expected N or N:CODE"),
                                     (["--fault-error-rate", "patch=3"], "errorRate.patch must be a number from 0 to 1"),
                                     (["--controller-delay", "soon"], "not a duration")] {
                let out = try await EmulatorHarness.run(try #require(Self.binary), ["emulator", "--listen", "127.0.0.1:0"] + flags,
                                                        stdin: nil, timeout: 20)
                #expect(out.status == 2 && out.stderr.contains(message), "\(flags): \(out.stderr)")
            }
        }

        @Test("a bad --tls directory or --token-file is invalid input (exit 2) that names the path",
              .enabled(if: binary != nil, "the tether binary is not built"))
        func badConfigurationFiles() async throws {
            let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString)").path
            // --tls makes its directory when missing, so a regular file stands in for a bad one.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-dir-\(UUID().uuidString)").path
            FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
            defer { try? FileManager.default.removeItem(atPath: file) }
            for (flag, path, message) in [("--tls", file, "TLS directory"), ("--token-file", missing, "no such file")] {
                let out = try await EmulatorHarness.run(try #require(Self.binary), ["emulator", "--listen", "127.0.0.1:0", flag, path],
                                                        stdin: nil, timeout: 20)
                #expect(out.status == 2 && out.stderr.contains(path) && out.stderr.contains(message), "\(flag): \(out.status) \(out.stderr)")
            }
        }
    }
}
