import Foundation
import Synchronization
import Testing
import Logging
@testable import TetherEngine
import TetherKube
import TetherModel
import TestSupport

/// The watch-fed live cache, drift detection and healing, against the emulator.
@Suite("Self-heal", .serialized, .timeLimit(.minutes(1)), .capturedLogs)
struct SelfHealTests {
    final class Drifts: Sendable {
        let seen = Mutex<[(ResourceID, String)]>([])
        func add(_ id: ResourceID, _ what: String) { seen.withLock { $0.append((id, what)) } }
        var all: [(ResourceID, String)] { seen.withLock { $0 } }

        func wait(for id: ResourceID, _ what: String, within: Duration = .seconds(3)) async -> Bool {
            let deadline = ContinuousClock.now + within
            while ContinuousClock.now < deadline {
                if all.contains(where: { $0.0 == id && $0.1 == what }) { return true }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return false
        }
    }

    @Test("kubectl-style drift and deletion are seen through the watch and healed; our own applies are not drift")
    func driftIsSeenAndHealed() async throws {
        let harness = try await EngineHarness.start()
        defer { Task { await harness.stop() } }
        let objects = [
            try Resource.make("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: default}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: 'nginx:1.27'}]}
                """),
            try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: default}\ndata: {a: '1'}\n"),
        ]
        let reconciler = harness.reconciler("heal")
        let plan = try await reconciler.plan(desired: objects, revision: nil)
        #expect(try await reconciler.apply(plan).succeeded)
        let desired = Dictionary(uniqueKeysWithValues: plan.entries.compactMap { entry in entry.desired.map { (entry.id, $0) } })

        let cache = LiveCache(client: harness.client, applySetID: plan.applySet.applySetID, logger: Logger(label: "cache"))
        let detector = DriftDetector(fieldManager: "tether")
        let drifts = Drifts()
        let watching = Task {
            await cache.run(kinds: [GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"),
                                    GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")]) { id, live in
                guard let want = desired[id], let what = detector.drift(desired: want, live: live) else { return }
                drifts.add(id, what)
            }
        }
        defer { watching.cancel() }
        while cache.syncedKinds.count < 2 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(cache.members(of: [GroupKind(group: "", kind: "ConfigMap")])?.count == 1)

        let deploymentID = ResourceID(group: "apps", kind: "Deployment", namespace: "default", name: "web")
        _ = try await harness.other.patch(deploymentID.gvk, name: "web", namespace: "default",
                                          patch: Patch(.merge, ["spec": ["replicas": 5]]), options: WriteOptions(fieldManager: "kubectl-scale"))
        #expect(await drifts.wait(for: deploymentID, "changed"))
        let configID = ResourceID(group: "", kind: "ConfigMap", namespace: "default", name: "settings")
        _ = try await harness.other.delete(configID.gvk, name: "settings", namespace: "default")
        #expect(await drifts.wait(for: configID, "deleted"))

        // Let the simulated controller's status updates for the scaled object arrive too.
        try await Task.sleep(for: .milliseconds(400))
        let count = drifts.all.count
        let healed = await reconciler.heal([
            PlanEntry(id: deploymentID, apiVersion: "apps/v1", action: .update, desired: desired[deploymentID], live: cache.object(deploymentID)),
            PlanEntry(id: configID, apiVersion: "v1", action: .create, desired: desired[configID], live: nil),
        ])
        #expect(healed.map(\.outcome).sorted { $0.rawValue < $1.rawValue } == [.configured, .created], "\(healed)")
        let live = try await harness.client.get(deploymentID.gvk, name: "web", namespace: "default")
        #expect(live.value[path: ["spec", "replicas"]] == 2)
        try await Task.sleep(for: .milliseconds(500))
        #expect(drifts.all.count == count, "the healing applies are not drift: \(drifts.all.dropFirst(count).map { "\($0.0) \($0.1)" })")
    }

    @Test("a flapping object is corrected with growing delays")
    func debouncing() {
        var debouncer = DriftDebouncer(minimum: .milliseconds(100), maximum: .seconds(2), window: .seconds(60))
        let id = ResourceID(group: "", kind: "ConfigMap", namespace: "default", name: "x")
        let start = ContinuousClock.now
        #expect(debouncer.delay(for: id, now: start) == .zero)
        let second = debouncer.delay(for: id, now: start + .milliseconds(10))
        #expect(second > .zero)
        var last = second
        var now = start + .milliseconds(10)
        for _ in 0..<8 {
            now += last
            let next = debouncer.delay(for: id, now: now)
            #expect(next <= .seconds(2))
            last = max(next, .milliseconds(1))
        }
        #expect(last == .seconds(2), "capped at the maximum")
        let other = ResourceID(group: "", kind: "ConfigMap", namespace: "default", name: "y")
        #expect(debouncer.delay(for: other, now: now) == .zero, "per object")
    }

    @Test("the tether.dev/drift annotation overrides --self-heal per object")
    func policy() throws {
        let plain = try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
        var reported = plain
        reported.setAnnotation(Annotations.drift, "report")
        var ignored = plain
        ignored.setAnnotation(Annotations.drift, "ignore")
        #expect(DriftPolicy.forObject(desired: plain, live: nil, selfHeal: true) == .correct)
        #expect(DriftPolicy.forObject(desired: plain, live: nil, selfHeal: false) == .report)
        #expect(DriftPolicy.forObject(desired: reported, live: nil, selfHeal: true) == .report)
        #expect(DriftPolicy.forObject(desired: plain, live: ignored, selfHeal: true) == .ignore)
    }
}

extension ResourceID {
    var gvk: GroupVersionKind {
        GroupVersionKind(group: group, version: group.isEmpty ? "v1" : "v1", kind: kind)
    }
}
