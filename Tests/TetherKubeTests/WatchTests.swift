import Foundation
import Testing
@testable import TetherKube
import TetherModel

extension KubeSuites {
    @Suite("watch", .timeLimit(.minutes(1)))
    struct WatchTests {
        @Test("events arrive as they happen, with bookmarks, and the watch resumes after the server closes it")
        func streamAndResume() async throws {
            let server = try TestServer()
            let client = server.client()
            _ = try await client.create(makeConfigMap("before"))
            var options = WatchOptions()
            options.timeoutSeconds = 1
            var iterator = client.watch(configMap, options: options).makeAsyncIterator()
            guard case .added(let initial)? = try await iterator.next() else { throw TestFailure("expected the listed object") }
            #expect(initial.name == "before")
            var names: [String] = []
            var bookmarks = 0
            // Create objects while the watch runs, across at least one server-side close (1 s).
            let writer = Task {
                for index in 0..<3 {
                    _ = try await client.create(makeConfigMap("w\(index)"))
                    try await Task.sleep(for: .milliseconds(700))
                }
            }
            while names.count < 3, let event = try await iterator.next() {
                switch event {
                case .added(let object): names.append(object.name)
                case .bookmark: bookmarks += 1
                default: break
                }
            }
            try await writer.value
            #expect(names == ["w0", "w1", "w2"], "no duplicates and no gaps across resumes")
            #expect(bookmarks >= 1)
            let watches = try server.requests().filter { $0["query"]?["watch"] == "true" }
            #expect(watches.count >= 2, "the watch was resumed")
            #expect(watches.dropFirst().allSatisfy { $0["query"]?["resourceVersion"]?.stringValue?.isEmpty == false })
        }

        @Test("chunked events split across chunks are decoded; 410 Gone re-lists")
        func goneRelists() async throws {
            let server = try TestServer()
            let client = server.client()
            _ = try await client.create(makeConfigMap("a"))
            let path = "/api/v1/namespaces/default/configmaps"
            let event = #"{"type":"MODIFIED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"default","resourceVersion":"150"}}}"#
            let half = event.index(event.startIndex, offsetBy: 40)
            let gone = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version","reason":"Expired","code":410}}"#
            let chunks = [String(event[..<half]), String(event[half...]) + "\n", gone + "\n"]
            let script: Value = [["method": "GET", "path": .string(path), "chunks": .list(chunks.map { .string($0) }),
                                  "chunkDelay": 0.1]]
            try server.script(try JSONEncoding().string(script))
            var options = WatchOptions(resourceVersion: "101")
            options.timeoutSeconds = 1
            var iterator = client.watch(configMap, options: options).makeAsyncIterator()
            guard case .modified(let modified)? = try await iterator.next() else { throw TestFailure("expected MODIFIED") }
            #expect(modified.value[path: ["metadata", "resourceVersion"]] == "150")
            guard case .relisted(let items, let rv)? = try await iterator.next() else { throw TestFailure("expected a re-list") }
            #expect(items.map(\.name) == ["a"])
            #expect(!rv.isEmpty)
        }

        @Test("a compacted resourceVersion gives 410; without relistOnGone the stream throws gone")
        func goneThrows() async throws {
            let server = try TestServer()
            let client = server.client()
            _ = try await client.create(makeConfigMap("a"))
            _ = try await client.create(makeConfigMap("b"))
            try server.control("compact")
            var options = WatchOptions(resourceVersion: "101")
            options.relistOnGone = false
            let stream = client.watch(configMap, options: options)
            let error = await #expect(throws: KubeError.self) { for try await _ in stream {} }
            #expect(error?.code == .gone)
        }

        @Test("cancelling the consumer ends the watch promptly")
        func cancel() async throws {
            let server = try TestServer()
            let client = server.client()
            var options = WatchOptions(resourceVersion: "100")
            options.timeoutSeconds = 30
            let started = ContinuousClock.now
            let task = Task {
                var count = 0
                for try await _ in client.watch(configMap, options: options) { count += 1 }
                return count
            }
            try await Task.sleep(for: .milliseconds(500))
            task.cancel()
            _ = try await task.value
            // Without cancellation the watch resumes forever; the bound is generous because
            // other targets' tests share the 2 cores.
            #expect(ContinuousClock.now - started < .seconds(20))
        }

