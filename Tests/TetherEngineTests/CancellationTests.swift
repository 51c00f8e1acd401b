import Foundation
import Testing
import TetherEmulator
@testable import TetherEngine
import TetherKube
import TetherModel
import TestSupport

/// Cancellation is an outcome: a sync cancelled at any moment stops with
/// `EngineError.cancelled`, says what it applied, never traps, and leaves an inventory
/// that covers every member, so the next sync converges.
@Suite("Cancelling a sync", .serialized, .timeLimit(.minutes(1)), .capturedLogs)
struct CancellationTests {
    static let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")

    static func configMaps(_ count: Int, prefix: String = "cm") throws -> [Resource] {
        try (0..<count).map { index in
            try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \(prefix)-\(index), namespace: default}\ndata: {i: '\(index)'}\n")
        }
    }

    /// Slows every request, so a sync of many objects is still running when cancelled.
    static func slow(_ harness: EngineHarness, _ latency: Duration) async {
        var plan = FaultPlan()
        plan.latency = latency
        await harness.emulator.faults.set(plan)
    }

    /// Runs `body` in a task and cancels it once `ready` holds (polled), returning what
    /// the task threw.
    static func cancelled(when ready: @escaping @Sendable () async -> Bool,
                          _ body: @escaping @Sendable () async throws -> Void) async throws -> (any Error)? {
        let task = Task { try await body() }
        while !(await ready()) { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        do { try await task.value } catch { return error }
        return nil
    }

    @Test("cancelled with more objects left than the concurrency limit: EngineError.cancelled with what was applied, no trap")
    func cancelDuringApply() async throws {
        let harness = try await EngineHarness.start(controllers: false)
        defer { Task { await harness.stop() } }
        let objects = try Self.configMaps(120)
        let reconciler = harness.reconciler("cancel-apply") { $0.concurrency = 4 }
        let plan = try await reconciler.plan(desired: objects, revision: nil)
        await Self.slow(harness, .milliseconds(20))
        await harness.resetAudit()
        let error = try await Self.cancelled(when: { await harness.audit().filter { $0.verb == "apply" }.count > 10 }) {
            _ = try await reconciler.apply(plan)
        }
        let engineError = try #require(error as? EngineError, "expected EngineError.cancelled, got \(String(describing: error))")
        #expect(engineError.code == .cancelled)
        let partial = try #require(engineError.partial)
        let created = partial.results.filter { $0.outcome == .created }.count
        #expect(created > 0 && created < objects.count, "\(created) created")

        // The inventory was widened before the first write, and the next sync converges.
        await Self.slow(harness, .zero)
        let parent = try await harness.client.get(Self.configMap, name: "tether-cancel-apply", namespace: "tether-system")
        #expect(parent.annotation(ApplySetID.containsGroupKindsAnnotation) == "ConfigMap")
        // Requests cut short in flight may have reached the server; they are reported as such.
        // An item the bounded group had handed out just as the task was cancelled never sent
        // its request, and says so.
        let interrupted = partial.results.filter { $0.failed }
        #expect(interrupted.allSatisfy { $0.message?.contains("interrupted in flight") == true || $0.message == "not applied: the sync was cancelled" },
                "\(interrupted.map(\.message))")
        let live = try await harness.client.listAll(Self.configMap, namespace: "default").items.filter { $0.name.hasPrefix("cm-") }.count
        #expect(live >= created && live <= created + interrupted.count)
        let next = try await harness.sync(objects, reconciler)
        #expect(next.succeeded)
        #expect(next.count(.created) == objects.count - live)
    }

    @Test("cancelled during a prune: stops, and the inventory is not narrowed, so the next sync finishes the prune")
    func cancelDuringPrune() async throws {
        let harness = try await EngineHarness.start(controllers: false)
        defer { Task { await harness.stop() } }
        let keep = try Self.configMaps(1, prefix: "keep")
        let gone = try Self.configMaps(80, prefix: "gone")
        let reconciler = harness.reconciler("cancel-prune") { options in
            options.prune = true
            options.forcePrune = true
            options.concurrency = 4
        }
        try await harness.sync(keep + gone, reconciler)
        let plan = try await reconciler.plan(desired: keep, revision: nil)
        #expect(plan.summary.prune == gone.count)
        await Self.slow(harness, .milliseconds(20))
        await harness.resetAudit()
        let error = try await Self.cancelled(when: { await harness.audit().filter { $0.verb == "delete" }.count > 10 }) {
            _ = try await reconciler.apply(plan)
        }
        let engineError = try #require(error as? EngineError)
        #expect(engineError.code == .cancelled)
        let pruned = engineError.partial?.results.filter { $0.outcome == .pruned }.count ?? 0
        #expect(pruned > 0 && pruned < gone.count, "\(pruned) pruned")

        await Self.slow(harness, .zero)
        let parent = try await harness.client.get(Self.configMap, name: "tether-cancel-prune", namespace: "tether-system")
        #expect(parent.annotation(ApplySetID.containsGroupKindsAnnotation) == "ConfigMap")
        let live = try await harness.client.listAll(Self.configMap, namespace: "default").items.filter { $0.name.hasPrefix("gone-") }.count
        #expect(live <= gone.count - pruned)
        let next = try await harness.sync(keep, reconciler)
        #expect(next.succeeded)
        #expect(next.count(.pruned) == live)
        let left = try await harness.client.listAll(Self.configMap, namespace: "default").items.map(\.name)
        #expect(left.filter { $0.hasPrefix("gone-") }.isEmpty)
    }

    @Test("the wait for a CustomResourceDefinition stops at once when cancelled (it polled for 60 s)")
    func cancelWaitForDefinitions() async throws {
        let harness = try await EngineHarness.start(controllers: false)
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler("cancel-crd")
        try await harness.sync(try Self.configMaps(1), reconciler)
        let crd = try Resource.make("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
              versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
            """)
        let plan = try await reconciler.plan(desired: try Self.configMaps(1) + [crd], revision: nil)
        // Every read of the CRD fails from now on, so it never looks Established.
        var faults = FaultPlan()
        faults.failNext = FaultPlan.FailNext(count: 1_000_000, code: 500, verbs: ["get"])
        await harness.emulator.faults.set(faults)
        await harness.resetAudit()
        let started = ContinuousClock.now
        let error = try await Self.cancelled(when: { await harness.audit().contains { $0.verb == "get" } }) {
            _ = try await reconciler.apply(plan)
        }
        #expect((error as? EngineError)?.code == .cancelled, "\(String(describing: error))")
        // Well under the 60 s the wait used to poll for, even on a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test("Bounded: a cancelled run returns what finished, in order; map throws CancellationError; an uncancelled map is complete")
    func boundedCancellation() async throws {
        let finished = await Task { () -> Bounded.Finished<Int> in
            withUnsafeCurrentTask { $0?.cancel() }
            return await Bounded.run(Array(0..<50), limit: 2) { $0 }
        }.value
        #expect(!finished.isComplete)
        #expect(finished.outputs == finished.outputs.sorted())
        let thrown = await Task { () -> Bool in
            withUnsafeCurrentTask { $0?.cancel() }
            do { _ = try await Bounded.map(Array(0..<50), limit: 2) { $0 }; return false } catch { return true }
        }.value
        #expect(thrown)
        #expect(try await Bounded.map(Array(0..<50), limit: 2) { $0 * 2 } == (0..<50).map { $0 * 2 })
    }
}
