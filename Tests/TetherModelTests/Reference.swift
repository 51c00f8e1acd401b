import Foundation

/// Runs the reference renderer, `kubectl kustomize`, when it is installed.
enum Reference {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let kubectlPath: String? = {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        for dir in paths {
            let candidate = "\(dir)/kubectl"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static var kubectlAvailable: Bool { kubectlPath != nil }

    /// Writes the files plus a kustomization listing them into a temporary
    /// directory and returns what `kubectl kustomize` printed, or its error.
    static func kustomize(resources: [String: String]) throws -> Result<String, Failure> {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tether-ref-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var kustomization = "resources:\n"
        for (name, content) in resources.sorted(by: { $0.key < $1.key }) {
            try Data(content.utf8).write(to: dir.appendingPathComponent(name))
            kustomization += "- \(name)\n"
        }
        try Data(kustomization.utf8).write(to: dir.appendingPathComponent("kustomization.yaml"))
        return try run([kubectlPath ?? "kubectl", "kustomize", dir.path])
    }

    static func run(_ arguments: [String]) throws -> Result<String, Failure> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 0 { return .success(String(decoding: stdout, as: UTF8.self)) }
        return .failure(Failure(description: String(decoding: stderr, as: UTF8.self)))
    }
}