        @Test("a slow consumer holds the watch back instead of making the client buffer everything")
        func backpressure() async throws {
            let server = try TestServer()
            let client = server.client()
            _ = try await client.mapping(for: configMap)
            let count = 3000
            // ~12 MB of events, far more than the socket buffers between server and client hold.
            try server.script(#"[{"method":"GET","path":"/api/v1/namespaces/default/configmaps","generate":{"count":\#(count),"size":4000,"sndbuf":65536}}]"#)
            var options = WatchOptions(resourceVersion: "999")
            options.bufferedEvents = 8
            let buffer = WatchBuffer(capacity: options.bufferedEvents)
            var iterator = client.watch(configMap, namespace: nil, options: options, buffer: buffer).makeAsyncIterator()
            guard case .added(let first)? = try await iterator.next() else { throw TestFailure("expected the first event") }
            #expect(first.name == "g0")
            // The consumer now stalls. Wait until the server's writes stop advancing: with
            // the client buffering everything it would have written all of them.
            var streamed = -1
            while true {
                try await Task.sleep(for: .milliseconds(300))
                let now = try Self.streamed(server)
                if now == streamed { break }
                streamed = now
            }
            #expect(streamed < count / 2, "the server was held back after \(streamed) of \(count) events")
            #expect(buffer.maximumBuffered <= options.bufferedEvents)
            var names = [first.name]
            while names.count < count, let event = try await iterator.next() {
                if case .added(let object) = event { names.append(object.name) }
            }
            #expect(names == (0..<count).map { "g\($0)" }, "every event arrived once, in order")
            #expect(try Self.streamed(server) == count)
            #expect(buffer.maximumBuffered <= options.bufferedEvents)
        }

        static func streamed(_ server: TestServer) throws -> Int {
            try JSONParsing().value(from: try server.control("streamed"))["streamed"]?.intValue ?? -1
        }

        @Test("dropping the stream stops the watch and releases a producer blocked on a full buffer")
        func dropStream() async throws {
            let server = try TestServer()
            let client = server.client()
            _ = try await client.mapping(for: configMap)
            try server.script(#"[{"method":"GET","path":"/api/v1/namespaces/default/configmaps","generate":{"count":3000,"size":4000,"sndbuf":65536}}]"#)
            var options = WatchOptions(resourceVersion: "999")
            options.bufferedEvents = 4
            let buffer = WatchBuffer(capacity: options.bufferedEvents)
            do {
                var iterator = client.watch(configMap, namespace: nil, options: options, buffer: buffer).makeAsyncIterator()
                _ = try await iterator.next()
            }
            #expect(buffer.isCancelled, "dropping the stream cancels the watch")
            // The transfer thread was blocked on the full buffer; it must wake, end the
            // transfer and give its handle back to the pool (where the discovery request's
            // handle came from, so the pool holds one idle handle again).
            let started = ContinuousClock.now
            while await client.transport.idleHandles < 1 && ContinuousClock.now - started < .seconds(10) {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(await client.transport.idleHandles == 1)
            #expect(!(try await buffer.push(.bookmark(resourceVersion: "1"))), "a producer learns the consumer is gone")
            #expect(!buffer.pushBlocking(.bookmark(resourceVersion: "1")))
        }

        @Test("watch decoder splits lines across chunks")
        func decoder() {
            let collected = Collected()
            let decoder = WatchDecoder(gvk: configMap) { collected.append($0); return true }
            let text = #"{"type":"ADDED","object":{"metadata":{"name":"x","resourceVersion":"5"}}}"# + "\n\n"
                + #"{"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"9"}}}"# + "\n"
            let bytes = Array(text.utf8)
            for start in stride(from: 0, to: bytes.count, by: 7) {
                let chunk = Array(bytes[start..<min(start + 7, bytes.count)])
                #expect(chunk.withUnsafeBytes { decoder.consume($0) })
            }
            #expect(collected.events.count == 2)
            if case .added(let object) = collected.events.first { #expect(object.kind == "ConfigMap" && object.name == "x") }
            #expect(collected.events.last == .bookmark(resourceVersion: "9"))
            #expect(decoder.lastResourceVersion == "9")
            #expect(!Array("not json\n".utf8).withUnsafeBytes { decoder.consume($0) })
            #expect(decoder.failure?.code == .decoding)
        }
    }
}

final class Collected: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var storage: [WatchEvent] = []
    func append(_ event: WatchEvent) { lock.withLock { storage.append(event) } }
    var events: [WatchEvent] { lock.withLock { storage } }
}
