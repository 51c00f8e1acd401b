import HTTPTypes
import Hummingbird
import NIOCore
import TetherModel

extension EmulatorResponder {
    /// Streams watch events as newline-delimited JSON over a chunked response.
    ///
    /// A resourceVersion older than the retained history is not an HTTP
    /// error: like the API server, the stream starts with 200 and carries a
    /// single ERROR event whose Status has code 410, then ends.
    func watch(_ call: ResourceRequest, allNamespaces: Bool, http request: Request) async throws -> Response {
        let selection = try selection(call, allNamespaces: allNamespaces)
        let (stream, continuation) = AsyncStream.makeStream(of: WatchMessage.self)
        let watchID = try await store.startWatch(call.type, selection: selection,
                                                 resourceVersion: call.query["resourceVersion"],
                                                 continuation: continuation)
        let timeout = call.query["timeoutSeconds"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
        let bookmarks = call.query.flag("allowWatchBookmarks")
        let interval = options.bookmarkInterval
        let dropAfter = await faults.plan.watchDropAfter
        let store = self.store
        let type = call.type
        let body = ResponseBody { writer in
            do {
                try await request.body.consumeWithCancellationOnInboundClose { _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        if let timeout {
                            group.addTask {
                                try await Task.sleep(for: .seconds(timeout))
                                continuation.finish()
                            }
                        }
                        if let dropAfter {
                            group.addTask {
                                try await Task.sleep(for: dropAfter)
                                continuation.finish()
                            }
                        }
                        if bookmarks {
                            group.addTask {
                                while true {
                                    try await Task.sleep(for: interval)
                                    continuation.yield(.bookmark(resourceVersion: await store.currentResourceVersion))
                                }
                            }
                        }
                        for await message in stream {
                            var bytes = try JSONEncoding().bytes(Self.watchEvent(message, type: type))
                            bytes.append(UInt8(ascii: "\n"))
                            try await writer.write(ByteBuffer(bytes: bytes))
                        }
                        group.cancelAll()
                    }
                }
            } catch {
                // The client went away or the server is stopping: end quietly.
            }
            if let watchID { await store.endWatch(watchID) }
            try? await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: body)
    }

    static func watchEvent(_ message: WatchMessage, type: ResourceType) -> Value {
        switch message {
        case .event(let eventType, let object):
            return ["type": .string(eventType), "object": object]
        case .bookmark(let rv):
            return ["type": "BOOKMARK", "object": [
                "kind": .string(type.kind), "apiVersion": .string(type.apiVersion),
                "metadata": ["resourceVersion": .string(String(rv)), "creationTimestamp": nil],
            ]]
        case .error(let error):
            return ["type": "ERROR", "object": error.status]
        }
    }
}
