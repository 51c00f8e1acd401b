import Foundation
import InMemoryLogging
import Logging
import Synchronization
import Testing
import TetherEmulator
import TetherKube
import TetherModel
@testable import TetherDaemon
import TestSupport

@Suite("Leader election over a Lease in TetherEmulator", .serialized, .timeLimit(.minutes(1)), .capturedLogs)
struct LeaderElectionTests {
    /// Who is doing leader work right now, and whether two ever did at once.
    final class Leaders: Sendable {
        private let state = Mutex<(current: Set<String>, overlapped: Bool, history: [String])>(([], false, []))
        func started(_ name: String) {
            state.withLock {
                if !$0.current.isEmpty { $0.overlapped = true }
                $0.current.insert(name)
                $0.history.append(name)
            }
        }
        func stopped(_ name: String) { _ = state.withLock { $0.current.remove(name) } }
        var current: Set<String> { state.withLock { $0.current } }
        var overlapped: Bool { state.withLock { $0.overlapped } }
        var history: [String] { state.withLock { $0.history } }
    }

    static func client(_ address: String) throws -> KubeClient {
        var options = KubeClient.Options()
        options.retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100),
                                    maxRetryAfter: .seconds(1))
        options.requestTimeout = .seconds(5)
        return KubeClient(config: try KubeConfig.server(url: "http://" + address), options: options, logger: quietLogger("test"))
    }

    static func configuration(lease: String, identity: String, release: Bool = true) -> LeaderElectionConfiguration {
        var configuration = LeaderElectionConfiguration(leaseName: lease, namespace: "default", identity: identity)
        configuration.leaseDuration = .seconds(2)
        configuration.renewDeadline = .milliseconds(1500)
        configuration.retryPeriod = .milliseconds(200)
        configuration.releaseOnStop = release
        return configuration
    }

    /// Runs an elector whose work marks it as leader until cancelled.
    static func candidate(_ elector: LeaderElector, leaders: Leaders) -> Task<Void, any Error> {
        let name = elector.configuration.identity
        return Task {
            try await elector.run {
                leaders.started(name)
                defer { leaders.stopped(name) }
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
            }
        }
    }

    static func holder(_ client: KubeClient, lease: String) async throws -> String {
        try await client.get(LeaderElector.leaseKind, name: lease, namespace: "default").value[path: ["spec", "holderIdentity"]]?.stringValue ?? ""
    }

    @Test("of two candidates exactly one leads; stopping it hands over within the lease duration")
    func handover() async throws {
        let emulator = EmulatorServer(logger: quietLogger("emulator"))
        let address = try await emulator.start(listen: "127.0.0.1:0")
        let client = try Self.client(address)
        let leaders = Leaders()
        let a = try LeaderElector(client: client, configuration: Self.configuration(lease: "handover", identity: "replica-a"),
                                  logger: quietLogger("a"))
        let b = try LeaderElector(client: try Self.client(address),
                                  configuration: Self.configuration(lease: "handover", identity: "replica-b"), logger: quietLogger("b"))
        let tasks = ["replica-a": Self.candidate(a, leaders: leaders), "replica-b": Self.candidate(b, leaders: leaders)]
        try await waitUntil("one candidate leads") { leaders.current.count == 1 }
        let first = leaders.current.first!
        #expect(try await Self.holder(client, lease: "handover") == first)
        // Several renewals later, still the same single leader.
        try await Task.sleep(for: .milliseconds(1000))
        #expect(leaders.current == [first])
        let lease = try await client.get(LeaderElector.leaseKind, name: "handover", namespace: "default").value
        #expect(lease[path: ["spec", "leaseDurationSeconds"]] == .int(2))
        #expect(lease[path: ["spec", "leaseTransitions"]] == .int(0))

        let stopped = ContinuousClock.now
        tasks[first]!.cancel()
        // Cancellation is a normal stop: run returns without throwing.
        try await tasks[first]!.value
        let second = first == "replica-a" ? "replica-b" : "replica-a"
        try await waitUntil("the standby leads", timeout: .seconds(5)) { leaders.current == [second] }
        let handover = stopped.duration(to: .now)
        #expect(handover < .seconds(2), "handover took \(handover)")
        #expect(try await Self.holder(client, lease: "handover") == second)
        #expect(!leaders.overlapped)
        tasks[second]!.cancel()
        _ = try? await tasks[second]!.value
        // Released on stop: nobody holds it.
        #expect(try await Self.holder(client, lease: "handover") == "")
        await emulator.stop()
    }

    @Test("a leader that vanishes without releasing is replaced after the lease expires, not before")
    func expiry() async throws {
        let emulator = EmulatorServer(logger: quietLogger("emulator"))
        let address = try await emulator.start(listen: "127.0.0.1:0")
        let client = try Self.client(address)
        let leaders = Leaders()
        let a = try LeaderElector(client: client, configuration: Self.configuration(lease: "expiry", identity: "a", release: false),
                                  logger: quietLogger("a"))
        let taskA = Self.candidate(a, leaders: leaders)
        try await waitUntil("a leads") { leaders.current == ["a"] }
        let b = try LeaderElector(client: try Self.client(address),
                                  configuration: Self.configuration(lease: "expiry", identity: "b"), logger: quietLogger("b"))
        let taskB = Self.candidate(b, leaders: leaders)
        try await Task.sleep(for: .milliseconds(600))
        #expect(leaders.current == ["a"])
        let stopped = ContinuousClock.now
        taskA.cancel()
        _ = try? await taskA.value
        #expect(try await Self.holder(client, lease: "expiry") == "a")
        try await waitUntil("b takes over", timeout: .seconds(6)) { leaders.current == ["b"] }
        let handover = stopped.duration(to: .now)
        // b saw the last renewal at most a retry period (with jitter) before a stopped.
        #expect(handover >= .milliseconds(1700), "took over after \(handover), before the lease could expire")
        #expect(handover < .milliseconds(3000), "took over after \(handover)")
        let lease = try await client.get(LeaderElector.leaseKind, name: "expiry", namespace: "default").value
        #expect(lease[path: ["spec", "leaseTransitions"]] == .int(1))
        #expect(!leaders.overlapped)
        taskB.cancel()
        _ = try? await taskB.value
        await emulator.stop()
    }

    @Test("losing the lease stops the work at once and reports it on the leadership stream")
    func lossStopsWork() async throws {
        let emulator = EmulatorServer(logger: quietLogger("emulator"))
        let address = try await emulator.start(listen: "127.0.0.1:0")
        let client = try Self.client(address)
        let leaders = Leaders()
        let status = DaemonStatus(staleAfter: .seconds(60))
        let a = try LeaderElector(client: client, configuration: Self.configuration(lease: "loss", identity: "a"),
                                  status: status, logger: quietLogger("a"))
        let events = Task {
            var seen: [Bool] = []
            for await leading in a.leadership {
                seen.append(leading)
                if seen.count == 3 { break }
            }
            return seen
        }
        let task = Self.candidate(a, leaders: leaders)
        try await waitUntil("a leads") { leaders.current == ["a"] }
        #expect(await status.leading == true)
        // Another actor takes the Lease over (as a replica with a skewed view would).
        var lease = try await client.get(LeaderElector.leaseKind, name: "loss", namespace: "default")
        guard case .map(var map) = lease.value, case .map(var spec)? = map["spec"] else { throw TestFailure("no spec") }
        spec["holderIdentity"] = "intruder"
        spec["leaseDurationSeconds"] = .int(3600)
        map["spec"] = .map(spec)
        lease = Resource(unchecked: .map(map))
        _ = try await client.update(lease)
        let taken = ContinuousClock.now
        try await waitUntil("a stops leading") { leaders.current.isEmpty }
        #expect(taken.duration(to: .now) < .seconds(1))
        #expect(await status.leading == false)
        // A standby is ready (a rolling update must be able to finish) and says it is a standby.
        #expect(await status.unready() == nil)
        #expect(await status.document()["role"] == "standby")
        task.cancel()
        _ = try? await task.value
        #expect(await events.value == [false, true, false])
        // Not the holder any more, so stopping did not touch the intruder's Lease.
        #expect(try await Self.holder(client, lease: "loss") == "intruder")
        await emulator.stop()
    }

    @Test("writes through the member client are refused once the term ends (renewals failing), and none reaches the API server")
    func memberClientStopsWritingWithTheLease() async throws {
        let emulator = EmulatorServer(logger: quietLogger("emulator"))
        let address = try await emulator.start(listen: "127.0.0.1:0")
        let client = try Self.client(address)
        let configuration = Self.configuration(lease: "gate", identity: "a")
        let elector = try LeaderElector(client: client, configuration: configuration, logger: quietLogger("a"))
        let member = elector.memberClient(client)
        let apply = ApplyOptions(fieldManager: "tether", force: true)
        func configMap(_ name: String) throws -> Resource {
            try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \(name), namespace: default}\ndata: {a: '1'}\n")
        }
        /// Sends `write` through the member client and checks it was refused by the gate.
        func expectRefused(_ what: String, _ write: () async throws -> Void) async {
            do {
                try await write()
                Issue.record("\(what) was sent without the Lease")
            } catch let error as KubeError {
                #expect(error.code == .cancelled, "\(what): \(error)")
                #expect(error.message.contains("no longer holds the leader Lease default/gate"), "\(what): \(error)")
            } catch {
                Issue.record("\(what): \(error)")
            }
        }
        func configMapWrites(since start: Int) async -> [String] {
            await emulator.audit.entries.dropFirst(start).filter { $0.isWrite && $0.resource?.resource == "configmaps" }
                .map { "\($0.verb) \($0.name) -> \($0.code)" }
        }

        // Before the first term nothing is written.
        #expect(!elector.holdsLease)
        var start = await emulator.audit.entries.count
        let early = try configMap("early"), late = try configMap("late"), lateCreate = try configMap("late-create")
        await expectRefused("an apply before the term") { _ = try await member.apply(early, options: apply) }
        #expect(await configMapWrites(since: start).isEmpty)

        let leaders = Leaders()
        let task = Self.candidate(elector, leaders: leaders)
        try await waitUntil("a holds the Lease") { elector.holdsLease }
        _ = try await member.apply(try configMap("in-term"), options: apply)

        // Every Lease renewal (an update) fails from now on: the term ends at the renew
        // deadline of the last renewal that went through.
        var faults = FaultPlan()
        faults.errorRate = ["update": 1.0]
        await emulator.faults.set(faults)
        let failing = ContinuousClock.now
        try await waitUntil("the term ends", timeout: .seconds(5)) { !elector.holdsLease }
        #expect(failing.duration(to: .now) < configuration.renewDeadline + .milliseconds(500))

        // What a straggling writer (a drift correction that has not seen its cancellation
        // yet) would send now is refused before it leaves the process.
        start = await emulator.audit.entries.count
        await expectRefused("an apply after the term") { _ = try await member.apply(late, options: apply) }
        await expectRefused("a create after the term") { _ = try await member.create(lateCreate) }
        await expectRefused("a delete after the term") { _ = try await member.delete(Self.configMapKind, name: "in-term", namespace: "default") }
        #expect(await configMapWrites(since: start).isEmpty, "writes that reached the emulator after the term")
        // Reads still go through, and the cluster itself takes the same write from the
        // ungated client: the refusal is the gate's.
        #expect(try await member.get(Self.configMapKind, name: "in-term", namespace: "default").value[path: ["data", "a"]] == "1")
        _ = try await client.apply(late, options: apply)
        let accepted = await configMapWrites(since: start)
        #expect(accepted.count == 1 && accepted.first?.hasPrefix("apply late -> 20") == true, "\(accepted)")

        task.cancel()
        _ = try? await task.value
        await emulator.stop()
    }

    static let configMapKind = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")

    @Test("a Lease that cannot be written is reported once as a warning, not every retry period")
    func persistentFailure() async throws {
        let emulator = EmulatorServer(logger: quietLogger("emulator"))
        let address = try await emulator.start(listen: "127.0.0.1:0")
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "elector") { _ in handler }
        logger.logLevel = .debug
        var configuration = Self.configuration(lease: "nowhere", identity: "a")
        configuration.namespace = "no-such-namespace"
        let elector = try LeaderElector(client: try Self.client(address), configuration: configuration, logger: logger)
        let task = Task { try await elector.run { Issue.record("must not lead without a Lease") } }
        try await waitUntil("several attempts failed") {
            handler.entries.filter { $0.message.description == "leader lease not acquired" }.count >= 2
        }
        task.cancel()
        try await task.value
        let warnings = handler.entries.filter { $0.level == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.description == "leader lease cannot be read or written; retrying")
        let error = warnings.first?.metadata["error"].map { "\($0)" } ?? ""
        #expect(error.contains("no-such-namespace"))
        await emulator.stop()
    }

    struct ConfigCase: Sendable, CustomTestStringConvertible {
        var name: String
        var lease: Duration
        var renew: Duration
        var retry: Duration
        var valid: Bool
        var testDescription: String { name }
    }

    @Test("timings are checked as client-go checks them", arguments: [
        ConfigCase(name: "controller-runtime defaults", lease: .seconds(15), renew: .seconds(10), retry: .seconds(2), valid: true),
        ConfigCase(name: "renew deadline not below lease duration", lease: .seconds(10), renew: .seconds(10), retry: .seconds(2), valid: false),
        ConfigCase(name: "renew deadline within 1.2 retry periods", lease: .seconds(15), renew: .seconds(2), retry: .seconds(2), valid: false),
    ])
    func validation(_ c: ConfigCase) {
        var configuration = LeaderElectionConfiguration(leaseName: "l", namespace: "n", identity: "i")
        configuration.leaseDuration = c.lease
        configuration.renewDeadline = c.renew
        configuration.retryPeriod = c.retry
        #expect(((try? configuration.validate()) != nil) == c.valid)
        #expect(LeaderElectionConfiguration(leaseName: "l", namespace: "n", identity: "i").leaseDuration == .seconds(15))
    }
}
