import Foundation
import TetherDaemon
#if canImport(Glibc)
import Glibc
#endif

/// `tether run --listen`: whether the address can be bound, checked before the daemon
/// starts, so that a taken port is a one-line error naming the flag (not NIO's
/// `bind(descriptor:ptr:bytes:)` text and exit 5).
enum ListenCheck {
    /// - Throws: `DaemonError` `.listenFailed` naming the address, why, and `--listen`.
    static func check(_ address: ListenAddress) throws(DaemonError) {
        guard address.port != 0 else { return }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(address.host, String(address.port), &hints, &found)
        guard resolved == 0, let info = found else {
            let reason = resolved == 0 ? "no address" : String(cString: gai_strerror(resolved))
            throw DaemonError(.listenFailed, "cannot listen on \(address): the host does not resolve (\(reason)); pass --listen HOST:PORT, e.g. 127.0.0.1:\(address.port)")
        }
        defer { freeaddrinfo(info) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { return }
        defer { close(fd) }
        // As the HTTP server binds (SO_REUSEADDR), so that a port in TIME_WAIT is not refused.
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 else { return }
        let code = errno
        let why = code == EADDRINUSE ? "the port is already in use by another process"
            : code == EADDRNOTAVAIL ? "the address is not one of this machine's"
            : code == EACCES ? "permission denied (ports below 1024 need privileges)"
            : String(cString: strerror(code))
        throw DaemonError(.listenFailed, "cannot listen on \(address): \(why); pick another with --listen HOST:PORT")
    }
}
