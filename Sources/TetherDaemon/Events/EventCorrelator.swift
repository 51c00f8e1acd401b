package import Foundation

/// client-go's event correlation (`tools/record/events_cache.go`), so repeated events
/// stay one object whose `count` grows, as `kubectl get events` expects:
///
/// - **aggregation**: more than `maxSimilar` events within `aggregationWindow` that differ
///   only in their message (same object, type and reason) become one event whose message
///   starts with "(combined from similar events): ";
/// - **deduplication**: an event equal to an earlier one (object, type, reason, message)
///   patches that event's `count` and `lastTimestamp` instead of creating another;
/// - **spam filter**: a token bucket per object (`burst`, one token back every
///   `refillInterval`) drops events beyond it.
///
/// Pure: it decides, `ClusterEventRecorder` sends. Both caches are bounded (`cacheSize`),
/// dropping the oldest keys first.
package struct EventCorrelator: Sendable {
    package struct Options: Sendable {
        package var maxSimilar = 10
        package var aggregationWindow: TimeInterval = 600
        package var burst = 25
        package var refillInterval: TimeInterval = 300
        package var cacheSize = 4096
        package init() {}
    }

    /// The object an event is about (`involvedObject`).
    package struct Reference: Sendable, Hashable {
        package var apiVersion: String
        package var kind: String
        package var namespace: String
        package var name: String
        package var uid: String?
        package init(apiVersion: String, kind: String, namespace: String, name: String, uid: String? = nil) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.namespace = namespace
            self.name = name
            self.uid = uid
        }
    }

    /// One event to record.
    package struct Event: Sendable, Hashable {
        package enum Kind: String, Sendable { case normal = "Normal", warning = "Warning" }
        package var object: Reference
        package var type: Kind
        /// `Synced`, `SyncFailed`, `Pruned`, `DriftCorrected`, `PruneRefused`, …
        package var reason: String
        /// What the controller did (`Apply`, `Prune`, `CorrectDrift`).
        package var action: String
        package var message: String
        /// The Git revision, when known (also in the `tether.dev/revision` annotation).
        package var revision: String?
        package init(object: Reference, type: Kind, reason: String, action: String, message: String, revision: String? = nil) {
            self.object = object
            self.type = type
            self.reason = reason
            self.action = action
            self.message = message
            self.revision = revision
        }
    }

    /// What to send for an event.
    package enum Decision: Sendable, Equatable {
        /// A new Event object with this name, `count` 1 (or the aggregate's first).
        case create(name: String, event: Event, count: Int, first: Date, last: Date)
        /// The existing Event `name` seen again: set its `count`, `lastTimestamp` and message.
        case update(name: String, event: Event, count: Int, first: Date, last: Date)
        /// Over the object's rate limit: dropped, as client-go's spam filter drops it.
        case dropped
    }

    private struct Seen {
        var name: String
        var count: Int
        var first: Date
    }

    private struct Similar {
        var messages: Set<String>
        var last: Date
    }

    private struct Bucket {
        var tokens: Double
        var at: Date
    }

    package let options: Options
    private var seen = BoundedCache<String, Seen>()
    private var similar = BoundedCache<String, Similar>()
    private var buckets = BoundedCache<String, Bucket>()

    package init(options: Options = Options()) {
        self.options = options
    }

    /// Decides what to send for `event`, observed at `now`.
    package mutating func correlate(_ event: Event, now: Date) -> Decision {
        let objectKey = [event.object.apiVersion, event.object.kind, event.object.namespace, event.object.name,
                         event.object.uid ?? ""].joined(separator: "\u{1}")
        guard take(objectKey, now: now) else { return .dropped }
        var event = event
        let aggregateKey = [objectKey, event.type.rawValue, event.reason].joined(separator: "\u{1}")
        var key = aggregateKey + "\u{1}" + event.message
        var entry = similar[aggregateKey] ?? Similar(messages: [], last: now)
        if now.timeIntervalSince(entry.last) > options.aggregationWindow { entry.messages = [] }
        entry.messages.insert(event.message)
        entry.last = now
        similar[aggregateKey, limit: options.cacheSize] = entry
        if entry.messages.count > options.maxSimilar {
            key = aggregateKey
            event.message = "(combined from similar events): " + event.message
        }
        if var earlier = seen[key] {
            earlier.count += 1
            seen[key, limit: options.cacheSize] = earlier
            return .update(name: earlier.name, event: event, count: earlier.count, first: earlier.first, last: now)
        }
        let name = Self.name(for: event.object, at: now)
        seen[key, limit: options.cacheSize] = Seen(name: name, count: 1, first: now)
        return .create(name: name, event: event, count: 1, first: now, last: now)
    }

    /// The `Event`'s name as client-go makes it: the object's name, a dot, the time in
    /// nanoseconds as hex.
    static func name(for object: Reference, at date: Date) -> String {
        let nanos = UInt64(max(0, date.timeIntervalSince1970) * 1_000_000_000)
        return "\(object.name).\(String(nanos, radix: 16))"
    }

    private mutating func take(_ key: String, now: Date) -> Bool {
        var bucket = buckets[key] ?? Bucket(tokens: Double(options.burst), at: now)
        let refilled = now.timeIntervalSince(bucket.at) / options.refillInterval
        bucket.tokens = min(Double(options.burst), bucket.tokens + max(0, refilled))
        bucket.at = now
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        buckets[key, limit: options.cacheSize] = bucket
        return allowed
    }
}

/// A dictionary that forgets its oldest keys beyond a limit (client-go uses an LRU of
/// 4096 entries; first-in-first-out is close enough for keys that are rarely re-read
/// out of order).
struct BoundedCache<Key: Hashable & Sendable, Entry: Sendable>: Sendable {
    private var entries: [Key: Entry] = [:]
    private var order: [Key] = []
    private var start = 0

    subscript(key: Key) -> Entry? { entries[key] }

    subscript(key: Key, limit limit: Int) -> Entry? {
        get { entries[key] }
        set {
            guard let newValue else {
                entries[key] = nil
                return
            }
            if entries.updateValue(newValue, forKey: key) == nil { order.append(key) }
            while entries.count > limit, start < order.count {
                entries[order[start]] = nil
                start += 1
            }
            if start > 1024, start * 2 > order.count {
                order.removeFirst(start)
                start = 0
            }
        }
    }
}
