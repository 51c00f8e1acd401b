package import TetherModel

extension KubeClient {
    /// Watches a kind, resuming transparently: when a watch request ends (server timeout,
    /// dropped connection) it is sent again from the last seen `resourceVersion`; on 410
    /// Gone it lists again and emits `.relisted`, then continues from the list's version.
    ///
    /// Events are decoded as the bytes arrive. The stream ends when the consumer stops
    /// iterating or the task is cancelled, which aborts the curl transfer.
    /// - Parameters:
    ///   - namespace: `nil` uses the configured namespace; `""` watches all namespaces.
    /// - Returns: the events. The stream throws `KubeError` for errors that retrying cannot
    ///   cure (401, 403, 404, repeated connection failures, or 410 with `relistOnGone` off).
    package func watch(_ gvk: GroupVersionKind, namespace: String? = nil,
                       options: WatchOptions = WatchOptions()) -> AsyncThrowingStream<WatchEvent, any Error> {
        watch(gvk, namespace: namespace, options: options, buffer: WatchBuffer(capacity: options.bufferedEvents))
    }

    /// `watch`, with the buffer given so tests can look at how full it got.
    func watch(_ gvk: GroupVersionKind, namespace: String?, options: WatchOptions,
               buffer: WatchBuffer) -> AsyncThrowingStream<WatchEvent, any Error> {
        // A Task is needed here: the watch loop runs while the consumer pulls events
        // through `buffer`; the consumer's end (cancellation, or dropping the stream)
        // cancels it.
        let task = Task {
            do throws(KubeError) {
                try await self.runWatch(gvk, namespace: namespace, options: options, buffer: buffer)
                buffer.finish()
            } catch where error.code == .cancelled {
                buffer.finish()
            } catch {
                buffer.finish(throwing: error)
            }
        }
        let consumer = WatchConsumer(buffer: buffer, task: task)
        return AsyncThrowingStream(unfolding: { try await consumer.next() })
    }

    private func runWatch(_ gvk: GroupVersionKind, namespace: String?, options: WatchOptions,
                          buffer: WatchBuffer) async throws(KubeError) {
        let mapping = try await mapping(for: gvk)
        let ns = mapping.namespaced ? (namespace ?? config.namespace) : ""
        let listOptions = ListOptions(labelSelector: options.labelSelector, fieldSelector: options.fieldSelector)
        var resourceVersion = options.resourceVersion
        if resourceVersion == nil {
            let list = try await listAll(gvk, namespace: ns, options: listOptions)
            for item in list.items {
                guard await buffer.push(.added(item)) else { return }
            }
            resourceVersion = list.resourceVersion
        }
        var failures = 0
        while !Task.isCancelled && !buffer.isCancelled {
            var query: [(String, String)] = [("watch", "true")]
            if let value = options.labelSelector { query.append(("labelSelector", value)) }
            if let value = options.fieldSelector { query.append(("fieldSelector", value)) }
            if let resourceVersion, !resourceVersion.isEmpty { query.append(("resourceVersion", resourceVersion)) }
            if options.allowBookmarks { query.append(("allowWatchBookmarks", "true")) }
            query.append(("timeoutSeconds", String(options.timeoutSeconds)))
            let call = Call(method: "GET", path: mapping.path(namespace: ns), query: query,
                            operation: "watch \(gvk.kind)" + (ns.isEmpty ? "" : " in namespace \(ns)"))
            let decoder = WatchDecoder(gvk: mapping.gvk) { buffer.pushBlocking($0) }
            let sent = ContinuousClock.now
            let outcome = await attemptWatch(call, decoder: decoder, timeout: .seconds(options.timeoutSeconds + 30))
            if let rv = decoder.lastResourceVersion { resourceVersion = rv }
            if decoder.eventCount > 0 { failures = 0 }
            var failure: KubeError?
            switch outcome {
            case .failure(let error): failure = error
            case .success: failure = decoder.errorStatus ?? decoder.failure
            }
            guard let error = failure else {  // the server closed the watch: resume
                if ContinuousClock.now - sent < .seconds(options.timeoutSeconds) - .seconds(1), !Task.isCancelled {
                    self.options.observer?(.watchRestarted(.closedEarly))
                }
                continue
            }
            if error.code == .cancelled { return }
            if error.code == .gone && options.relistOnGone {
                self.options.observer?(.watchRestarted(.expired))
                let list = try await listAll(gvk, namespace: ns, options: listOptions)
                resourceVersion = list.resourceVersion
                guard await buffer.push(.relisted(items: list.items, resourceVersion: list.resourceVersion)) else { return }
                continue
            }
            let retryable = [.transport, .timeout, .serverError, .tooManyRequests].contains(error.code)
            failures += 1
            guard retryable, failures < max(self.options.retry.maxAttempts, 1) else {
                throw error.adding(operation: call.operation, resource: nil)
            }
            self.options.observer?(.watchRestarted(.failed))
            let delay = error.retryAfterSeconds.map { Duration.seconds($0) }
                ?? self.options.retry.backoff(attempt: failures, random: Double.random(in: 0..<1))
            do { try await Task.sleep(for: delay) } catch { return }
        }
    }

    /// One watch request: rate-limited and authenticated, not counted against the
    /// concurrency bound (it is long-lived), with one credential refresh on 401.
    private func attemptWatch(_ call: Call, decoder: WatchDecoder, timeout: Duration) async -> Result<Void, KubeError> {
        var refreshed = false
        while true {
            do throws(KubeError) {
                try await throttle.acquireRate()
                let credential = try await credentials.current()
                let request = httpRequest(for: call, credential: credential, timeout: timeout)
                let response = try await transport.stream(request) { decoder.consume($0) }
                options.observer?(.response(method: call.method, status: response.status))
                if (200...299).contains(response.status) { return .success(()) }
                if response.status == 401, !refreshed, await credentials.isRefreshable {
                    refreshed = true
                    await credentials.invalidate()
                    continue
                }
                return .failure(KubeError.fromResponse(status: response.status, body: response.body,
                                                       retryAfter: response.retryAfterSeconds))
            } catch {
                if error.code == .transport || error.code == .timeout { options.observer?(.response(method: call.method, status: 0)) }
                return .failure(error)
            }
        }
    }
}

/// The consumer's side of one watch: pulls from the buffer, and stops the watch when the
/// stream goes away (its unfolding closure, which holds this, is released).
private final class WatchConsumer: Sendable {
    let buffer: WatchBuffer
    let task: Task<Void, Never>

    init(buffer: WatchBuffer, task: Task<Void, Never>) {
        self.buffer = buffer
        self.task = task
    }

    func next() async throws -> WatchEvent? {
        let event = try await buffer.next()
        if event == nil { task.cancel() }
        return event
    }

    deinit {
        task.cancel()
        buffer.cancel()
    }
}
