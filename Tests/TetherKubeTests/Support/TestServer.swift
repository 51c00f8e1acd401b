import Foundation
import Testing
@testable import TetherKube
import TetherModel
import Logging
import TestSupport

/// The scriptable Python API server in `kube_test_server.py`, one process per test, on
/// 127.0.0.1 port 0. It exits when its stdin closes, i.e. when this object goes away.
final class TestServer: Sendable {
    enum Scheme: Sendable { case http, https }

    let port: Int
    let scheme: Scheme
    private let process: Process
    private let stdin: Pipe

    var url: String { (scheme == .https ? "https" : "http") + "://127.0.0.1:\(port)" }

    init(_ scheme: Scheme = .http) throws {
        self.scheme = scheme
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("kube_test_server.py").path
        var arguments = [script]
        if scheme == .https {
            let pki = try TestPKI.shared()
            arguments += ["--cert", pki.path("server.crt"), "--key", pki.path("server.key"), "--client-ca", pki.path("ca.crt")]
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        // The server's tracebacks for connections the tests break on purpose (an unknown CA,
        // a reset) go to the test's captured logs, shown only if it fails.
        let stderr = Pipe(), capture = LogCapture.current
        process.standardError = stderr
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }  // end of file
            let text = String(decoding: data, as: UTF8.self)
            for line in text.split(whereSeparator: \.isNewline) { capture?.append("kube_test_server.py: " + line) }
        }
        try process.run()
        var line = Data()
        while true {
            let byte = stdout.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            throw TestFailure("test server did not print its port")
        }
        self.port = port
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        process.terminate()
    }

    /// Sends a control request with the curl CLI (not with the client under test).
    @discardableResult
    func control(_ path: String, _ json: String = "{}") throws -> String {
        var arguments = ["-sS", "--fail", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", json]
        if scheme == .https { arguments += ["--cacert", try TestPKI.shared().path("ca.crt")] }
        return try run("/usr/bin/curl", arguments + [url + "/__control/" + path])
    }

    /// Queues scripted responses (JSON objects, see the server's `scripted`).
    func script(_ items: String) throws { try control("script", items) }

    /// The requests the server received (control requests excluded).
    func requests() throws -> [Value] {
        let text = try control("requests")
        return try JSONParsing().value(from: text).listValue ?? []
    }

    /// TLS settings that trust the test CA for HTTPS, and none for HTTP.
    func trustingTLS() throws -> KubeConfig.TLSSettings {
        scheme == .https ? KubeConfig.TLSSettings(certificateAuthority: try TestPKI.shared().bytes("ca.crt")) : .init()
    }

    /// A client for this server.
    func client(tls: KubeConfig.TLSSettings = .init(), authentication: KubeConfig.Authentication = .none,
                options: KubeClient.Options = fastOptions()) -> KubeClient {
        KubeClient(config: KubeConfig(server: url, tls: tls, authentication: authentication), options: options,
                   logger: Logger(label: "test"))
    }

    static func fastOptions() -> KubeClient.Options {
        var options = KubeClient.Options()
        options.retry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200),
                                    maxRetryAfter: .seconds(2))
        options.requestTimeout = .seconds(20)
        return options
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

@discardableResult
func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw TestFailure("\(executable) \(arguments.prefix(3)) failed: " + String(decoding: errors, as: UTF8.self))
    }
    return String(decoding: data, as: UTF8.self)
}

/// A CA, a server certificate for 127.0.0.1/localhost/kube.test, a client certificate
/// (CN tether-client) and an unrelated CA, generated once per test process with openssl.
final class TestPKI: Sendable {
    let directory: String

    private static let instance: Result<TestPKI, TestFailure> = {
        do { return .success(try TestPKI()) } catch { return .failure(TestFailure("\(error)")) }
    }()

    static func shared() throws -> TestPKI { try instance.get() }

    func path(_ name: String) -> String { directory + "/" + name }
    func bytes(_ name: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path(name)) ?? Data()) }

    private init() throws {
        directory = try makeTempDirectory("pki")
        let openssl = "/usr/bin/openssl"
        func ssl(_ arguments: String...) throws { try run(openssl, arguments) }
        // EC keys: generating four RSA keys costs about a second of CPU.
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try run(openssl, ["req", "-x509"] + ec + ["-days", "2", "-subj", "/CN=tether-test-ca",
                                                 "-keyout", path("ca.key"), "-out", path("ca.crt")])
        try run(openssl, ["req", "-x509"] + ec + ["-days", "2", "-subj", "/CN=other-ca",
                                                 "-keyout", path("other-ca.key"), "-out", path("other-ca.crt")])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kube.test\n".write(toFile: path("server.ext"), atomically: true, encoding: .utf8)
        try run(openssl, ["req"] + ec + ["-subj", "/CN=kube-apiserver", "-keyout", path("server.key"), "-out", path("server.csr")])
        try ssl("x509", "-req", "-in", path("server.csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-days", "2", "-extfile", path("server.ext"), "-out", path("server.crt"))
        try run(openssl, ["req"] + ec + ["-subj", "/CN=tether-client", "-keyout", path("client.key"), "-out", path("client.csr")])
        try ssl("x509", "-req", "-in", path("client.csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-days", "2", "-out", path("client.crt"))
    }
}

func makeTempDirectory(_ prefix: String) throws -> String {
    let path = NSTemporaryDirectory() + "tether-kube-\(prefix)-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")

func makeConfigMap(_ name: String, namespace: String = "default", data: [(String, String)] = [("k", "v")]) -> Resource {
    var dataMap = OrderedMap()
    for (key, value) in data { dataMap.append(key: key, value: .string(value)) }
    var metadata = OrderedMap()
    metadata.append(key: "name", value: .string(name))
    if !namespace.isEmpty { metadata.append(key: "namespace", value: .string(namespace)) }
    var root = OrderedMap()
    root.append(key: "apiVersion", value: "v1")
    root.append(key: "kind", value: "ConfigMap")
    root.append(key: "metadata", value: .map(metadata))
    root.append(key: "data", value: .map(dataMap))
    return Resource(unchecked: .map(root))
}

/// Every TetherKube suite runs inside this one, one test at a time: the tests start
/// Python servers and openssl, and running them all at once on the 2 shared cores
/// starves the timing-sensitive tests of other targets.
@Suite(.serialized, .capturedLogs)
enum KubeSuites {}
