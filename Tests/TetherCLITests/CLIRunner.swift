import Foundation

/// Runs the built `tether` binary, as a user would.
enum CLI {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `tether` executable next to the test bundle (SwiftPM builds it
    /// because this test target depends on it).
    static var executable: URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("tether")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repositoryRoot.appendingPathComponent(".build/debug/tether")
    }

    /// `kubectl` on PATH, if installed: the reference the outputs are compared with.
    static let kubectl: URL? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("kubectl")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    /// Runs `tether` with the arguments.
    /// - Parameter environment: variables set on top of the test's own environment.
    static func run(_ arguments: [String], stdin: String? = nil, in directory: URL = repositoryRoot,
                    environment: [String: String] = [:]) throws -> Output {
        try run(executable, arguments, stdin: stdin, in: directory, environment: environment)
    }

    /// Starts a server-like `process` (standard error discarded) and returns what it prints
    /// up to and including its first line (its address), or all of it if it ends sooner.
    static func startReadingFirstLine(_ process: Process) throws -> String {
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
        return text
    }

    /// Runs any program and collects its output and exit status.
    static func run(_ program: URL, _ arguments: [String], stdin: String? = nil, in directory: URL = repositoryRoot,
                    environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Standard error is drained beside standard output, so a chatty program (trace
        // logs) cannot fill its pipe and block.
        let errors = ErrorDrain()
        let drained = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        DispatchQueue.global().async {
            errors.data = errHandle.readDataToEndOfFile()
            drained.signal()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        let stderr = errors.data
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// Standard error as read by the drain thread (read after it signals).
private final class ErrorDrain: @unchecked Sendable {
    var data = Data()
}
