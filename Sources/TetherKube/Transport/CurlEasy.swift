internal import CCurl
import Foundation

/// Owns one libcurl easy handle. The handle keeps its connection cache between
/// transfers, which is how keep-alive reuse works; `curl_easy_reset` before each transfer
/// clears options but keeps live connections.
///
/// Not `Sendable`: libcurl handles must never be used from two threads at once. The pool
/// hands each one to a single transfer at a time through `CurlHandleLease`.
final class CurlEasy {
    let raw: UnsafeMutableRawPointer

    init?() {
        CurlLibrary.initialize()
        guard let raw = curl_easy_init() else { return nil }
        self.raw = raw
    }

    deinit { curl_easy_cleanup(raw) }

    /// Runs one transfer on the calling (dedicated) thread.
    /// - Parameters:
    ///   - request: what to send.
    ///   - cancellation: polled from the progress callback; when set the transfer aborts.
    ///   - onData: for streaming requests, receives each chunk of a 2xx body as it arrives
    ///     and returns `false` to stop; `nil` buffers the body.
    /// - Returns: the response, or the transport error.
    func perform(_ request: HTTPRequest, cancellation: CancellationFlag,
                 onData: ((UnsafeRawBufferPointer) -> Bool)?) -> Result<HTTPResponse, KubeError> {
        switch prepare(request, cancellation: cancellation, onData: onData) {
        case .failure(let error): return .failure(error)
        case .success(let transfer): return finish(transfer, code: curl_easy_perform(raw))
        }
    }

    /// Resets the handle and sets every option for `request`, for `curl_easy_perform` or
    /// a multi handle. The returned transfer owns what curl points into until `finish`.
    func prepare(_ request: HTTPRequest, cancellation: CancellationFlag,
                 onData: ((UnsafeRawBufferPointer) -> Bool)?) -> Result<PreparedTransfer, KubeError> {
        curl_easy_reset(raw)
        let transfer = PreparedTransfer(request: request,
                                        context: TransferContext(handle: raw, cancellation: cancellation, onData: onData))
        var options = OptionSetter(raw: raw)
        options.configure(request, headerList: &transfer.headerList, connectTo: &transfer.connectTo)
        options.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(transfer.errorBuffer))
        let userdata = transfer.userdata
        options.record(tether_curl_easy_setopt_write_callback(raw, writeCallback, userdata), CURLOPT_WRITEFUNCTION)
        options.record(tether_curl_easy_setopt_header_callback(raw, headerCallback, userdata), CURLOPT_HEADERFUNCTION)
        options.record(tether_curl_easy_setopt_xferinfo_callback(raw, progressCallback, userdata), CURLOPT_XFERINFOFUNCTION)
        if let failure = options.failure { return .failure(failure) }
        return .success(transfer)
    }

    /// Reads the outcome of a finished transfer, in the same frame as `code` was returned.
    func finish(_ transfer: PreparedTransfer, code: CURLcode) -> Result<HTTPResponse, KubeError> {
        let context = transfer.context
        var status = 0
        var version = 0
        var statusLong = 0
        if tether_curl_easy_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &statusLong) == CURLE_OK { status = statusLong }
        var versionLong = 0
        if tether_curl_easy_getinfo_long(raw, CURLINFO_HTTP_VERSION, &versionLong) == CURLE_OK {
            version = versionLong == tether_curl_http_version_2_0() ? 2 : 1
        }
        // How many connections this transfer had to open: 0 when it reused a live one.
        var connects = 0
        _ = tether_curl_easy_getinfo_long(raw, CURLINFO_NUM_CONNECTS, &connects)
        let response = HTTPResponse(status: status, headers: context.headers, body: context.body, httpVersion: version,
                                    newConnections: connects)
        if code != CURLE_OK {
            // A sink that asked to stop, or a server that hung up mid-stream after
            // a complete 2xx header, is a normal end for streams.
            if context.stoppedBySink || (context.onData != nil && status / 100 == 2 && !context.cancellation.isCancelled
                                         && (code == CURLE_PARTIAL_FILE || code == CURLE_RECV_ERROR)) {
                return .success(response)
            }
            return .failure(Self.error(code, detail: String(cString: transfer.errorBuffer),
                                       cancelled: context.cancellation.isCancelled, url: transfer.request.url))
        }
        return .success(response)
    }

    /// Maps a `CURLcode` to a `KubeError`, read in the same frame as the failing call.
    static func error(_ code: CURLcode, detail: String, cancelled: Bool, url: String) -> KubeError {
        let summary = String(cString: curl_easy_strerror(code))
        // The error buffer often ends with the summary already ("Failed to connect to … port 1
        // after 0 ms: Couldn't connect to server"); say it once.
        let message = detail.isEmpty ? summary : detail.contains(summary) ? detail : summary + ": " + detail
        let operation = ConfigFiles.redactedURL(url)
        switch code {
        case CURLE_ABORTED_BY_CALLBACK where cancelled, CURLE_WRITE_ERROR where cancelled:
            return KubeError(.cancelled, "request cancelled", operation: operation)
        case CURLE_OPERATION_TIMEDOUT:
            return KubeError(.timeout, message, operation: operation)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_ENGINE_NOTFOUND:
            return KubeError(.tls, message, operation: operation)
        default:
            return KubeError(.transport, message, operation: operation)
        }
    }
}

