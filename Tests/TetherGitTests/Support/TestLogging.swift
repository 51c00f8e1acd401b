import Foundation
import Logging
@testable import TetherGit

/// Collects log records in memory so tests can check that no secret is ever logged.
///
/// A value type, as swift-log expects: each `Logger` copy has its own metadata, so tasks
/// setting metadata on their copies concurrently never share a dictionary. The records
/// themselves go to one locked store that every copy shares.
struct RecordingLogHandler: LogHandler {
    struct Record: Sendable { var level: Logger.Level; var message: String; var metadata: String }

    final class Store: @unchecked Sendable {  // `storage` is guarded by `lock`
        private let lock = NSLock()
        private var storage: [Record] = []
        func append(_ record: Record) { lock.withLock { storage.append(record) } }
        var records: [Record] { lock.withLock { storage } }
    }

    let store = Store()
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let text = merged.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        store.append(Record(level: event.level, message: event.message.description, metadata: text))
    }

    var records: [Record] { store.records }
    var allText: String { records.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n") }
}

/// A cache front end whose logs are recorded.
func makeCache() -> (GitRepositoryCache, RecordingLogHandler) {
    let handler = RecordingLogHandler()
    let logger = Logger(label: "tether.git.test") { _ in handler }
    return (GitRepositoryCache(logger: logger), handler)
}

/// Reads a file of the checkout.
func read(_ checkout: GitCheckout, _ path: String) -> String? {
    try? String(contentsOfFile: checkout.directory + "/" + path, encoding: .utf8)
}

/// Whether the cache's `current` link still points at `checkout`'s directory.
func isCurrent(_ checkout: GitCheckout) -> Bool {
    guard let link = checkout.currentLink, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link) else { return false }
    return target.hasSuffix((checkout.directory as NSString).lastPathComponent)
}

/// Short timeouts for tests against loopback servers.
let testTimeouts = GitTimeouts(connect: .seconds(3), idle: .seconds(2), total: .seconds(20))
