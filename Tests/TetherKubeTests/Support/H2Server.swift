import Foundation
import Testing

/// `nghttpd` (Debian's nghttp2-server, the nghttp2 reference server) serving static JSON
/// over TLS with ALPN `h2` on 127.0.0.1, for the HTTP/2 tests. Its verbose log, one line
/// per frame prefixed `[id=N]` with N the connection, tells how many connections and
/// streams the client used.
final class H2Server: Sendable {
    static let executable = "/usr/sbin/nghttpd"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    let port: Int
    private let process: Process
    private let logPath: String

    var url: String { "https://127.0.0.1:\(port)" }

    /// Starts the server.
    /// - Parameter files: URL path (without the leading `/`) to body. A path must not
    ///   also be a directory of another path: nghttpd answers a directory with a redirect.
    init(files: [String: String]) throws {
        let pki = try TestPKI.shared()
        let root = try makeTempDirectory("h2")
        for (path, body) in files {
            let file = root + "/" + path
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try body.write(toFile: file, atomically: true, encoding: .utf8)
        }
        logPath = root + ".log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        // nghttpd cannot report a port it picked itself, so take a free one and hand it over;
        // another process grabbing it in between makes nghttpd exit, and we try again.
        var attempt = 0
        while true {
            attempt += 1
            let candidate = try freeLoopbackPort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/stdbuf")
            process.arguments = ["-oL", Self.executable, "-v", "-a", "127.0.0.1", "-d", root, String(candidate),
                                 pki.path("server.key"), pki.path("server.crt")]
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            process.standardOutput = log
            process.standardError = log
            process.standardInput = FileHandle.nullDevice
            try process.run()
            if try waitUntilListening(candidate, process: process) {
                self.port = candidate
                self.process = process
                return
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            guard attempt < 3 else { throw TestFailure("nghttpd did not start: " + (try String(contentsOfFile: logPath, encoding: .utf8))) }
        }
    }

    deinit {
        // SIGKILL: nghttpd inherits the test runner's signal mask, in which SIGTERM is blocked.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The ids of the connections that carried at least one request (the readiness probe
    /// connects without sending any).
    func connections() throws -> Set<String> {
        let log = try String(contentsOfFile: logPath, encoding: .utf8)
        var ids = Set<String>()
        for line in log.split(separator: "\n") where line.hasPrefix("[id=") && line.contains(":path: ") {
            if let end = line.firstIndex(of: "]") { ids.insert(String(line[line.index(line.startIndex, offsetBy: 4)..<end])) }
        }
        return ids
    }

    /// The `:path` of every request stream, in arrival order.
    func requestPaths() throws -> [String] {
        let log = try String(contentsOfFile: logPath, encoding: .utf8)
        return log.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "recv (stream_id="), line[range.upperBound...].contains(":path: ") else { return nil }
            return line.components(separatedBy: ":path: ").last
        }
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw TestFailure("bind() failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw TestFailure("getsockname() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Polls until something accepts connections on `port`, or `process` exits.
private func waitUntilListening(_ port: Int, process: Process) throws -> Bool {
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
        guard process.isRunning else { return false }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(fd)
        if connected == 0 { return true }
        usleep(20_000)
    }
    return false
}