/// Sets options, remembering the first failure so the caller checks once.
private struct OptionSetter {
    let raw: UnsafeMutableRawPointer
    var failure: KubeError?

    mutating func record(_ code: CURLcode, _ option: CURLoption) {
        guard code != CURLE_OK, failure == nil else { return }
        failure = KubeError(.transport, "libcurl rejected option \(option.rawValue): " + String(cString: curl_easy_strerror(code)))
    }
    mutating func set(_ option: CURLoption, _ value: Int) { record(tether_curl_easy_setopt_long(raw, option, value), option) }
    mutating func set(_ option: CURLoption, _ value: String) { record(tether_curl_easy_setopt_string(raw, option, value), option) }
    mutating func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) {
        record(tether_curl_easy_setopt_pointer(raw, option, pointer), option)
    }
    mutating func set(_ option: CURLoption, blob: [UInt8]) {
        let code = blob.withUnsafeBytes { tether_curl_easy_setopt_blob(raw, option, $0.baseAddress, $0.count) }
        record(code, option)
    }

    mutating func configure(_ request: HTTPRequest, headerList: inout UnsafeMutablePointer<curl_slist>?,
                            connectTo: inout UnsafeMutablePointer<curl_slist>?) {
        var url = request.url
        if let serverName = request.tls.serverName, var components = URLComponents(string: url),
           let host = components.host {
            // tls-server-name: connect to the real host but verify (and send SNI for) the
            // configured name, by addressing that name and mapping it back with CONNECT_TO.
            let port = components.port ?? (components.scheme == "https" ? 443 : 80)
            components.host = serverName
            url = components.string ?? url
            let target = host.contains(":") ? "[\(host)]" : host
            connectTo = curl_slist_append(nil, "\(serverName):\(port):\(target):\(port)")
            set(CURLOPT_CONNECT_TO, pointer: UnsafeMutableRawPointer(connectTo))
        }
        set(CURLOPT_URL, url)
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_TCP_KEEPALIVE, 1)
        // In a multi handle, let a request wait for a connection that is still negotiating
        // h2 instead of opening its own, so concurrent requests share one h2 connection.
        if url.hasPrefix("https:") { set(CURLOPT_PIPEWAIT, 1) }
        set(CURLOPT_HTTP_VERSION, tether_curl_http_version_2tls())
        set(CURLOPT_USERAGENT, request.userAgent)
        set(CURLOPT_ACCEPT_ENCODING, "")
        set(CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout.milliseconds))
        if let timeout = request.timeout { set(CURLOPT_TIMEOUT_MS, Int(max(1, timeout.milliseconds))) }
        switch request.method {
        case "GET": set(CURLOPT_HTTPGET, 1)
        case "HEAD": set(CURLOPT_NOBODY, 1)
        default: set(CURLOPT_CUSTOMREQUEST, request.method)
        }
        if let body = request.body {
            set(CURLOPT_POSTFIELDSIZE, body.count)
            body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies, so the Swift array may go away afterwards.
                let pointer = UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start))
                record(tether_curl_easy_setopt_pointer(raw, CURLOPT_COPYPOSTFIELDS, pointer), CURLOPT_COPYPOSTFIELDS)
            }
            if request.method != "POST" { set(CURLOPT_CUSTOMREQUEST, request.method) }
        }
        for header in request.headers { headerList = curl_slist_append(headerList, "\(header.name): \(header.value)") }
        if let authorization = request.authorization {
            headerList = curl_slist_append(headerList, "Authorization: " + authorization.value)
        }
        headerList = curl_slist_append(headerList, "Expect:")
        set(CURLOPT_HTTPHEADER, pointer: UnsafeMutableRawPointer(headerList))
        configureTLS(request.tls)
        if let proxy = request.proxyURL { set(CURLOPT_PROXY, proxy) }
    }

    mutating func configureTLS(_ tls: KubeConfig.TLSSettings) {
        if let ca = tls.certificateAuthority { set(CURLOPT_CAINFO_BLOB, blob: ca) }
        if tls.insecureSkipVerify {
            set(CURLOPT_SSL_VERIFYPEER, 0)
            set(CURLOPT_SSL_VERIFYHOST, 0)
        } else {
            set(CURLOPT_SSL_VERIFYPEER, 1)
            set(CURLOPT_SSL_VERIFYHOST, 2)
        }
        if let cert = tls.clientCertificate, let key = tls.clientKey {
            set(CURLOPT_SSLCERTTYPE, "PEM")
            set(CURLOPT_SSLCERT_BLOB, blob: cert)
            set(CURLOPT_SSLKEYTYPE, "PEM")
            set(CURLOPT_SSLKEY_BLOB, blob: key.value)
        }
    }
}

