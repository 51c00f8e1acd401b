import Foundation
import Testing
import TetherEmulator
@testable import TetherEngine
import TetherKube
import TetherModel
import TestSupport

/// The engine against the in-process emulator: plan, apply, prune and their guards.
@Suite("Reconciler against the emulator", .serialized, .timeLimit(.minutes(2)), .capturedLogs)
struct ReconcilerTests {
    static let deployment = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")
    static let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")

    @Test("sync of overlays/aws creates every object; a repeat makes no write and no per-object request")
    func firstSyncThenSteadyState() async throws {
        let harness = try await EngineHarness.start()
        defer { Task { await harness.stop() } }
        let objects = try EngineHarness.render(EngineHarness.repositoryRoot, "overlays-example/overlays/aws")
        let reconciler = harness.reconciler("aws")
        let first = try await harness.sync(objects, reconciler, revision: "abc")
        #expect(first.succeeded, "\(first.failures)")
        #expect(first.count(.created) == objects.count)

        let parent = try await harness.client.get(Self.configMap, name: "tether-aws", namespace: "tether-system")
        let id = ApplySetID.id(forParent: parent.id)
        #expect(parent.label(ApplySetID.idLabel) == id)
        #expect(parent.annotation(ApplySetID.toolingAnnotation) == "tether/0.1.0")
        #expect(parent.annotation(ApplySetParent.lastRevisionAnnotation) == "abc")
        let kinds = Set(objects.map { ApplySetParent.groupKindText($0.id.groupKind) })
        #expect(Set(parent.annotation(ApplySetID.containsGroupKindsAnnotation)!.split(separator: ",").map(String.init)) == kinds)
        for object in objects {
            let live = try await harness.client.get(object.gvk, name: object.name, namespace: object.namespace.isEmpty ? "default" : object.namespace)
            #expect(live.label(ApplySetID.partOfLabel) == id, "\(object.id)")
        }

        await harness.resetAudit()
        let plan = try await reconciler.plan(desired: objects, revision: "abc")
        #expect(plan.summary.unchanged == objects.count, "\(plan.entries.filter { $0.action != .unchanged }.map { "\($0.id) \($0.action)" })")
        let second = try await reconciler.apply(plan)
        #expect(second.succeeded)
        let audit = await harness.audit()
        #expect(audit.filter(\.isWrite).isEmpty, "writes: \(audit.filter(\.isWrite).map(\.path))")
        let resourceRequests = audit.filter { $0.resource != nil }
        let lists = resourceRequests.filter { $0.verb == "list" }
        #expect(Set(lists.map(\.path)).count == lists.count, "one list per kind")
        #expect(lists.count == kinds.count)
        #expect(resourceRequests.filter { $0.verb == "get" }.count <= 1, "only the parent is read by name")
        let others = resourceRequests.filter { $0.verb != "get" && $0.verb != "list" }
        #expect(others.isEmpty, "no dry runs or other per-object requests: \(others.map { "\($0.verb) \($0.path)" })")
    }

    @Test("removing a resource and renaming a generator input prunes the object and the old hashed ConfigMap")
    func pruneRemovedObjects() async throws {
        let harness = try await EngineHarness.start()
        defer { Task { await harness.stop() } }
        let tree = try EngineHarness.copyOfExample()
        defer { try? FileManager.default.removeItem(atPath: tree) }
        let reconciler = harness.reconciler("aws") { $0.prune = true }
        let before = try EngineHarness.render(tree, "overlays/aws")
        try await harness.sync(before, reconciler)

        // Change a generator literal: the ConfigMap's hash suffix changes.
        let base = tree + "/base/app/kustomization.yaml"
        let text = try String(contentsOfFile: base, encoding: .utf8)
        #expect(text.contains("LOG_LEVEL=info"))
        // Also drop the NetworkPolicy from the resources.
        try text.replacingOccurrences(of: "LOG_LEVEL=info", with: "LOG_LEVEL=debug")
            .replacingOccurrences(of: "- networkpolicy.yaml\n", with: "")
            .write(toFile: base, atomically: true, encoding: .utf8)
        let after = try EngineHarness.render(tree, "overlays/aws")
        let removed = Set(before.map(\.id)).subtracting(after.map(\.id))
        #expect(removed.map(\.kind).sorted() == ["ConfigMap", "NetworkPolicy"], "the generator input change renames a ConfigMap")

        let plan = try await reconciler.plan(desired: after, revision: nil)
        #expect(Set(plan.entries.filter { $0.action == .prune }.map(\.id)) == removed)
        let result = try await reconciler.apply(plan)
        #expect(result.succeeded)
        #expect(result.count(.pruned) == removed.count)
        for id in removed {
            let gvk = id.kind == "ConfigMap" ? Self.configMap : GroupVersionKind(group: "networking.k8s.io", version: "v1", kind: id.kind)
            await #expect(throws: KubeError.self) { try await harness.client.get(gvk, name: id.name, namespace: id.namespace) }
        }
        let again = try await reconciler.plan(desired: after, revision: nil)
        #expect(!again.summary.hasChanges)
    }

