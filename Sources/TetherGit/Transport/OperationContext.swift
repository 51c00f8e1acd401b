import Foundation
import Synchronization

/// Deadlines and abort state for one blocking libgit2 operation (a fetch or an ls-remote).
///
/// libgit2 1.5 has no network timeouts of its own (`GIT_OPT_SET_SERVER_TIMEOUT` arrived in
/// 1.7), and its callbacks do not fire while it is blocked in `recv`. Tether therefore
/// enforces deadlines in three places, all driven by this object:
/// - `DeadlineStream`, the socket stream Tether registers with libgit2, connects with a
///   timeout and waits with `poll` before every read, so a silent server hits the idle or
///   total deadline;
/// - a watchdog thread checks the deadlines every 50 ms and, once one has passed, calls
///   `shutdown` on every socket this operation opened, which wakes even libssh2's own
///   blocking reads (it reads the socket directly, bypassing the stream);
/// - libgit2 callbacks (progress, sideband, credentials, certificate) return a negative
///   value once the operation is aborted.
///
/// The watchdog thread, the libgit2 thread and the cancellation handler share it; its
/// mutable state lives in one `Mutex`.
final class OperationContext: Sendable {
    /// Why an operation was stopped.
    enum AbortReason: Sendable, Equatable {
        case connectTimeout, idleTimeout, totalTimeout, cancelled
    }

    let timeouts: GitTimeouts
    private let clock = ContinuousClock()
    private let totalDeadline: ContinuousClock.Instant
    private struct State {
        var lastActivity: ContinuousClock.Instant
        var sockets: Set<Int32> = []
        var reason: AbortReason?
        var finished = false
    }
    private let state: Mutex<State>

    /// Creates a context whose total deadline starts now.
    init(timeouts: GitTimeouts) {
        self.timeouts = timeouts
        let now = clock.now
        self.totalDeadline = now.advanced(by: timeouts.total)
        state = Mutex(State(lastActivity: now))
    }

    /// The reason the operation was aborted, if it was.
    var abortReason: AbortReason? { state.withLock { $0.reason } }

    /// Records progress (bytes moved or a callback fired); resets the idle deadline.
    func touch() {
        state.withLock { [clock] in $0.lastActivity = clock.now }
    }

    /// Registers a socket so the watchdog can shut it down on abort.
    func register(socket: Int32) {
        let alreadyAborted = state.withLock { state -> Bool in
            state.sockets.insert(socket)
            return state.reason != nil
        }
        if alreadyAborted { _ = shutdown(socket, Int32(SHUT_RDWR)) }
    }

    /// Forgets a socket before it is closed, so a reused descriptor number is never touched.
    func unregister(socket: Int32) {
        _ = state.withLock { $0.sockets.remove(socket) }
    }

    /// Aborts the operation: records the first reason and shuts down its sockets.
    func abort(_ newReason: AbortReason) {
        let toShutDown = state.withLock { state -> Set<Int32> in
            if state.reason == nil { state.reason = newReason }
            return state.sockets
        }
        for socket in toShutDown { _ = shutdown(socket, Int32(SHUT_RDWR)) }
    }

    /// Checks both deadlines and aborts if one has passed. Returns whether the operation
    /// must stop (callbacks return a negative value when it does).
    @discardableResult
    func checkDeadlines() -> Bool {
        let now = clock.now
        let expired: AbortReason? = state.withLock { state in
            if state.reason != nil { return nil }
            if now >= totalDeadline { return .totalTimeout }
            if now - state.lastActivity >= timeouts.idle { return .idleTimeout }
            return nil
        }
        if let expired { abort(expired) }
        return abortReason != nil
    }

    /// Milliseconds a socket may wait for the next byte (the nearer of the idle and total
    /// deadlines), capped at 200 ms so an abort from another thread is noticed quickly.
    /// Zero means a deadline has passed.
    func pollSlice() -> Int32 {
        if checkDeadlines() { return 0 }
        return 200
    }

    /// The deadline for establishing one TCP connection.
    func connectDeadline() -> ContinuousClock.Instant {
        let now = clock.now
        return min(now.advanced(by: timeouts.connect), totalDeadline)
    }

    /// Whether `deadline` has passed.
    func hasPassed(_ deadline: ContinuousClock.Instant) -> Bool { clock.now >= deadline }

    /// Milliseconds until `deadline`, capped at 200.
    func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let remaining = deadline - clock.now
        let millis = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
        return Int32(max(0, min(200, millis)))
    }

    /// Runs `body` with this context installed for the current thread and a watchdog thread
    /// watching the deadlines; returns when `body` does.
    func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        OperationContext.current = self
        defer {
            OperationContext.current = nil
            state.withLock { $0.finished = true }
        }
        let watchdog = Thread { [self] in
            while !state.withLock({ $0.finished }) {
                checkDeadlines()
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        watchdog.name = "tether-git-watchdog"
        watchdog.start()
        return try body()
    }

    /// The context of the operation running on the current thread, if any.
    static var current: OperationContext? {
        get {
            guard let raw = pthread_getspecific(threadKey) else { return nil }
            return Unmanaged<OperationContext>.fromOpaque(raw).takeUnretainedValue()
        }
        set {
            if let old = pthread_getspecific(threadKey) {
                Unmanaged<OperationContext>.fromOpaque(old).release()
            }
            let raw = newValue.map { Unmanaged.passRetained($0).toOpaque() }
            pthread_setspecific(threadKey, raw)
        }
    }
}

/// One thread-specific slot holding the running operation's context.
private let threadKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()
