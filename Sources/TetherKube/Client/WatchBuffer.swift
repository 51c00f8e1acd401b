import Foundation

/// The bounded queue between a watch and its consumer, so that a slow consumer slows the
/// watch down instead of making the client buffer without limit.
///
/// Producers are the curl transfer thread (`pushBlocking`, which blocks that dedicated
/// thread, so curl stops reading the socket and TCP flow control reaches the API server)
/// and the watch loop (`push`, which suspends, for the objects of a list). The consumer
/// pulls with `next()`. `cancel()` — when the consumer goes away — wakes every producer,
/// and their pushes return `false`.
final class WatchBuffer: @unchecked Sendable {
    // @unchecked: every stored property except `capacity` is only accessed under
    // `condition`; continuations are resumed after the lock is released.
    private let condition = NSCondition()
    private var events: [WatchEvent] = []
    private var head = 0
    private var consumer: CheckedContinuation<WatchEvent?, any Error>?
    private var waitingProducers: [CheckedContinuation<Bool, Never>] = []
    private var ending: Ending?
    private var cancelled = false
    private var highWater = 0
    /// Events held at most; the producer waits beyond that.
    let capacity: Int

    private enum Ending {
        case finished
        case failed(any Error)
    }

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Whether the consumer has gone away.
    var isCancelled: Bool { condition.withLock { cancelled } }

    /// The most events that were ever waiting for the consumer.
    var maximumBuffered: Int { condition.withLock { highWater } }

    private var count: Int { events.count - head }

    /// Hands over an event, blocking the calling thread while the buffer is full. Only for
    /// dedicated threads (curl's transfer thread), never for the cooperative pool.
    /// - Returns: `false` when the consumer has gone away.
    func pushBlocking(_ event: WatchEvent) -> Bool {
        condition.lock()
        while count >= capacity && !cancelled && consumer == nil { condition.wait() }
        return deliverLocked(event)
    }

    /// Hands over an event, suspending while the buffer is full.
    /// - Returns: `false` when the consumer has gone away.
    func push(_ event: WatchEvent) async -> Bool {
        while true {
            if let delivered = deliverIfRoom(event) { return delivered }
            let admitted = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                condition.withLock {
                    // Space may have appeared (or the consumer left) since the check above.
                    if count < capacity || cancelled || consumer != nil {
                        continuation.resume(returning: !cancelled)
                    } else {
                        waitingProducers.append(continuation)
                    }
                }
            }
            guard admitted else { return false }
        }
    }

    /// Delivers `event` unless the buffer is full (`nil`).
    private func deliverIfRoom(_ event: WatchEvent) -> Bool? {
        condition.lock()
        if count >= capacity && !cancelled && consumer == nil {
            condition.unlock()
            return nil
        }
        return deliverLocked(event)
    }

    /// Called with the lock held; releases it.
    private func deliverLocked(_ event: WatchEvent) -> Bool {
        if cancelled {
            condition.unlock()
            return false
        }
        if let waiting = consumer {
            consumer = nil
            condition.unlock()
            waiting.resume(returning: event)
            return true
        }
        events.append(event)
        highWater = max(highWater, count)
        condition.unlock()
        return true
    }

    /// Ends the stream after the buffered events: `nil` finishes it, an error fails it.
    func finish(throwing error: (any Error)? = nil) {
        let waiting: CheckedContinuation<WatchEvent?, any Error>? = condition.withLock {
            guard ending == nil else { return nil }
            ending = error.map { .failed($0) } ?? .finished
            defer { consumer = nil }
            return count == 0 ? consumer : nil
        }
        if let error { waiting?.resume(throwing: error) } else { waiting?.resume(returning: nil) }
    }

    /// The consumer went away: drop what is buffered and release every waiting party.
    func cancel() {
        let (waiting, producers) = condition.withLock {
            cancelled = true
            events = []
            head = 0
            defer {
                consumer = nil
                waitingProducers = []
            }
            condition.broadcast()
            return (consumer, waitingProducers)
        }
        waiting?.resume(returning: nil)
        for producer in producers { producer.resume(returning: false) }
    }

    /// The next event, waiting for one; `nil` when the watch has ended or was cancelled.
    /// - Throws: the error the watch ended with.
    func next() async throws -> WatchEvent? {
        if Task.isCancelled {
            cancel()
            return nil
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WatchEvent?, any Error>) in
                condition.lock()
                if cancelled {
                    condition.unlock()
                    continuation.resume(returning: nil)
                } else if count > 0 {
                    let event = events[head]
                    head += 1
                    if head > 64 && head * 2 > events.count {
                        events.removeFirst(head)
                        head = 0
                    }
                    let producer = waitingProducers.isEmpty ? nil : waitingProducers.removeFirst()
                    condition.signal()
                    condition.unlock()
                    producer?.resume(returning: true)
                    continuation.resume(returning: event)
                } else if let ending {
                    self.ending = .finished  // an error is reported once, then the stream is over
                    condition.unlock()
                    if case .failed(let error) = ending { continuation.resume(throwing: error) } else { continuation.resume(returning: nil) }
                } else {
                    consumer = continuation
                    // A producer blocked on a full buffer can hand its event straight over.
                    let producer = waitingProducers.isEmpty ? nil : waitingProducers.removeFirst()
                    condition.signal()
                    condition.unlock()
                    producer?.resume(returning: true)
                }
            }
        } onCancel: {
            cancel()
        }
    }
}
