import Foundation
import TestSupport

/// A TCP proxy on 127.0.0.1 in its own process (Python), relaying to `targetPort` and
/// sending the server's bytes on at `bytesPerSecond`, so a fetch through it lasts long
/// enough to kill the proxy in the middle. It touches `progressFile` once it has relayed
/// `progressBytes` from the server.
final class ThrottledProxy: Sendable {
    let port: Int
    let server: ServerProcess
    let progressFile: String

    private static let script = #"""
        import socket, sys, threading, time
        port, target, rate, marker, threshold = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
        relayed = [0]
        lock = threading.Lock()
        def pump(src, dst, throttle):
            try:
                while True:
                    data = src.recv(16384)
                    if not data:
                        break
                    dst.sendall(data)
                    if throttle:
                        with lock:
                            relayed[0] += len(data)
                            if relayed[0] >= threshold:
                                open(marker, "a").close()
                        if rate > 0:
                            time.sleep(len(data) / rate)
            except OSError:
                pass
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        def handle(client):
            upstream = socket.create_connection(("127.0.0.1", target))
            threading.Thread(target=pump, args=(client, upstream, False), daemon=True).start()
            pump(upstream, client, True)
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(16)
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=handle, args=(conn,), daemon=True).start()
        """#

    /// - Parameters:
    ///   - port: the port to listen on (reuse one to restart the proxy in place).
    ///   - bytesPerSecond: server-to-client rate; 0 for no limit.
    init(port: Int? = nil, targetPort: Int, bytesPerSecond: Int, progressBytes: Int = 256 * 1024,
         directory: TemporaryDirectory) async throws {
        self.port = port ?? freePort()
        let scriptFile = directory.sub("proxy.py")
        try Self.script.write(toFile: scriptFile, atomically: true, encoding: .utf8)
        progressFile = directory.sub("progress-\(self.port)-\(UUID().uuidString.prefix(6))")
        server = try ServerProcess(["/usr/bin/python3", scriptFile, "\(self.port)", "\(targetPort)", "\(bytesPerSecond)",
                                    progressFile, "\(progressBytes)"], log: directory.sub("proxy.log"))
        try await waitForPort(self.port)
    }

    /// Whether the proxy has relayed `progressBytes` from the server.
    var madeProgress: Bool { FileManager.default.fileExists(atPath: progressFile) }

    /// Kills the proxy process with SIGKILL; the kernel closes its sockets.
    func kill() { server.stop() }
}
