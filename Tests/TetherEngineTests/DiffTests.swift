import Foundation
import Testing
import TetherModel
@testable import TetherEngine
import TestSupport

/// Plan entries built by hand: no cluster is needed to test what is printed.
enum PlanFixtures {
    static let parent = ApplySetParent(name: "tether-web", namespace: "tether-system")

    static func yaml(_ text: String) -> Resource {
        // Fixtures are literals in this file; a parse failure is a bug in the test.
        try! Resource.decodeStream(text, file: "fixture.yaml")[0]
    }

    static let liveDeployment = yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: prod
          uid: 6f1c0d9e-1
          resourceVersion: "4711"
          generation: 3
          creationTimestamp: "2026-01-02T03:04:05Z"
          managedFields:
          - manager: tether
            operation: Apply
          labels:
            app: web
        spec:
          replicas: 2
          template:
            spec:
              containers:
              - name: web
                image: nginx:1.26
        status:
          readyReplicas: 2
        """)

    static let mergedDeployment = yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: prod
          uid: 6f1c0d9e-1
          resourceVersion: "4711"
          generation: 4
          labels:
            app: web
        spec:
          replicas: 3
          template:
            spec:
              containers:
              - name: web
                image: nginx:1.27
        """)

    static func deploymentUpdate() -> PlanEntry {
        PlanEntry(id: liveDeployment.id, apiVersion: "apps/v1", action: .update, desired: mergedDeployment,
                  live: liveDeployment, merged: mergedDeployment)
    }

    static func secret(_ data: [(String, String)], stringData: [(String, String)] = [],
                       lastApplied: String? = nil, resourceVersion: String? = nil) -> Resource {
        var metadata: Value = ["name": "db", "namespace": "prod"]
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        if let lastApplied {
            metadata["annotations"] = .map(OrderedMap([(SecretMask.lastAppliedAnnotation, Value.string(lastApplied))]))
        }
        var value: Value = ["apiVersion": "v1", "kind": "Secret", "metadata": metadata, "type": "Opaque"]
        if !data.isEmpty { value["data"] = .map(OrderedMap(data.map { ($0.0, Value.string($0.1)) })) }
        if !stringData.isEmpty { value["stringData"] = .map(OrderedMap(stringData.map { ($0.0, Value.string($0.1)) })) }
        return Resource(unchecked: value)
    }

    static func configMap(_ name: String, _ data: [(String, String)], namespace: String = "prod") -> Resource {
        Resource(unchecked: [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "data": .map(OrderedMap(data.map { ($0.0, Value.string($0.1)) })),
        ])
    }

    static func entry(_ action: PlannedAction, _ desired: Resource?, live: Resource? = nil, merged: Resource? = nil,
                      reason: String? = nil) -> PlanEntry {
        let object = (desired ?? live)!
        return PlanEntry(id: object.id, apiVersion: object.apiVersion, action: action, desired: desired, live: live,
                         merged: merged, reason: reason)
    }
}

