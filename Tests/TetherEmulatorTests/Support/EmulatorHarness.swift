import Foundation
import Logging
import Testing
@testable import TetherEmulator

/// One in-process emulator on 127.0.0.1 port 0, a kubeconfig that points at
/// it, and helpers to run kubectl and send raw HTTP requests.
final class EmulatorHarness: Sendable {
    let server: EmulatorServer
    let address: String
    let directory: URL
    let kubeconfig: String

    /// The result of a subprocess.
    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func start(options: EmulatorOptions = EmulatorOptions()) async throws -> EmulatorHarness {
        var logger = Logger(label: "tether.emulator.test")
        logger.logLevel = .warning
        let server = EmulatorServer(options: options, logger: logger)
        let address = try await server.start(listen: "127.0.0.1:0")
        return try EmulatorHarness(server: server, address: address)
    }

    private init(server: EmulatorServer, address: String) throws {
        self.server = server
        self.address = address
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-emu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        kubeconfig = directory.appendingPathComponent("kubeconfig").path
        let config = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: emulator
              cluster:
                server: http://\(address)
            contexts:
            - name: emulator
              context:
                cluster: emulator
                user: nobody
            users:
            - name: nobody
              user: {}
            current-context: emulator
            """
        try config.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    }

    func stop() async {
        await server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes a file into the harness directory and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs kubectl against the emulator (with its own discovery cache).
    func kubectl(_ arguments: String..., stdin: String? = nil, timeout: Double = 30) async throws -> Output {
        try await kubectl(args: arguments, stdin: stdin, timeout: timeout)
    }

    /// Runs kubectl with an argument array built at run time.
    func kubectl(args arguments: [String], stdin: String? = nil, timeout: Double = 30) async throws -> Output {
        try await Self.run("/usr/bin/env", ["kubectl", "--kubeconfig", kubeconfig,
                                            "--cache-dir", directory.appendingPathComponent("cache").path] + arguments,
                           stdin: stdin, timeout: timeout)
    }

    /// Sends one HTTP request with curl and returns the status code and body.
    func http(_ method: String, _ path: String, body: String? = nil,
              contentType: String = "application/json") async throws -> (code: Int, body: String) {
        var args = ["curl", "-sS", "-X", method, "-o", "-", "-w", "\n%{http_code}", "http://\(address)\(path)"]
        if body != nil { args += ["-H", "Content-Type: \(contentType)", "--data-binary", "@-"] }
        let out = try await Self.run("/usr/bin/env", args, stdin: body, timeout: 20)
        var lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let code = Int(lines.popLast() ?? "") ?? -1
        return (code, lines.joined(separator: "\n"))
    }

    /// Runs a process to completion, killing it after `timeout` seconds.
    ///
    /// The blocking pipe reads and the wait run on Dispatch threads, never on
    /// the cooperative pool, which the in-process server needs (2 cores).
    static func run(_ executable: String, _ arguments: [String], stdin: String?, timeout: Double) async throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        let pid = process.processIdentifier
        let deadline = DispatchWorkItem { kill(pid, SIGTERM) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: deadline)
        async let o = readAll(out.fileHandleForReading)
        async let e = readAll(err.fileHandleForReading)
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        let (stdoutData, stderrData) = await (o, e)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
        deadline.cancel()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
    }

    private static func readAll(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }

    /// A fresh namespace name for one test.
    static func namespace(_ prefix: String) -> String {
        prefix + "-" + String(UUID().uuidString.lowercased().prefix(8))
    }
}
