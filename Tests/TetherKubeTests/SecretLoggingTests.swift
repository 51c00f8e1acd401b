import Foundation
import Logging
import Testing
@testable import TetherKube
import TetherModel

/// Collects every log entry, message and metadata rendered as text.
///
/// A value type, as swift-log expects, so each `Logger` copy keeps its own metadata; the
/// entries go to one locked store every copy shares.
struct CapturingLogHandler: LogHandler {
    final class Store: @unchecked Sendable {  // `storage` is guarded by `lock`
        private let lock = NSLock()
        private var storage: [String] = []
        func append(_ entry: String) { lock.withLock { storage.append(entry) } }
        var entries: [String] { lock.withLock { storage } }
    }

    let store = Store()
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        store.append("\(event.message) \(all)")
    }

    var entries: [String] { store.entries }
}

extension KubeSuites {
    @Suite("secrets stay out of logs and errors", .timeLimit(.minutes(1)))
    struct SecretLoggingTests {
        @Test("a token, a password in the server URL and Secret data never reach a log entry or error")
        func noSecrets() async throws {
            let server = try TestServer()
            try server.control("auth", #"{"tokens":["tok-SENSITIVE-1"]}"#)
            let handler = CapturingLogHandler()
            let logger = Logger(label: "test") { _ in handler }
            let url = server.url.replacingOccurrences(of: "http://", with: "http://admin:pw-SENSITIVE-2@")
            let config = try KubeConfig.server(url: url)
            var withToken = config
            withToken.authentication = .token(Redacted("tok-SENSITIVE-1"))
            let client = KubeClient(config: withToken, options: TestServer.fastOptions(), logger: logger)
            let secret = GroupVersionKind(group: "", version: "v1", kind: "Secret")
            let object: Value = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"],
                                 "data": ["password": .string(Base64.encode(Array("data-SENSITIVE-3".utf8)))],
                                 "stringData": ["plain": "data-SENSITIVE-4"]]
            _ = try await client.create(Resource(object))
            _ = try await client.get(secret, name: "s")
            try server.script(#"[{"method":"GET","path":"*","status":500,"body":"echo tok-SENSITIVE-1 data-SENSITIVE-4"}]"#)
            _ = try await client.get(secret, name: "s")
            var errors: [String] = []
            let unauthorized = KubeClient(config: config, options: TestServer.fastOptions(), logger: logger)
            do { _ = try await unauthorized.get(secret, name: "s") } catch { errors.append("\(error)") }
            try server.script(#"[{"method":"POST","path":"*","status":422,"body":"tok-SENSITIVE-1"}]"#)
            do { _ = try await client.create(Resource(object)) } catch { errors.append("\(error)") }
            #expect(errors.count == 2)
            #expect(handler.entries.count > 4)
            for text in handler.entries + errors {
                #expect(!text.contains("SENSITIVE"), "\(text)")
            }
        }
    }
}
