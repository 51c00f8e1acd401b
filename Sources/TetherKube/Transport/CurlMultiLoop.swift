internal import CCurl
import Foundation
import Synchronization

/// Runs buffered (non-streaming) transfers through one libcurl multi handle on one
/// dedicated thread.
///
/// All transfers share the multi handle's connection cache, so an HTTP/2 connection
/// carries every concurrent request as its own stream (client-go's behaviour), and
/// HTTP/1.1 keep-alive connections are reused by whichever request comes next. One
/// thread serves every request: under load it finds several sockets ready per poll
/// instead of waking one thread per request, which is most of what a request costs the
/// client.
///
/// Watches do not come here: their write callback blocks to push back on a slow
/// consumer, which would stall every other transfer on this thread.
final class CurlMultiLoop: @unchecked Sendable {
    // @unchecked: `multi` is only used on the loop thread, except `curl_multi_wakeup`,
    // which libcurl documents as callable from any thread; the loop-thread state (`idle`,
    // `active`) is only touched by `run()`. What other threads hand over is in `inbox`.
    private struct Inbox {
        var submitted: [Job] = []
        var cancelCheck = false
        var stopping = false
    }
    private let inbox = Mutex(Inbox())
    private let multi: UnsafeMutableRawPointer
    private var idle: [CurlEasy] = []
    private var active: [UnsafeMutableRawPointer: Active] = [:]
    private let maxIdle: Int

    struct Job {
        let request: HTTPRequest
        let cancellation: CancellationFlag
        let complete: @Sendable (Result<HTTPResponse, KubeError>) -> Void
    }

    private struct Active {
        let easy: CurlEasy
        let transfer: PreparedTransfer
        let job: Job
    }

    /// - Parameter maxIdle: easy handles kept for reuse (their options are reset; the
    ///   connections live in the multi handle either way).
    init?(maxIdle: Int) {
        CurlLibrary.initialize()
        guard let multi = curl_multi_init() else { return nil }
        self.multi = multi
        self.maxIdle = max(1, maxIdle)
        // Keep a live connection for every request that may be in flight. By default the
        // cache holds four per easy handle currently added, so whenever fewer than a
        // quarter of the requests were in flight, curl closed idle HTTP/1.1 connections
        // that the next burst had to open again (with a TLS handshake each).
        _ = tether_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, self.maxIdle)
        let thread = Thread { [self] in self.run() }
        thread.name = "tether-curl-multi"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Queues a transfer; `job.complete` is called on the loop thread when it ends.
    func submit(_ job: Job) {
        inbox.withLock { $0.submitted.append(job) }
        curl_multi_wakeup(multi)
    }

    /// Makes the loop look at cancellation flags now rather than at curl's next progress
    /// callback (up to a second away).
    func checkCancellation() {
        inbox.withLock { $0.cancelCheck = true }
        curl_multi_wakeup(multi)
    }

    /// Ends the loop: running transfers fail as cancelled, the thread exits and frees the
    /// handles. Called when the owning transport goes away.
    func stop() {
        inbox.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        while true {
            let (jobs, checkFlags, stop) = inbox.withLock { inbox in
                defer {
                    inbox.submitted = []
                    inbox.cancelCheck = false
                }
                return (inbox.submitted, inbox.cancelCheck, inbox.stopping)
            }
            if stop {
                shutDown(pending: jobs)
                return
            }
            for job in jobs { start(job) }
            if checkFlags { removeCancelled() }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            collectFinished()
            // Sleeps until a socket is ready, a timeout of curl's is due, or `wakeup`.
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func start(_ job: Job) {
        if job.cancellation.isCancelled {
            job.complete(.failure(KubeError(.cancelled, "request cancelled before it was sent")))
            return
        }
        guard let easy = idle.popLast() ?? CurlEasy() else {
            job.complete(.failure(KubeError(.transport, "libcurl could not create an easy handle (out of memory?)")))
            return
        }
        switch easy.prepare(job.request, cancellation: job.cancellation, onData: nil) {
        case .failure(let error):
            recycle(easy)
            job.complete(.failure(error))
        case .success(let transfer):
            let code = curl_multi_add_handle(multi, easy.raw)
            guard code == CURLM_OK else {
                recycle(easy)
                job.complete(.failure(KubeError(.transport, "libcurl could not start the transfer: " + String(cString: curl_multi_strerror(code)))))
                return
            }
            active[easy.raw] = Active(easy: easy, transfer: transfer, job: job)
        }
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard tether_curl_msg_is_done(message) != 0, let handle = message.pointee.easy_handle,
                  let entry = active.removeValue(forKey: handle) else { continue }
            let code = tether_curl_msg_result(message)
            curl_multi_remove_handle(multi, handle)
            let result = entry.easy.finish(entry.transfer, code: code)
            recycle(entry.easy)
            entry.job.complete(result)
        }
    }

    private func removeCancelled() {
        for (handle, entry) in active where entry.job.cancellation.isCancelled {
            active.removeValue(forKey: handle)
            curl_multi_remove_handle(multi, handle)
            // Removing a handle mid-transfer closes its connection; the handle is dropped
            // rather than reused.
            entry.job.complete(.failure(KubeError(.cancelled, "request cancelled",
                                                  operation: ConfigFiles.redactedURL(entry.transfer.request.url))))
        }
    }

    private func recycle(_ easy: CurlEasy) {
        if idle.count < maxIdle { idle.append(easy) }
    }

    private func shutDown(pending: [Job]) {
        for job in pending { job.complete(.failure(KubeError(.cancelled, "the client was shut down"))) }
        for (handle, entry) in active {
            curl_multi_remove_handle(multi, handle)
            entry.job.complete(.failure(KubeError(.cancelled, "the client was shut down")))
        }
        active = [:]
        idle = []
        curl_multi_cleanup(multi)
    }
}
