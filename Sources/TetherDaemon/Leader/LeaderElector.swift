import Foundation
package import Logging
package import TetherKube
package import TetherModel
import Synchronization

/// Makes sure that of several replicas exactly one does the work, with a
/// `coordination.k8s.io/v1` Lease as controller-runtime (client-go's `leaderelection`)
/// does:
///
/// - A candidate reads the Lease every `retryPeriod`. It takes it when nobody holds it, or
///   when the record has not changed for the holder's `leaseDurationSeconds` *as measured
///   on the candidate's own monotonic clock from when it last saw the record change*, so
///   clock skew between nodes does not matter. Every write carries the `resourceVersion`
///   it read, so two candidates cannot both win: the second gets 409 Conflict.
/// - The leader renews every `retryPeriod`. If it cannot renew within `renewDeadline`, or
///   it sees another holder, it stops leading at once: the work is cancelled before the
///   standby may take over (`renewDeadline` < `leaseDuration`).
/// - On stop it releases the Lease (empty holder, duration 1 s), so the standby takes over
///   within about a retry period.
///
/// ```swift
/// try await elector.run {              // returns when cancelled or when the work returns
///     try await scheduler.run()        // runs only while this replica leads
/// }
/// ```
package final class LeaderElector: Sendable {
    package static let leaseKind = GroupVersionKind(group: "coordination.k8s.io", version: "v1", kind: "Lease")

    package let configuration: LeaderElectionConfiguration
    private let client: KubeClient
    private let logger: Logger
    private let metrics: DaemonMetrics?
    private let status: DaemonStatus?
    private let events: AsyncStream<Bool>.Continuation
    /// `true` when this replica starts leading, `false` when it stops.
    package let leadership: AsyncStream<Bool>

    /// What this replica last saw of the Lease, and when (monotonic). Only `run`'s task
    /// touches it, but it lives in a Mutex so the class is Sendable without `@unchecked`.
    private let observed = Mutex<(record: LeaseRecord, at: ContinuousClock.Instant)?>(nil)
    /// Until when the current term may write: the start of the last successful acquire or
    /// renewal plus the renew deadline; nil outside a term.
    private let heldUntil = Mutex<ContinuousClock.Instant?>(nil)

    /// - Parameters:
    ///   - client: the API client (in-cluster config in a Pod).
    ///   - configuration: Lease name, identity and timings; validated here.
    ///   - metrics: `tether_leader` follows leadership.
    ///   - status: `/readyz` reports a standby as not ready.
    ///   - logger: `notice` on gaining and losing the Lease, `debug` per attempt.
    /// - Throws: `DaemonError` `.invalidConfiguration` from `configuration.validate()`.
    package init(client: KubeClient, configuration: LeaderElectionConfiguration, metrics: DaemonMetrics? = nil,
                 status: DaemonStatus? = nil, logger: Logger) throws(DaemonError) {
        try configuration.validate()
        self.client = client
        self.configuration = configuration
        self.metrics = metrics
        self.status = status
        var logger = logger
        logger[metadataKey: "lease"] = "\(configuration.namespace)/\(configuration.leaseName)"
        logger[metadataKey: "lease.identity"] = "\(configuration.identity)"
        self.logger = logger
        (leadership, events) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .bufferingNewest(16))
    }

    private enum Ending: Sendable {
        case lost
        case returned
        case threw(any Error)
    }

    /// Waits for the Lease, runs `work` while holding it, and cancels `work` at once when
    /// the Lease is lost; then waits for the Lease again.
    ///
    /// Cancellation is a normal way to stop: `run` releases the Lease (if
    /// `releaseOnStop`) and returns without throwing, so a `Service` that wraps it in
    /// `cancelWhenGracefulShutdown` ends cleanly on SIGTERM.
    /// - Parameter work: the leader's job. When it returns, the Lease is released and
    ///   `run` returns.
    /// - Throws: what `work` throws, after releasing the Lease.
    package func run(whileLeading work: @escaping @Sendable () async throws -> Void) async throws {
        await setLeading(false)
        while true {
            do {
                try await acquire()
            } catch {
                return  // cancelled while waiting: nothing held, nothing to release
            }
            await setLeading(true)
            logger.notice("leader lease acquired")
            let ending = await withTaskGroup(of: Ending.self) { group in
                group.addTask {
                    do {
                        try await work()
                        return .returned
                    } catch {
                        return .threw(error)
                    }
                }
                group.addTask {
                    await self.renewUntilLost()
                    return .lost
                }
                let first = await group.next()!
                group.cancelAll()
                while await group.next() != nil {}
                return first
            }
            await setLeading(false)
            if Task.isCancelled {
                await releaseDetached()
                return
            }
            switch ending {
            case .lost:
                logger.notice("leader lease lost; stopped leading and waiting to acquire it again")
                continue
            case .returned:
                await releaseDetached()
                return
            case .threw(let error):
                await releaseDetached()
                throw error
            }
        }
    }

    /// Whether this replica may write as the leader at this moment: it is in a term, and
    /// its last successful acquire or renewal started less than the renew deadline ago.
    ///
    /// The term itself ends at that instant (`renewUntilLost`), but cancelling the work
    /// takes a moment and a write may already be queued; `memberClient(_:)` checks this
    /// just before each write is sent, so none leaves after the deadline.
    package var holdsLease: Bool {
        heldUntil.withLock { until in until.map { ContinuousClock.now < $0 } ?? false }
    }

    /// `client` with its writes gated on `holdsLease`: what the reconciler writes members,
    /// the ApplySet parent and Events with. The elector itself writes the Lease through
    /// the ungated client it was made with.
    package func memberClient(_ client: KubeClient) -> KubeClient {
        let lease = "\(configuration.namespace)/\(configuration.leaseName)"
        return client.gatingWrites(KubeClient.WriteGate(
            reason: "this replica no longer holds the leader Lease \(lease) (not renewed within the renew deadline)") { [self] in
            holdsLease
        })
    }

    /// Whether the last observed record says this replica holds the Lease.
    package var isLeaderByLastObservation: Bool {
        observed.withLock { $0?.record.holderIdentity == configuration.identity }
    }

    private func setLeading(_ leading: Bool) async {
        events.yield(leading)
        metrics?.recordLeader(leading)
        await status?.setLeading(leading)
    }

    /// Tries every retry period (with jitter) until this replica holds the Lease.
    /// - Throws: `CancellationError` only.
    private func acquire() async throws {
        // A failure that persists (namespace missing, RBAC) must be visible at the default
        // log level, but once per distinct error, not every retry period.
        var lastFailure: String?
        while true {
            try Task.checkCancellation()
            let started = ContinuousClock.now
            switch await attempt(timeout: configuration.renewDeadline) {
            case .held:
                heldUntil.withLock { $0 = started.advanced(by: configuration.renewDeadline) }
                return
            case .heldByOther(let holder):
                lastFailure = nil
                logger.debug("leader lease held by another replica", metadata: ["lease.holder": "\(holder)"])
            case .raced:
                logger.debug("leader lease written by another candidate first")
            case .failed(let reason):
                if Task.isCancelled { throw CancellationError() }
                if reason != lastFailure {
                    logger.warning("leader lease cannot be read or written; retrying", metadata: ["error": "\(reason)"])
                } else {
                    logger.debug("leader lease not acquired", metadata: ["error": "\(reason)"])
                }
                lastFailure = reason
            }
            try await Task.sleep(for: jittered(configuration.retryPeriod))
        }
    }

    /// Renews every retry period; returns when the Lease is lost or the task is cancelled,
    /// and at the latest at the renew deadline of the last successful renewal (an attempt
    /// is bounded by the time left). The term's writes stop there (`holdsLease`), whether
    /// or not the work has noticed its cancellation yet.
    private func renewUntilLost() async {
        defer { heldUntil.withLock { $0 = nil } }
        while !Task.isCancelled {
            guard let held = heldUntil.withLock({ $0 }) else { return }
            // Every retry period, and at the deadline at the latest, so a failing renewal
            // ends the term on time rather than up to a retry period later.
            let pause = min(configuration.retryPeriod, ContinuousClock.now.duration(to: held))
            if pause > .zero {
                do {
                    try await Task.sleep(for: pause)
                } catch {
                    return
                }
            }
            let started = ContinuousClock.now
            guard let until = heldUntil.withLock({ $0 }), started < until else {
                logger.warning("leader lease not renewed within the renew deadline")
                return
            }
            switch await attempt(timeout: started.duration(to: until)) {
            case .held:
                heldUntil.withLock { $0 = started.advanced(by: configuration.renewDeadline) }
            case .heldByOther(let holder):
                if Task.isCancelled { return }
                logger.warning("leader lease taken by another replica", metadata: ["lease.holder": "\(holder)"])
                return
            case .raced:
                if Task.isCancelled { return }
                logger.debug("leader lease renewal raced with another writer; retrying")
            case .failed(let reason):
                if Task.isCancelled { return }
                logger.debug("leader lease renewal failed; retrying", metadata: ["error": "\(reason)"])
            }
        }
    }

    enum Attempt: Sendable, Equatable {
        case held
        case heldByOther(String)
        /// Another candidate wrote first (409 on update, AlreadyExists on create): the
        /// normal outcome of a race, resolved by the next read.
        case raced
        case failed(String)
    }

    /// One `tryAcquireOrRenew`, bounded by `timeout`.
    private func attempt(timeout: Duration) async -> Attempt {
        await withTaskGroup(of: Attempt?.self) { group in
            group.addTask { await self.tryAcquireOrRenew() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failed("timed out after \(timeout)")
        }
    }

    private func leaseObject(record: LeaseRecord, resourceVersion: String?) -> Resource {
        var metadata = OrderedMap()
        metadata["name"] = .string(configuration.leaseName)
        metadata["namespace"] = .string(configuration.namespace)
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        var map = OrderedMap()
        map["apiVersion"] = "coordination.k8s.io/v1"
        map["kind"] = "Lease"
        map["metadata"] = .map(metadata)
        map["spec"] = record.spec
        return Resource(unchecked: .map(map))
    }

    private var leaseSeconds: Int { max(1, Int(configuration.leaseDuration.components.seconds)) }

    func tryAcquireOrRenew() async -> Attempt {
        let identity = configuration.identity
        let now = LeaseRecord.microTime(Date())
        let current: Resource
        do {
            current = try await client.get(Self.leaseKind, name: configuration.leaseName, namespace: configuration.namespace)
        } catch where error.code == .notFound {
            let record = LeaseRecord(holderIdentity: identity, leaseDurationSeconds: leaseSeconds, acquireTime: now,
                                     renewTime: now, leaseTransitions: 0)
            do {
                _ = try await client.create(leaseObject(record: record, resourceVersion: nil))
            } catch where error.code == .alreadyExists {
                return .raced
            } catch {
                return .failed("\(error)")
            }
            observed.withLock { $0 = (record, .now) }
            return .held
        } catch {
            return .failed("\(error)")
        }
        let record = LeaseRecord(lease: current.value)
        let seenAt: ContinuousClock.Instant = observed.withLock { value in
            if let value, value.record == record { return value.at }
            value = (record, .now)
            return value!.at
        }
        let duration = Duration.seconds(record.leaseDurationSeconds > 0 ? record.leaseDurationSeconds : leaseSeconds)
        if !record.holderIdentity.isEmpty, record.holderIdentity != identity, seenAt.advanced(by: duration) > .now {
            return .heldByOther(record.holderIdentity)
        }
        let renewing = record.holderIdentity == identity
        let next = LeaseRecord(holderIdentity: identity, leaseDurationSeconds: leaseSeconds,
                               acquireTime: renewing && !record.acquireTime.isEmpty ? record.acquireTime : now,
                               renewTime: now,
                               leaseTransitions: renewing ? record.leaseTransitions : record.leaseTransitions + 1)
        let resourceVersion = current.value[path: ["metadata", "resourceVersion"]]?.stringValue
        do {
            _ = try await client.update(leaseObject(record: next, resourceVersion: resourceVersion))
        } catch where error.code == .conflict {
            return .raced
        } catch {
            return .failed("\(error)")
        }
        observed.withLock { $0 = (next, .now) }
        return .held
    }

    /// Gives the Lease up (empty holder, 1 s duration) if this replica holds it.
    func release() async {
        guard isLeaderByLastObservation else { return }
        do {
            let current = try await client.get(Self.leaseKind, name: configuration.leaseName, namespace: configuration.namespace)
            let record = LeaseRecord(lease: current.value)
            guard record.holderIdentity == configuration.identity else { return }
            let now = LeaseRecord.microTime(Date())
            let released = LeaseRecord(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: now, renewTime: now,
                                       leaseTransitions: record.leaseTransitions)
            _ = try await client.update(leaseObject(
                record: released, resourceVersion: current.value[path: ["metadata", "resourceVersion"]]?.stringValue))
            observed.withLock { $0 = (released, .now) }
            logger.notice("leader lease released")
        } catch {
            logger.warning("leader lease not released; the standby takes over when it expires", metadata: ["error": "\(error)"])
        }
    }

    /// Releases the Lease even though the calling task may be cancelled: an unstructured
    /// task does not inherit cancellation, and the release is bounded by the renew deadline.
    private func releaseDetached() async {
        guard configuration.releaseOnStop else { return }
        let task = Task { await self.attemptRelease() }
        await task.value
    }

    private func attemptRelease() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.release() }
            group.addTask { try? await Task.sleep(for: self.configuration.renewDeadline) }
            await group.next()
            group.cancelAll()
        }
    }

    private func jittered(_ period: Duration) -> Duration {
        period * (1 + Double.random(in: 0..<(LeaderElectionConfiguration.jitterFactor - 1)))
    }
}
