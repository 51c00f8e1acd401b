import Foundation
import Testing

/// Paths and helpers shared by the SOPS tests.
enum Support {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("fixtures/sops")
    /// The shared corpus (`../shared/sops` beside the checkout); absent on some machines.
    static let corpus = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/sops")
    static var corpusPresent: Bool { FileManager.default.fileExists(atPath: corpus.appendingPathComponent("cases.tsv").path) }

    static func bytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }
    static func text(_ url: URL) throws -> String { String(decoding: try Data(contentsOf: url), as: UTF8.self) }

    /// The first executable named `name` on `PATH`, or in the package's `.venv/bin`.
    static func tool(_ name: String) -> String? {
        var dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        dirs.insert(packageRoot.appendingPathComponent(".venv/bin").path, at: 0)
        for dir in dirs {
            let path = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    struct Output { var status: Int32; var stdout: [UInt8]; var stderr: String }

    /// Runs a tool to completion with the given environment additions.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: [UInt8]? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: Array(stdout), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tether-sops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs only when Debian's `age` and `age-keygen` are installed.
    static var requiresAgeCLI: Self {
        .enabled(if: Support.tool("age") != nil && Support.tool("age-keygen") != nil, "the age CLI is not installed (apt-get install age)")
    }
    /// Runs only when the shared corpus ../shared/sops is present.
    static var requiresCorpus: Self {
        .enabled(if: Support.corpusPresent, "the SOPS corpus ../shared/sops is absent")
    }
}