@Suite("Object diff", .capturedLogs)
struct DiffTests {
    @Test("update: live against merged, without bookkeeping or status, in kubectl's layout")
    func update() throws {
        let diff = try ObjectDiff(entry: PlanFixtures.deploymentUpdate())
        #expect(diff.unified() == """
            --- live/apps.v1.Deployment.prod.web
            +++ merged/apps.v1.Deployment.prod.web
            @@ -6,9 +6,9 @@
               name: web
               namespace: prod
             spec:
            -  replicas: 2
            +  replicas: 3
               template:
                 spec:
                   containers:
            -      - image: nginx:1.26
            +      - image: nginx:1.27
                     name: web

            """)
    }

    @Test("create shows the whole merged object as added, prune the whole live object as removed")
    func createAndPrune() throws {
        let cm = PlanFixtures.configMap("settings", [("mode", "fast")])
        let create = try ObjectDiff(entry: PlanFixtures.entry(.create, cm))
        #expect(create.unified() == """
            --- live/v1.ConfigMap.prod.settings
            +++ merged/v1.ConfigMap.prod.settings
            @@ -0,0 +1,7 @@
            +apiVersion: v1
            +data:
            +  mode: fast
            +kind: ConfigMap
            +metadata:
            +  name: settings
            +  namespace: prod

            """)
        let prune = try ObjectDiff(entry: PlanFixtures.entry(.prune, nil, live: cm))
        #expect(prune.unified().hasPrefix("--- live/v1.ConfigMap.prod.settings\n+++ merged/v1.ConfigMap.prod.settings\n@@ -1,7 +0,0 @@\n-apiVersion: v1\n"))
        #expect(prune.lines.deletedCount == 7 && prune.lines.insertedCount == 0)
    }

    @Test("unchanged and skipped objects have no diff")
    func noDiff() throws {
        let cm = PlanFixtures.configMap("settings", [("mode", "fast")])
        #expect(try ObjectDiff(entry: PlanFixtures.entry(.unchanged, cm, live: cm)).unified() == "")
        #expect(try ObjectDiff(entry: PlanFixtures.entry(.skip, cm, live: cm, reason: "tether.dev/sync: disabled")).unified() == "")
    }

    @Test("file names follow kubectl diff: group.version.kind.namespace.name")
    func fileNames() throws {
        let namespace = Resource(unchecked: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "prod"]])
        #expect(try ObjectDiff(entry: PlanFixtures.entry(.create, namespace)).fileName == "v1.Namespace..prod")
        #expect(try ObjectDiff(entry: PlanFixtures.deploymentUpdate()).fileName == "apps.v1.Deployment.prod.web")
    }

    @Test("an update without a dry-run answer diffs against the desired object")
    func updateWithoutMerged() throws {
        var entry = PlanFixtures.deploymentUpdate()
        entry.merged = nil
        #expect(try ObjectDiff(entry: entry).lines == ObjectDiff(entry: PlanFixtures.deploymentUpdate()).lines)
    }

    // MARK: Secrets

    static let password = "cGFzc3dvcmQtaHVudGVyMi1zM2NyZXQ="  // base64 of a password
    static let newPassword = "bmV3LXBhc3N3b3JkLXRvcC1zZWNyZXQ="
    static let apiKey = "a2V5LTEyMzQ1Njc4OTA="
    static let plainToken = "plain-token-value-7731"
    static let secretValues = [password, newPassword, apiKey, plainToken, "hunter2-stringdata"]

    @Test("Secret values are masked; a changed key shows as before and after")
    func secretChangedKey() throws {
        let live = PlanFixtures.secret([("password", Self.password), ("apiKey", Self.apiKey)], resourceVersion: "9")
        let merged = PlanFixtures.secret([("password", Self.newPassword), ("apiKey", Self.apiKey), ("token", Self.plainToken)],
                                         resourceVersion: "9")
        let text = try ObjectDiff(entry: PlanFixtures.entry(.update, merged, live: live, merged: merged)).unified()
        #expect(text == """
            --- live/v1.Secret.prod.db
            +++ merged/v1.Secret.prod.db
            @@ -1,7 +1,8 @@
             apiVersion: v1
             data:
               apiKey: '***'
            -  password: '*** (before)'
            +  password: '*** (after)'
            +  token: '***'
             kind: Secret
             metadata:
               name: db

            """)
        for value in Self.secretValues { #expect(!text.contains(value)) }
    }

    @Test("Secret stringData and the last-applied annotation are masked on create, update and prune")
    func secretEverywhere() throws {
        let lastApplied = #"{"apiVersion":"v1","data":{"password":"\#(Self.password)"},"kind":"Secret","stringData":{"token":"hunter2-stringdata"}}"#
        let live = PlanFixtures.secret([("password", Self.password)], lastApplied: lastApplied)
        let changedLastApplied = lastApplied.replacingOccurrences(of: Self.password, with: Self.newPassword)
        let desired = PlanFixtures.secret([("password", Self.newPassword)], stringData: [("token", "hunter2-stringdata")],
                                          lastApplied: changedLastApplied)
        let entries = [
            PlanFixtures.entry(.create, desired),
            PlanFixtures.entry(.update, desired, live: live, merged: desired),
            PlanFixtures.entry(.prune, nil, live: live),
        ]
        for entry in entries {
            let text = try ObjectDiff(entry: entry).unified()
            #expect(!text.isEmpty)
            for value in Self.secretValues { #expect(!text.contains(value), "\(entry.action) shows a secret value") }
            #expect(!text.contains("hunter2"))
        }
        let update = try ObjectDiff(entry: entries[1]).unified()
        #expect(update.contains("-    kubectl.kubernetes.io/last-applied-configuration: '*** (before)'"))
        #expect(update.contains("+    kubectl.kubernetes.io/last-applied-configuration: '*** (after)'"))
        #expect(update.contains("+stringData:\n+  token: '***'\n"))
    }

    @Test("an unchanged Secret value shows as *** on both sides, so it is not a change")
    func secretUnchangedValue() throws {
        let live = PlanFixtures.secret([("password", Self.password)])
        var merged = live
        merged.setLabel("team", "db")
        let diff = try ObjectDiff(entry: PlanFixtures.entry(.update, merged, live: live, merged: merged))
        #expect(diff.lines.deletedCount == 0)
        #expect(diff.lines.insertedCount == 2)
        #expect(!diff.unified().contains(Self.password))
    }

    @Test("a Secret whose data is not a map is still hidden")
    func malformedSecret() throws {
        var live = PlanFixtures.secret([])
        live.value["data"] = .string(Self.password)
        var merged = live
        merged.value["data"] = .list([.string(Self.newPassword)])
        let text = try ObjectDiff(entry: PlanFixtures.entry(.update, merged, live: live, merged: merged)).unified()
        #expect(text.contains("-data: '*** (before)'\n+data: '*** (after)'\n"))
        for value in Self.secretValues { #expect(!text.contains(value)) }
    }

    @Test("ConfigMaps and Secrets in other groups are not masked")
    func onlyCoreSecrets() throws {
        let cm = PlanFixtures.configMap("settings", [("password", "visible")])
        #expect(try ObjectDiff(entry: PlanFixtures.entry(.create, cm)).unified().contains("+  password: visible"))
        let sealed = Resource(unchecked: ["apiVersion": "bitnami.com/v1alpha1", "kind": "Secret",
                                          "metadata": ["name": "s", "namespace": "prod"], "data": ["k": "encrypted-blob"]])
        #expect(try ObjectDiff(entry: PlanFixtures.entry(.create, sealed)).unified().contains("encrypted-blob"))
    }

    @Test("coloured object diff keeps the masked text")
    func colouredSecret() throws {
        let live = PlanFixtures.secret([("password", Self.password)])
        let merged = PlanFixtures.secret([("password", Self.newPassword)])
        let text = try ObjectDiff(entry: PlanFixtures.entry(.update, merged, live: live, merged: merged))
            .unified(format: DiffFormat(color: true))
        #expect(text.contains("\u{1B}[31m-  password: '*** (before)'\u{1B}[0m\n"))
        #expect(text.contains("\u{1B}[32m+  password: '*** (after)'\u{1B}[0m\n"))
        for value in Self.secretValues { #expect(!text.contains(value)) }
    }
}