/// What curl points into during one transfer (callback context, error buffer, header
/// lists), kept alive from `prepare` until the transfer is finished and freed after.
final class PreparedTransfer {
    let request: HTTPRequest
    let context: TransferContext
    let errorBuffer: UnsafeMutablePointer<CChar>
    var headerList: UnsafeMutablePointer<curl_slist>?
    var connectTo: UnsafeMutablePointer<curl_slist>?
    private let retained: Unmanaged<TransferContext>

    init(request: HTTPRequest, context: TransferContext) {
        self.request = request
        self.context = context
        errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        retained = Unmanaged.passRetained(context)
    }

    /// The callbacks' `userdata`.
    var userdata: UnsafeMutableRawPointer { retained.toOpaque() }

    deinit {
        curl_slist_free_all(headerList)
        curl_slist_free_all(connectTo)
        errorBuffer.deallocate()
        retained.release()
    }
}

/// State shared with the C callbacks of one transfer; lives on the transfer thread only.
final class TransferContext {
    let handle: UnsafeMutableRawPointer
    let cancellation: CancellationFlag
    let onData: ((UnsafeRawBufferPointer) -> Bool)?
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []
    var stoppedBySink = false
    var status: Int?

    init(handle: UnsafeMutableRawPointer, cancellation: CancellationFlag, onData: ((UnsafeRawBufferPointer) -> Bool)?) {
        self.handle = handle
        self.cancellation = cancellation
        self.onData = onData
    }
}

private let writeCallback: tether_curl_data_callback = { buffer, size, count, userdata in
    guard let userdata, let buffer else { return 0 }
    let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    if context.cancellation.isCancelled { return 0 }
    if context.status == nil {
        var status = 0
        _ = tether_curl_easy_getinfo_long(context.handle, CURLINFO_RESPONSE_CODE, &status)
        context.status = status
    }
    let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
    if let onData = context.onData, let status = context.status, status / 100 == 2 {
        if !onData(bytes) {
            context.stoppedBySink = true
            return 0
        }
    } else {
        context.body.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
    }
    return length
}

private let headerCallback: tether_curl_data_callback = { buffer, size, count, userdata in
    guard let userdata, let buffer else { return 0 }
    let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    buffer.withMemoryRebound(to: UInt8.self, capacity: length) { start in
        context.receiveHeaderLine(UnsafeBufferPointer(start: start, count: length))
    }
    return length
}

extension TransferContext {
    /// Records one header line as curl delivers it (with its CRLF). Works on the bytes:
    /// this runs for every header of every response, and going through Foundation's
    /// `trimmingCharacters` here cost about a tenth of the client's CPU per request.
    func receiveHeaderLine(_ bytes: UnsafeBufferPointer<UInt8>) {
        let line = Self.trimmed(bytes[...])
        if line.starts(with: "HTTP/".utf8) {
            headers = []  // a new response (after 100 Continue or a redirect)
            status = nil
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let nameBytes = UnsafeBufferPointer(rebasing: line[..<colon])
            let name = nameBytes.contains { $0 >= 0x41 && $0 <= 0x5A || $0 >= 0x80 }
                ? String(decoding: nameBytes, as: UTF8.self).lowercased()
                : String(decoding: nameBytes, as: UTF8.self)
            let value = String(decoding: UnsafeBufferPointer(rebasing: Self.trimmed(line[(colon + 1)...])), as: UTF8.self)
            headers.append((name, value))
        }
    }

    /// `bytes` without ASCII whitespace (space, tab, CR, LF, VT, FF) at either end.
    private static func trimmed(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }
}

/// Returning non-zero aborts the transfer: this is how task cancellation reaches curl.
private let progressCallback: tether_curl_xferinfo_callback = { userdata, _, _, _, _ in
    guard let userdata else { return 0 }
    let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    return context.cancellation.isCancelled ? 1 : 0
}

extension Duration {
    var milliseconds: Int64 {
        let parts = components
        return parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
    }
}
