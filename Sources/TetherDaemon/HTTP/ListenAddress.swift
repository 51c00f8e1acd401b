/// A `host:port` (or `[v6]:port`) listen address, given explicitly: the daemon never picks
/// `0.0.0.0` by itself.
package struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    /// 0 picks a free port (tests).
    package var port: Int

    /// Parses `text`.
    /// - Throws: `DaemonError` `.listenFailed` naming the text and an example.
    package init(_ text: String) throws(DaemonError) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port)
        else {
            throw DaemonError(.listenFailed, "\(text): not a host:port listen address. Use for example 127.0.0.1:8080, or 0.0.0.0:8080 inside a Pod.")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            throw DaemonError(.listenFailed, "\(text): the host is missing. Use for example 127.0.0.1:8080, or 0.0.0.0:8080 inside a Pod.")
        }
        self.host = host
        self.port = port
    }

    package var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
