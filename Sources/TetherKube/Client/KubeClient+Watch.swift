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
        AsyncThrowingStream { continuation in
            // A Task is needed here: the stream's builder is a synchronous callback that
            // must start the async watch loop; it is cancelled when the consumer goes away.
            let task = Task {
                do throws(KubeError) {
                    try await self.runWatch(gvk, namespace: namespace, options: options) { continuation.yield($0) }
                    continuation.finish()
                } catch where error.code == .cancelled {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func runWatch(_ gvk: GroupVersionKind, namespace: String?, options: WatchOptions,
                          emit: @escaping @Sendable (WatchEvent) -> Void) async throws(KubeError) {
        let mapping = try await mapping(for: gvk)
        let ns = mapping.namespaced ? (namespace ?? config.namespace) : ""
        let listOptions = ListOptions(labelSelector: options.labelSelector, fieldSelector: options.fieldSelector)
        var resourceVersion = options.resourceVersion
        if resourceVersion == nil {
            let list = try await listAll(gvk, namespace: ns, options: listOptions)
            for item in list.items { emit(.added(item)) }
            resourceVersion = list.resourceVersion
        }
        var failures = 0
        while !Task.isCancelled {
            var query: [(String, String)] = [("watch", "true")]
            if let value = options.labelSelector { query.append(("labelSelector", value)) }
            if let value = options.fieldSelector { query.append(("fieldSelector", value)) }
            if let resourceVersion, !resourceVersion.isEmpty { query.append(("resourceVersion", resourceVersion)) }
            if options.allowBookmarks { query.append(("allowWatchBookmarks", "true")) }
            query.append(("timeoutSeconds", String(options.timeoutSeconds)))
            let call = Call(method: "GET", path: mapping.path(namespace: ns), query: query,
                            operation: "watch \(gvk.kind)" + (ns.isEmpty ? "" : " in namespace \(ns)"))
            let decoder = WatchDecoder(gvk: mapping.gvk, emit: emit)
            let outcome = await attemptWatch(call, decoder: decoder, timeout: .seconds(options.timeoutSeconds + 30))
            if let rv = decoder.lastResourceVersion { resourceVersion = rv }
            if decoder.eventCount > 0 { failures = 0 }
            var failure: KubeError?
            switch outcome {
            case .failure(let error): failure = error
            case .success: failure = decoder.errorStatus ?? decoder.failure
            }
            guard let error = failure else { continue }  // the server closed the watch: resume
            if error.code == .cancelled { return }
            if error.code == .gone && options.relistOnGone {
                let list = try await listAll(gvk, namespace: ns, options: listOptions)
                resourceVersion = list.resourceVersion
                emit(.relisted(items: list.items, resourceVersion: list.resourceVersion))
                continue
            }
            let retryable = [.transport, .timeout, .serverError, .tooManyRequests].contains(error.code)
            failures += 1
            guard retryable, failures < max(self.options.retry.maxAttempts, 1) else {
                throw error.adding(operation: call.operation, resource: nil)
            }
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
                if (200...299).contains(response.status) { return .success(()) }
                if response.status == 401, !refreshed, await credentials.isRefreshable {
                    refreshed = true
                    await credentials.invalidate()
                    continue
                }
                return .failure(KubeError.fromResponse(status: response.status, body: response.body,
                                                       retryAfter: response.retryAfterSeconds))
            } catch {
                return .failure(error)
            }
        }
    }
}
