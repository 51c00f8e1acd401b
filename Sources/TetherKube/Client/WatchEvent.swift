import Foundation
package import TetherModel

/// One change seen by `KubeClient.watch`.
package enum WatchEvent: Sendable, Equatable {
    case added(Resource)
    case modified(Resource)
    case deleted(Resource)
    /// The server's progress marker: no change, but the watch is current up to here.
    case bookmark(resourceVersion: String)
    /// The watch's resourceVersion expired (410 Gone), so the client listed again: these
    /// are all objects now. Treat anything not in `items` as deleted.
    case relisted(items: [Resource], resourceVersion: String)
}

/// Options for `watch`.
package struct WatchOptions: Sendable {
    package var labelSelector: String?
    package var fieldSelector: String?
    /// Start after this version; `nil` lists first and starts from the list's version.
    package var resourceVersion: String?
    package var allowBookmarks = true
    /// How long the server keeps one watch request open before the client resumes it.
    package var timeoutSeconds = 300
    /// Re-list (and emit `.relisted`) on 410 Gone instead of failing.
    package var relistOnGone = true
    /// Events held for a consumer that has not taken them yet. When that many wait, the
    /// watch stops reading from the server until the consumer catches up, so a slow
    /// consumer costs a bounded amount of memory.
    package var bufferedEvents = 100
    package init(labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
    }
}

/// Splits a watch body into newline-delimited JSON events as the bytes arrive, on the
/// transfer thread, and forwards decoded events at once.
final class WatchDecoder: @unchecked Sendable {
    // @unchecked: only the curl transfer thread calls `consume`; the watch loop reads
    // `lastResourceVersion`, `status` and `failure` after the transfer has returned, and
    // the continuation resume that ends the transfer orders those accesses.
    private var buffer: [UInt8] = []
    private let gvk: GroupVersionKind
    /// Hands an event on; `false` means the consumer has gone away.
    private let emit: @Sendable (WatchEvent) -> Bool
    var lastResourceVersion: String?
    /// A `Status` sent as an ERROR event (410 Gone, for example).
    var errorStatus: KubeError?
    var failure: KubeError?
    var eventCount = 0

    init(gvk: GroupVersionKind, emit: @escaping @Sendable (WatchEvent) -> Bool) {
        self.gvk = gvk
        self.emit = emit
    }

    /// Returns `false` to stop the transfer (after an ERROR event or undecodable data, or
    /// when the consumer has gone away).
    func consume(_ bytes: UnsafeRawBufferPointer) -> Bool {
        buffer.append(contentsOf: bytes)
        var start = 0
        defer { buffer.removeFirst(start) }
        while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = Array(buffer[start..<newline])
            start = newline + 1
            if line.allSatisfy({ $0 == 32 || $0 == 13 }) { continue }
            if !handle(line) { return false }
        }
        return true
    }

    private func handle(_ line: [UInt8]) -> Bool {
        guard let event = try? JSONParsing().value(from: line), let type = event["type"]?.stringValue,
              let object = event["object"] else {
            failure = KubeError(.decoding, "the watch stream sent a line that is not a watch event")
            return false
        }
        if type == "ERROR" {
            let body = (try? JSONEncoding().bytes(object)) ?? []
            errorStatus = KubeError.fromResponse(status: object["code"]?.intValue ?? 500, body: body, retryAfter: nil)
            return false
        }
        let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue
        if let rv, !rv.isEmpty { lastResourceVersion = rv }
        let resource = Resource(unchecked: KubeClient.withTypeMeta(object, gvk: gvk))
        eventCount += 1
        switch type {
        case "ADDED": return emit(.added(resource))
        case "MODIFIED": return emit(.modified(resource))
        case "DELETED": return emit(.deleted(resource))
        case "BOOKMARK": return emit(.bookmark(resourceVersion: rv ?? ""))
        default: return true  // unknown event types are skipped, as client-go does
        }
    }
}