    @Test("an object with the part-of label never applied by tether, and a controller-owned one, survive a prune")
    func foreignMembersSurvive() async throws {
        let harness = try await EngineHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler("guard") { $0.prune = true }
        let keep = try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: keep, namespace: default}\ndata: {a: '1'}\n")
        try await harness.sync([keep], reconciler)
        let id = ApplySetID.id(forParent: ResourceID(group: "", kind: "ConfigMap", namespace: "tether-system", name: "tether-guard"))
        let stranger = try Resource.make("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: stranger, namespace: default, labels: {applyset.kubernetes.io/part-of: \(id)}}
            data: {a: '1'}
            """)
        _ = try await harness.other.apply(stranger, options: ApplyOptions(fieldManager: "someone"))
        let owned = try Resource.make("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: owned, namespace: default}
            data: {a: '1'}
            """)
        try await harness.sync([keep, owned], reconciler)
        // An operator takes the object over as its controller.
        let ownerPatch: Value = ["metadata": ["ownerReferences": [[
            "apiVersion": "example.com/v1", "kind": "Widget", "name": "w", "uid": "1234", "controller": true,
        ]]]]
        _ = try await harness.other.patch(Self.configMap, name: "owned", namespace: "default", patch: Patch(.merge, ownerPatch),
                                          options: WriteOptions(fieldManager: "operator"))
        let result = try await harness.sync([keep], reconciler)
        #expect(result.succeeded)
        #expect(result.count(.pruned) == 0)
        _ = try await harness.client.get(Self.configMap, name: "stranger", namespace: "default")
        _ = try await harness.client.get(Self.configMap, name: "owned", namespace: "default")
        let skipped = result.results.filter { $0.outcome == .skipped }.map(\.id.name).sorted()
        #expect(skipped == ["owned", "stranger"])
    }

    @Test("the empty-render guard, prune: disabled, sync: disabled and the prune budget")
    func pruneGuards() async throws {
        let harness = try await EngineHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler("guards") { $0.prune = true; $0.maxPrune = 3 }
        var objects: [Resource] = []
        for index in 0..<6 {
            objects.append(try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm\(index), namespace: default}\ndata: {a: '1'}\n"))
        }
        objects[0].setAnnotation(Annotations.prune, "disabled")
        try await harness.sync(objects, reconciler)

        let empty = try await reconciler.plan(desired: [], revision: nil)
        let emptyError = await #expect(throws: EngineError.self) { try await reconciler.apply(empty) }
        #expect(emptyError?.code == .emptyRender)

        // Over budget: the deletions are refused, but a create in the same sync still happens.
        let extra = try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: default}\ndata: {a: '1'}\n")
        let budget = try await reconciler.plan(desired: [objects[5], extra], revision: nil)
        let refused = try await reconciler.apply(budget)
        #expect(refused.pruneRefusal?.code == .pruneBudget)
        #expect(refused.pruneRefusal?.message.contains("ConfigMap/default/cm1") == true)
        #expect(!refused.succeeded)
        #expect(refused.results.first { $0.id.name == "extra" }?.outcome == .created, "a refused prune never blocks creates")
        #expect(try await harness.client.list(Self.configMap, namespace: "default").items.count == 7, "nothing deleted after a refusal")
        let kept = try await harness.client.get(Self.configMap, name: "tether-guards", namespace: "tether-system")
        #expect(kept.annotation(ApplySetParent.lastResultAnnotation) == "failed")
        _ = try await harness.client.delete(Self.configMap, name: "extra", namespace: "default")

        // sync: disabled on the live object leaves it alone even when it is due for pruning.
        _ = try await harness.other.patch(Self.configMap, name: "cm1", namespace: "default",
                                          patch: Patch(.merge, ["metadata": ["annotations": [.init(stringLiteral: Annotations.sync): "disabled"]]]),
                                          options: WriteOptions(fieldManager: "kubectl-annotate"))
        let small = harness.reconciler("guards") { $0.prune = true }
        let result = try await harness.sync([objects[0], objects[2], objects[3], objects[4], objects[5]], small)
        #expect(result.succeeded)
        #expect(result.results.first { $0.id.name == "cm1" }?.outcome == .skipped)
        let pruned = try await harness.sync([objects[2], objects[3], objects[4], objects[5]], small)
        #expect(pruned.results.first { $0.id.name == "cm0" }?.outcome == .skipped, "prune: disabled")
        _ = try await harness.client.get(Self.configMap, name: "cm0", namespace: "default")
    }

    @Test("prune budget on a small set: one of three objects is pruned without --force-prune; an unknown tether.dev/prune value is an error naming the object")
    func smallSetBudgetAndTypedAnnotations() async throws {
        let harness = try await EngineHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler("small") { $0.prune = true }
        let objects = try (0..<3).map { try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s\($0), namespace: default}\ndata: {a: '1'}\n") }
        try await harness.sync(objects, reconciler)
        let result = try await harness.sync(Array(objects.prefix(2)), reconciler)
        #expect(result.succeeded, "\(String(describing: result.pruneRefusal))")
        #expect(result.count(.pruned) == 1)

        var typo = objects[0]
        typo.setAnnotation(Annotations.prune, "disable")
        try await harness.sync([typo, objects[1]], reconciler)
        let error = await #expect(throws: EngineError.self) { try await reconciler.plan(desired: [objects[1]], revision: nil) }
        #expect(error?.code == .invalidConfig)
        #expect(error?.description.contains("ConfigMap/default/s0") == true && error?.description.contains("'disabled'") == true, "\(String(describing: error))")
    }

    @Test("text diff shows what sync will meet: a field another manager owns and a kind the cluster does not serve")
    func textDiffShowsPredictedFailures() async throws {
        let harness = try await EngineHarness.start()
        defer { Task { await harness.stop() } }
        let reconciler = harness.reconciler("notes")
        let cm = try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owned, namespace: default}\ndata: {a: '1'}\n")
        try await harness.sync([cm], reconciler)
        let taken = try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owned, namespace: default}\ndata: {a: '9'}\n")
        _ = try await harness.other.apply(taken, options: ApplyOptions(fieldManager: "kubectl-edit", force: true))
        let widget = try Resource.make("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: default}\nspec: {size: 1}\n")
        let plan = try await reconciler.plan(desired: [cm, widget], revision: nil, detail: .diff)
        let text = try PlanReport(plan: plan).text()
        #expect(text.contains("note: ConfigMap/default/owned update: conflict:"), "\(text)")
        #expect(text.contains("note: Widget.example.com/default/w create: the cluster does not serve Widget"), "\(text)")
        #expect(text.contains("warning: 2 objects will not apply as planned"), "\(text)")
        #expect(try PlanReport(plan: plan).json().contains("\"willFail\": true"))
    }

    @Test("a 422 object is reported with its causes and the others are applied")
    func invalidObjectAmongValid() async throws {
        let harness = try await EngineHarness.start()
        defer { Task { await harness.stop() } }
        let good = try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good, namespace: default}\ndata: {a: '1'}\n")
        let bad = try Resource.make("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: bad, namespace: default}
            spec:
              selector: {matchLabels: {app: a}}
              template:
                metadata: {labels: {app: b}}
                spec: {containers: [{name: c, image: nginx}]}
            """)
        let result = try await harness.sync([good, bad], harness.reconciler("invalid"))
        #expect(!result.succeeded)
        let failure = try #require(result.failures.first)
        #expect(failure.id.name == "bad")
        #expect(failure.message?.contains("422") == true)
        _ = try await harness.client.get(Self.configMap, name: "good", namespace: "default")
    }

    @Test("a prune that fails after the apply (every delete refused): the inventory is not narrowed and the next sync finishes the prune")
    func failedPruneAfterApply() async throws {
        let harness = try await EngineHarness.start()
        defer { Task { await harness.stop() } }
        let a = try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}\ndata: {a: '1'}\n")
        let b = try Resource.make("apiVersion: v1\nkind: Secret\nmetadata: {name: b, namespace: other}\nstringData: {a: '1'}\n")
        let ns = try Resource.make("apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n")
        var options = { (o: inout EngineOptions) in o.prune = true; o.maxPrunePercent = 100 }
        try await harness.sync([a, b, ns], harness.reconciler("crash", options))
        var faults = FaultPlan()
        faults.failNext = FaultPlan.FailNext(count: 1_000, code: 500, verbs: ["delete"])
        await harness.emulator.faults.set(faults)
        let c = try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\ndata: {a: '1'}\n")
        let failed = try await harness.sync([c, ns], harness.reconciler("crash", options))
        #expect(!failed.succeeded)
        let kept = try await harness.client.get(Self.configMap, name: "tether-crash", namespace: "tether-system")
        #expect(kept.annotation(ApplySetID.containsGroupKindsAnnotation)?.contains("Secret") == true, "not narrowed by a failed prune")
        await harness.emulator.faults.set(FaultPlan())
        _ = try await harness.client.get(Self.configMap, name: "a", namespace: "default")
        _ = try await harness.client.get(Self.configMap, name: "c", namespace: "default")
        options = { (o: inout EngineOptions) in o.prune = true; o.maxPrunePercent = 100 }
        let result = try await harness.sync([c, ns], harness.reconciler("crash", options))
        #expect(result.succeeded)
        #expect(Set(result.results.filter { $0.outcome == .pruned }.map(\.id.name)) == ["a", "b"])
        let parent = try await harness.client.get(Self.configMap, name: "tether-crash", namespace: "tether-system")
        #expect(parent.annotation(ApplySetID.containsGroupKindsAnnotation) == "ConfigMap,Namespace")
    }

    @Test("objects of another ApplySet are not taken over without --force-conflicts")
    func foreignApplySet() async throws {
        let harness = try await EngineHarness.start()
        defer { Task { await harness.stop() } }
        let shared = try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared, namespace: default}\ndata: {a: '1'}\n")
        try await harness.sync([shared], harness.reconciler("first"))
        let plan = try await harness.reconciler("second").plan(desired: [shared], revision: nil)
        let note = plan.entries.first?.reason ?? ""
        #expect(note.contains("ConfigMap/tether-system/tether-first") && note.contains("--name first"), "the note names the other set and the flag: \(note)")
        #expect(plan.entries.first?.willFail == true)
        let second = try await harness.sync([shared], harness.reconciler("second"))
        #expect(second.results.first?.outcome == .conflicted)
        #expect(second.results.first?.message?.contains("--name first") == true)
        let live = try await harness.client.get(Self.configMap, name: "shared", namespace: "default")
        #expect(live.label(ApplySetID.partOfLabel) == ApplySetID.id(forParent: ResourceID(group: "", kind: "ConfigMap", namespace: "tether-system", name: "tether-first")))
        let forced = try await harness.sync([shared], harness.reconciler("second") { $0.forceConflicts = true })
        #expect(forced.succeeded)
    }

    @Test("objects made by kubectl create or client-side apply are taken over: fields later removed from Git really go")
    func clientSideApplyMigration() async throws {
        let harness = try await EngineHarness.start()
        defer { Task { await harness.stop() } }
        let legacy = try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: legacy, namespace: default}\ndata: {a: '1', b: '2'}\n")
        _ = try await harness.other.create(legacy, options: WriteOptions(fieldManager: "kubectl-client-side-apply"))
        let reconciler = harness.reconciler("migrate")
        let plan = try await reconciler.plan(desired: [legacy], revision: nil)
        #expect(plan.entries.first?.action == .update, "the take-over is a change even when the content is equal")
        try await reconciler.apply(plan).failures.forEach { Issue.record("\($0)") }
        let taken = try await harness.client.get(Self.configMap, name: "legacy", namespace: "default")
        #expect(Reconciler.managers(of: taken).contains("kubectl-client-side-apply") == false)

        let trimmed = try Resource.make("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: legacy, namespace: default}\ndata: {a: '1'}\n")
        let result = try await harness.sync([trimmed], reconciler)
        #expect(result.succeeded)
        let live = try await harness.client.get(Self.configMap, name: "legacy", namespace: "default")
        #expect(live.value[path: ["data", "b"]] == nil, "b was removed from Git, so it is removed from the cluster")
        #expect(try await reconciler.plan(desired: [trimmed], revision: nil).summary.hasChanges == false)
    }

    @Test("a field the render leaves out (replicas owned by an HPA) is left alone and is no drift")
    func unmanagedFieldsLeftAlone() async throws {
        let harness = try await EngineHarness.start()
        defer { Task { await harness.stop() } }
        let deployment = try Resource.make("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: default}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: 'nginx:1.27', resources: {requests: {cpu: 500m, memory: 1Gi}}}]}
            """)
        let reconciler = harness.reconciler("hpa")
        try await harness.sync([deployment], reconciler)
        _ = try await harness.other.patch(Self.deployment, name: "web", namespace: "default", patch: Patch(.merge, ["spec": ["replicas": 9]]),
                                          options: WriteOptions(fieldManager: "horizontal-pod-autoscaler"))
        await harness.resetAudit()
        let plan = try await reconciler.plan(desired: [deployment], revision: nil)
        #expect(plan.entries.first?.action == .unchanged)
        #expect(await harness.audit().allSatisfy { $0.verb != "apply" }, "settled without a dry run")
        try await harness.sync([deployment], reconciler)
        let live = try await harness.client.get(Self.deployment, name: "web", namespace: "default")
        #expect(live.value[path: ["spec", "replicas"]] == 9)
    }

    @Test("a Secret written with stringData (stored as base64 data) is unchanged on the next plan without a dry run; a changed value is an update")
    func secretStringDataSteadyState() async throws {
        let harness = try await EngineHarness.start(controllers: false)
        defer { Task { await harness.stop() } }
        func secret(_ password: String) throws -> Resource {
            try Resource.make("""
                apiVersion: v1
                kind: Secret
                metadata: {name: db, namespace: default}
                stringData: {password: \(password), user: admin}
                """)
        }
        let reconciler = harness.reconciler("secret")
        try await harness.sync([try secret("s3cret")], reconciler)
        let live = try await harness.client.get(GroupVersionKind(group: "", version: "v1", kind: "Secret"), name: "db", namespace: "default")
        #expect(live.value["stringData"] == nil && live.value[path: ["data", "password"]] == "czNjcmV0", "stored as the API server stores it")
        await harness.resetAudit()
        let plan = try await reconciler.plan(desired: [try secret("s3cret")], revision: nil)
        #expect(plan.entries.first?.action == .unchanged)
        #expect(await harness.audit().allSatisfy { $0.verb != "apply" }, "settled without a dry run")
        let changed = try await reconciler.plan(desired: [try secret("n3w")], revision: nil)
        #expect(changed.entries.first?.action == .update)
    }

    @Test("--wait waits for rollouts, and names the object that does not become ready")
    func waitForReadiness() async throws {
        let ready = try await EngineHarness.start()
        defer { Task { await ready.stop() } }
        let deployment = try Resource.make("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: default}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: nginx}]}
            """)
        let reconciler = ready.reconciler("wait")
        let plan = try await reconciler.plan(desired: [deployment], revision: nil)
        _ = try await reconciler.apply(plan)
        try await reconciler.waitReady(plan, timeout: .seconds(10))
        let live = try await ready.client.get(Self.deployment, name: "web", namespace: "default")
        #expect(live.value[path: ["status", "availableReplicas"]] == 2)

        let stuck = try await EngineHarness.start(controllers: false)
        defer { Task { await stuck.stop() } }
        let stuckReconciler = stuck.reconciler("wait")
        let stuckPlan = try await stuckReconciler.plan(desired: [deployment], revision: nil)
        _ = try await stuckReconciler.apply(stuckPlan)
        let error = await #expect(throws: EngineError.self) { try await stuckReconciler.waitReady(stuckPlan, timeout: .seconds(1)) }
        #expect(error?.code == .notReady)
        #expect(error?.message.contains("Deployment.apps/default/web") == true)
    }

    @Test("quantities the server canonicalises compare equal; a changed value does not")
    func quantityComparison() throws {
        #expect(LiveComparison.contains(["resources": ["limits": ["cpu": "1"]]], ["resources": ["limits": ["cpu": "1000m"]]], path: []))
        #expect(LiveComparison.contains(["resources": ["requests": ["memory": "1Gi"]]], ["resources": ["requests": ["memory": "1024Mi"]]], path: []))
        #expect(!LiveComparison.contains(["resources": ["limits": ["cpu": "1"]]], ["resources": ["limits": ["cpu": "999m"]]], path: []))
        #expect(!LiveComparison.contains(["data": ["cpu": "1"]], ["data": ["cpu": "1000m"]], path: []), "only quantity fields")
        #expect(!LiveComparison.contains(["items": [1, 2]], ["items": [1]], path: []))
    }
}
