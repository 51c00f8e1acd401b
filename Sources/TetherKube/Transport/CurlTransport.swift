import Foundation

/// Sends requests through pooled libcurl easy handles, each transfer on a dedicated
/// thread, aborted through curl's progress callback when the calling task is cancelled.
///
/// This is one attempt per call: retries, rate limiting and authentication live in
/// `KubeClient`, which sees Swift types only.
final class CurlTransport: Sendable {
    private let pool: CurlHandlePool

    init(maxIdleHandles: Int) {
        CurlLibrary.initialize()
        pool = CurlHandlePool(maxIdle: maxIdleHandles)
    }

    /// Sends `request` and buffers the whole response.
    /// - Throws: `KubeError` with code `transport`, `tls`, `timeout` or `cancelled`. An HTTP
    ///   error status is a normal response, not a thrown error.
    func send(_ request: HTTPRequest) async throws(KubeError) -> HTTPResponse {
        try await run(request, onData: nil)
    }

    /// Sends `request` and hands each chunk of a 2xx body to `onData` as it arrives, on the
    /// transfer thread. Returning `false` from `onData` ends the transfer normally.
    /// - Returns: the response; for a 2xx status its `body` is empty.
    func stream(_ request: HTTPRequest,
                onData: @escaping @Sendable (UnsafeRawBufferPointer) -> Bool) async throws(KubeError) -> HTTPResponse {
        try await run(request, onData: onData)
    }

    private func run(_ request: HTTPRequest,
                     onData: (@Sendable (UnsafeRawBufferPointer) -> Bool)?) async throws(KubeError) -> HTTPResponse {
        if Task.isCancelled { throw KubeError(.cancelled, "request cancelled before it was sent") }
        guard let lease = await pool.checkout() else {
            throw KubeError(.transport, "libcurl could not create an easy handle (out of memory?)")
        }
        let flag = CancellationFlag()
        let result = await withTaskCancellationHandler {
            await runOnDedicatedThread(name: "tether-curl") {
                lease.handle.perform(request, cancellation: flag, onData: onData)
            }
        } onCancel: {
            flag.cancel()
        }
        await pool.checkin(lease)
        return try result.get()
    }
}

/// Hands a handle to exactly one transfer at a time.
struct CurlHandleLease: @unchecked Sendable {
    // @unchecked: the pool removes a handle from its idle list before leasing it and adds
    // it back only after `perform` has returned, so no two threads ever use it at once.
    let handle: CurlEasy
}

/// Idle easy handles, kept so their live connections (keep-alive, HTTP/2) are reused.
actor CurlHandlePool {
    private var idle: [CurlHandleLease] = []
    private let maxIdle: Int

    init(maxIdle: Int) { self.maxIdle = max(1, maxIdle) }

    func checkout() -> CurlHandleLease? {
        if let lease = idle.popLast() { return lease }
        return CurlEasy().map(CurlHandleLease.init)
    }

    func checkin(_ lease: CurlHandleLease) {
        if idle.count < maxIdle { idle.append(lease) }
    }
}
