import Foundation
import Synchronization

/// Sends requests through libcurl. Buffered HTTPS requests go through one multi handle
/// on one thread (`CurlMultiLoop`), which multiplexes them as HTTP/2 streams over one
/// connection. Plain-HTTP requests (HTTP/1.1 only, so nothing to multiplex) and streams
/// go through pooled easy handles that each run on their own thread: measured against
/// the emulator on a busy 2-core machine, one loop thread for 32 concurrent HTTP/1.1
/// connections halved throughput, since it gets one thread's share of the CPU. Either
/// path aborts through curl's progress callback when the calling task is cancelled.
///
/// This is one attempt per call: retries, rate limiting and authentication live in
/// `KubeClient`, which sees Swift types only.
final class CurlTransport: Sendable {
    private let pool: CurlHandlePool
    private let multi: CurlMultiLoop?
    private let counters = TransportCounters()

    init(maxIdleHandles: Int) {
        CurlLibrary.initialize()
        pool = CurlHandlePool(maxIdle: maxIdleHandles)
        multi = CurlMultiLoop(maxIdle: maxIdleHandles)
    }

    deinit { multi?.stop() }

    /// What the transport has done so far.
    var statistics: TransportStatistics { counters.snapshot }

    /// Handles waiting in the pool, i.e. not inside a transfer.
    var idleHandles: Int { get async { pool.idleCount } }

    /// Sends `request` and buffers the whole response.
    /// - Throws: `KubeError` with code `transport`, `tls`, `timeout` or `cancelled`. An HTTP
    ///   error status is a normal response, not a thrown error.
    func send(_ request: HTTPRequest) async throws(KubeError) -> HTTPResponse {
        guard let multi, request.url.hasPrefix("https:") else { return try await run(request, onData: nil) }
        if Task.isCancelled { throw KubeError(.cancelled, "request cancelled before it was sent") }
        let flag = CancellationFlag()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPResponse, KubeError>, Never>) in
                multi.submit(CurlMultiLoop.Job(request: request, cancellation: flag) { continuation.resume(returning: $0) })
            }
        } onCancel: {
            flag.cancel()
            multi.checkCancellation()
        }
        if case .success(let response) = result { counters.record(response) }
        return try result.get()
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
        guard let lease = pool.checkout() else {
            throw KubeError(.transport, "libcurl could not create an easy handle (out of memory?)")
        }
        let flag = CancellationFlag()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPResponse, KubeError>, Never>) in
                lease.thread.submit {
                    continuation.resume(returning: lease.handle.perform(request, cancellation: flag, onData: onData))
                }
            }
        } onCancel: {
            flag.cancel()
        }
        pool.checkin(lease)
        if case .success(let response) = result { counters.record(response) }
        return try result.get()
    }
}

/// Counts of what a client's transport did: how many responses arrived over which
/// protocol, and how many connections had to be opened for them.
package struct TransportStatistics: Sendable, Equatable {
    /// Responses received (any status), including each attempt of a retried request.
    package var responses = 0
    /// Responses that came over HTTP/2.
    package var http2Responses = 0
    /// TCP (and TLS) connections opened; the rest of the responses reused a live one.
    package var connectionsOpened = 0
}

/// Lock-protected `TransportStatistics`, updated after every transfer.
private final class TransportCounters: Sendable {
    private let value = Mutex(TransportStatistics())

    func record(_ response: HTTPResponse) {
        value.withLock { value in
            value.responses += 1
            if response.httpVersion == 2 { value.http2Responses += 1 }
            value.connectionsOpened += response.newConnections
        }
    }

    var snapshot: TransportStatistics { value.withLock { $0 } }
}

/// An easy handle with the thread that runs its transfers, handed to exactly one transfer
/// at a time. When the pool drops it, the handle is freed and its thread ends.
final class CurlHandleLease: @unchecked Sendable {
    // @unchecked: the pool removes a lease from its idle list before handing it out and
    // adds it back only after `perform` has returned, and `handle` is only touched on
    // `thread`, so no two threads ever use the handle at once.
    let handle: CurlEasy
    let thread = TransferThread()

    init(handle: CurlEasy) { self.handle = handle }
    deinit { thread.stop() }
}

/// A long-lived thread that runs blocking transfers one after another, so a request does
/// not pay for starting a thread and never blocks the cooperative pool.
final class TransferThread: @unchecked Sendable {
    // @unchecked: `jobs` and `stopping` are only accessed under `condition`.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var stopping = false

    init() {
        let thread = Thread { [self] in self.loop() }
        thread.name = "tether-curl"
        thread.stackSize = 1 << 20
        thread.start()
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    func stop() {
        condition.withLock {
            stopping = true
            condition.signal()
        }
    }

    private func loop() {
        while true {
            let job: (@Sendable () -> Void)? = condition.withLock {
                while jobs.isEmpty && !stopping { condition.wait() }
                return jobs.isEmpty ? nil : jobs.removeFirst()
            }
            guard let job else { return }
            job()
        }
    }
}

/// Idle easy handles, kept so their live connections (keep-alive, HTTP/2) are reused.
/// A lock, not an actor: checkout and checkin happen on every request and are a few
/// instructions each, not worth two executor hops.
final class CurlHandlePool: Sendable {
    private let idle = Mutex<[CurlHandleLease]>([])
    private let maxIdle: Int

    init(maxIdle: Int) { self.maxIdle = max(1, maxIdle) }

    func checkout() -> CurlHandleLease? {
        if let lease = idle.withLock({ $0.popLast() }) { return lease }
        return CurlEasy().map(CurlHandleLease.init)
    }

    var idleCount: Int { idle.withLock { $0.count } }

    func checkin(_ lease: CurlHandleLease) {
        idle.withLock { idle in
            if idle.count < maxIdle { idle.append(lease) }
        }
    }
}
