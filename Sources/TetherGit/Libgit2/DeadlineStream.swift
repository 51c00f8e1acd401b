internal import CGit2
import Foundation

/// A plain TCP stream for libgit2 that honours the running operation's deadlines.
///
/// Registered once as libgit2's `GIT_STREAM_STANDARD` (`git_stream_register`), so the
/// `git://` transport, smart HTTP, HTTPS (the TLS stream wraps the standard stream) and SSH
/// all open their sockets through it. It connects with a timeout and polls before every read
/// and write; see `OperationContext` for the whole deadline design.
///
/// Memory layout: `git2.h` does not include `git2/sys/stream.h`, and the `CGit2` shim
/// exposes only `git2.h`, so the structures are laid out here by hand for LP64 (x86_64,
/// arm64) and `git_stream_register` is looked up with `dlsym`. The layout is libgit2 1.5's
/// (`GIT_STREAM_VERSION` 1); the stream is only installed when the linked library is 1.5 or
/// 1.6 (1.7 changed `git_stream` and has its own timeout options). libgit2 1.5's SSH
/// transport reads the descriptor straight out of the stream
/// (`GIT_CONTAINER_OF(io, git_socket_stream, parent)->s`), so the allocation mirrors
/// `git_socket_stream` — `{ git_stream parent; char *host; char *port; int s; }` — and keeps
/// Tether's context pointer after it.
enum DeadlineStream {
    private typealias ConnectFunction = @convention(c) (UnsafeMutableRawPointer?) -> Int32
    private typealias ReadFunction = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, Int) -> Int
    private typealias WriteFunction = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, Int, Int32) -> Int
    private typealias FreeFunction = @convention(c) (UnsafeMutableRawPointer?) -> Void
    private typealias InitFunction = @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32
    private typealias RegisterFunction = @convention(c) (Int32, UnsafeMutableRawPointer?) -> Int32

    // struct git_stream (libgit2 1.5)
    private static let versionOffset = 0, encryptedOffset = 4, proxySupportOffset = 8
    private static let connectOffset = 16, certificateOffset = 24, setProxyOffset = 32
    private static let readOffset = 40, writeOffset = 48, closeOffset = 56, freeOffset = 64
    // struct git_socket_stream continues after the 72-byte git_stream
    private static let hostOffset = 72, portOffset = 80, socketOffset = 88, contextOffset = 96
    private static let size = 104
    private static let streamTypeStandard: Int32 = 1

    /// Installs the stream for every libgit2 connection in the process (libgit2 1.5/1.6 only).
    /// - Returns: whether the stream was installed.
    @discardableResult
    static func register() -> Bool {
        let version = GitLibrary.version
        guard MemoryLayout<Int>.size == 8, version.major == 1, version.minor == 5 || version.minor == 6,
              let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "git_stream_register") else { return false }
        let registerFunction = unsafeBitCast(symbol, to: RegisterFunction.self)
        // struct git_stream_registration { int version; init; wrap; } — copied by libgit2.
        let registration = UnsafeMutableRawPointer.allocate(byteCount: 24, alignment: 8)
        registration.initializeMemory(as: UInt8.self, repeating: 0, count: 24)
        registration.storeBytes(of: 1, toByteOffset: 0, as: Int32.self)
        let initFunction: InitFunction = { out, host, port in
            guard let out, let host, let port else { return -1 }
            out.pointee = DeadlineStream.make(host: host, port: port)
            return 0
        }
        registration.storeBytes(of: initFunction, toByteOffset: 8, as: InitFunction.self)
        defer { registration.deallocate() }
        return registerFunction(streamTypeStandard, registration) == 0
    }

    private static func make(host: UnsafePointer<CChar>, port: UnsafePointer<CChar>) -> UnsafeMutableRawPointer {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        raw.storeBytes(of: 1, toByteOffset: versionOffset, as: Int32.self)
        let connect: ConnectFunction = { stream in stream.map(DeadlineStream.connect) ?? -1 }
        let read: ReadFunction = { stream, buffer, length in
            guard let stream, let buffer else { return -1 }
            return DeadlineStream.read(stream, buffer, length)
        }
        let write: WriteFunction = { stream, data, length, _ in
            guard let stream, let data else { return -1 }
            return DeadlineStream.write(stream, data, length)
        }
        let close: ConnectFunction = { stream in
            if let stream { DeadlineStream.closeSocket(stream) }
            return 0
        }
        let free: FreeFunction = { stream in
            if let stream { DeadlineStream.free(stream) }
        }
        raw.storeBytes(of: connect, toByteOffset: connectOffset, as: ConnectFunction.self)
        raw.storeBytes(of: read, toByteOffset: readOffset, as: ReadFunction.self)
        raw.storeBytes(of: write, toByteOffset: writeOffset, as: WriteFunction.self)
        raw.storeBytes(of: close, toByteOffset: closeOffset, as: ConnectFunction.self)
        raw.storeBytes(of: free, toByteOffset: freeOffset, as: FreeFunction.self)
        raw.storeBytes(of: strdup(host), toByteOffset: hostOffset, as: UnsafeMutablePointer<CChar>?.self)
        raw.storeBytes(of: strdup(port), toByteOffset: portOffset, as: UnsafeMutablePointer<CChar>?.self)
        raw.storeBytes(of: -1, toByteOffset: socketOffset, as: Int32.self)
        let context = OperationContext.current.map { Unmanaged.passRetained($0).toOpaque() }
        raw.storeBytes(of: context, toByteOffset: contextOffset, as: UnsafeMutableRawPointer?.self)
        return raw
    }

    // MARK: Field access

    private static func field<T>(_ stream: UnsafeMutableRawPointer, _ offset: Int, as type: T.Type) -> T {
        stream.load(fromByteOffset: offset, as: type)
    }

    private static func socket(_ stream: UnsafeMutableRawPointer) -> Int32 {
        field(stream, socketOffset, as: Int32.self)
    }

    private static func setSocket(_ stream: UnsafeMutableRawPointer, _ value: Int32) {
        stream.storeBytes(of: value, toByteOffset: socketOffset, as: Int32.self)
    }

    private static func context(_ stream: UnsafeMutableRawPointer) -> OperationContext? {
        field(stream, contextOffset, as: UnsafeMutableRawPointer?.self)
            .map { Unmanaged<OperationContext>.fromOpaque($0).takeUnretainedValue() }
    }

    private static func fail(_ message: String) -> Int32 {
        git_error_set_str(Int32(GIT_ERROR_NET.rawValue), message)
        return -1
    }

    // MARK: Operations

    private static func connect(_ stream: UnsafeMutableRawPointer) -> Int32 {
        guard let host = field(stream, hostOffset, as: UnsafeMutablePointer<CChar>?.self),
              let port = field(stream, portOffset, as: UnsafeMutablePointer<CChar>?.self) else { return -1 }
        let context = context(stream)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let lookup = getaddrinfo(host, port, &hints, &list)
        guard lookup == 0, let first = list else {
            return fail("failed to resolve address for \(String(cString: host)): \(String(cString: gai_strerror(lookup)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = Glibc.socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { lastError = String(cString: strerror(errno)); continue }
            context?.register(socket: fd)
            if let failure = connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen, context) {
                context?.unregister(socket: fd)
                Glibc.close(fd)
                lastError = failure
                if context?.abortReason != nil { break }
                continue
            }
            setSocket(stream, fd)
            context?.touch()
            return 0
        }
        return fail("failed to connect to \(String(cString: host)):\(String(cString: port)): \(lastError)")
    }

    /// Non-blocking connect bounded by the connect deadline; returns an error text or nil.
    private static func connect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t,
                                _ context: OperationContext?) -> String? {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }
        if Glibc.connect(fd, address, length) == 0 { return nil }
        guard errno == EINPROGRESS else { return String(cString: strerror(errno)) }
        let deadline = context?.connectDeadline()
        while true {
            if let context, let deadline {
                if context.abortReason != nil { return "aborted" }
                if context.hasPassed(deadline) {
                    context.abort(.connectTimeout)
                    return "connect timed out"
                }
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let wait = deadline.flatMap { d in context.map { $0.milliseconds(until: d) } } ?? -1
            let ready = poll(&pfd, 1, wait)
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 { return String(cString: strerror(errno)) }
            if ready == 0 { continue }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            return error == 0 ? nil : String(cString: strerror(error))
        }
    }

    /// Waits until `fd` is ready for `events`; returns false (with libgit2's error set) on a
    /// deadline or abort.
    private static func wait(_ fd: Int32, _ events: Int32, _ context: OperationContext?) -> Bool {
        guard let context else { return true }
        while true {
            let slice = context.pollSlice()
            if slice == 0 { return false }
            var pfd = pollfd(fd: fd, events: Int16(events), revents: 0)
            let ready = poll(&pfd, 1, slice)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }
        }
    }

    private static func read(_ stream: UnsafeMutableRawPointer, _ buffer: UnsafeMutableRawPointer, _ length: Int) -> Int {
        let fd = socket(stream)
        let context = context(stream)
        while true {
            guard wait(fd, Int32(POLLIN), context) else { return Int(fail("timed out waiting for data from the server")) }
            let count = recv(fd, buffer, length, 0)
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if count < 0 { return Int(fail("could not read from socket: \(String(cString: strerror(errno)))")) }
            context?.touch()
            return count
        }
    }

    private static func write(_ stream: UnsafeMutableRawPointer, _ data: UnsafePointer<CChar>, _ length: Int) -> Int {
        let fd = socket(stream)
        let context = context(stream)
        var offset = 0
        while offset < length {
            guard wait(fd, Int32(POLLOUT), context) else { return Int(fail("timed out sending data to the server")) }
            let sent = send(fd, data + offset, length - offset, Int32(MSG_NOSIGNAL))
            if sent < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if sent < 0 { return Int(fail("could not write to socket: \(String(cString: strerror(errno)))")) }
            offset += sent
            context?.touch()
        }
        return length
    }

    private static func closeSocket(_ stream: UnsafeMutableRawPointer) {
        let fd = socket(stream)
        guard fd >= 0 else { return }
        context(stream)?.unregister(socket: fd)
        Glibc.close(fd)
        setSocket(stream, -1)
    }

    private static func free(_ stream: UnsafeMutableRawPointer) {
        closeSocket(stream)
        let raw = stream
        Glibc.free(field(stream, hostOffset, as: UnsafeMutablePointer<CChar>?.self))
        Glibc.free(field(stream, portOffset, as: UnsafeMutablePointer<CChar>?.self))
        if let context = field(stream, contextOffset, as: UnsafeMutableRawPointer?.self) {
            Unmanaged<OperationContext>.fromOpaque(context).release()
        }
        raw.deallocate()
    }
}
