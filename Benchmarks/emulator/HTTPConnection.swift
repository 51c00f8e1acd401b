import Foundation

/// A blocking HTTP/1.1 keep-alive connection over a POSIX socket: just
/// enough client for the benchmark, so that the figures measure the
/// emulator rather than a client library.
final class HTTPConnection {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw BenchError("connect: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// Sends a request and reads the whole response.
    func request(_ method: String, _ path: String, body: [UInt8] = [], contentType: String = "application/json")
        throws -> (status: Int, body: [UInt8])
    {
        try send(method, path, body: body, contentType: contentType)
        let (status, headers) = try readHead()
        if headers["transfer-encoding"] == "chunked" {
            var body: [UInt8] = []
            while let chunk = try readChunk() { body += chunk }
            return (status, body)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        return (status, try read(length))
    }

    func send(_ method: String, _ path: String, body: [UInt8] = [], contentType: String = "application/json") throws {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: EmulatorBench\r\n"
        if !body.isEmpty { head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        let bytes = Array(head.utf8) + body
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw BenchError("send failed") }
            offset += n
        }
    }

    func readHead() throws -> (Int, [String: String]) {
        while true {
            if let end = find([13, 10, 13, 10]) {
                let text = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                var lines = text.components(separatedBy: "\r\n")
                let status = Int(lines.removeFirst().split(separator: " ")[1]) ?? 0
                var headers: [String: String] = [:]
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                return (status, headers)
            }
            try fill()
        }
    }

    /// The next chunk of a chunked body, or nil at its end.
    func readChunk() throws -> [UInt8]? {
        while find([13, 10]) == nil { try fill() }
        let end = find([13, 10])!
        let size = Int(String(decoding: buffer[..<end], as: UTF8.self), radix: 16) ?? 0
        buffer.removeFirst(end + 2)
        let data = try read(size + 2)
        return size == 0 ? nil : Array(data.prefix(size))
    }

    private func read(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        let data = Array(buffer.prefix(count))
        buffer.removeFirst(count)
        return data
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        for i in 0...(buffer.count - needle.count) where buffer[i] == needle[0] {
            if Array(buffer[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw BenchError("connection closed") }
        buffer += chunk[..<n]
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
