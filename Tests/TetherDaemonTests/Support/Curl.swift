import Foundation
import Logging

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One HTTP exchange made with the curl CLI: an independent client, so the daemon's
/// server is tested against something it does not share code with.
struct CurlResult: Sendable {
    var status: Int
    var body: String
    /// Response headers, names in lower case.
    var headers: [String: String]
}

/// Runs `curl` without blocking a thread of the cooperative pool (the server under test
/// needs them): the process's termination handler resumes the caller.
func curl(_ url: String, method: String = "GET", headers: [(String, String)] = [], body: [UInt8]? = nil)
    async throws -> CurlResult
{
    let directory = NSTemporaryDirectory() + "tether-daemon-curl-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var arguments = ["-sS", "--max-time", "20", "-X", method, "-o", directory + "/body", "-D", directory + "/headers",
                     "-w", "%{http_code}"]
    for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
    if let body {
        FileManager.default.createFile(atPath: directory + "/request", contents: Data(body))
        arguments += ["--data-binary", "@" + directory + "/request"]
    }
    arguments.append(url)
    let output = try await runProcess("/usr/bin/curl", arguments)
    guard let status = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
        throw TestFailure("curl printed no status: \(output)")
    }
    let text = (try? String(contentsOfFile: directory + "/body", encoding: .utf8)) ?? ""
    var map: [String: String] = [:]
    for line in ((try? String(contentsOfFile: directory + "/headers", encoding: .utf8)) ?? "").split(separator: "\r\n") {
        guard let colon = line.firstIndex(of: ":") else { continue }
        map[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return CurlResult(status: status, body: text, headers: map)
}

/// Runs a program to completion and returns its standard output; throws on a non-zero exit.
func runProcess(_ executable: String, _ arguments: [String], input: [UInt8]? = nil,
                environment: [String: String]? = nil) async throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let directory = NSTemporaryDirectory() + "tether-daemon-proc-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    FileManager.default.createFile(atPath: directory + "/out", contents: nil)
    FileManager.default.createFile(atPath: directory + "/err", contents: nil)
    FileManager.default.createFile(atPath: directory + "/in", contents: Data(input ?? []))
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/out"))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/err"))
    process.standardOutput = out
    process.standardError = err
    process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: directory + "/in"))
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do {
            try process.run()
        } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
        }
    }
    try? out.close()
    try? err.close()
    let stdout = (try? String(contentsOfFile: directory + "/out", encoding: .utf8)) ?? ""
    guard status == 0 else {
        let stderr = (try? String(contentsOfFile: directory + "/err", encoding: .utf8)) ?? ""
        throw TestFailure("\(executable) \(arguments.prefix(4)) exited \(status): \(stderr)")
    }
    return stdout
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func waitUntil(_ what: String, timeout: Duration = .seconds(10),
               _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TestFailure("timed out after \(timeout) waiting until \(what)")
}

/// A logger that prints only critical lines, so expected failures do not flood test output.
func quietLogger(_ label: String = "test") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = .critical
    return logger
}
