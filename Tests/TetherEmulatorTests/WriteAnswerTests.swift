import Foundation
import Testing
import TetherModel
@testable import TetherEmulator
import TestSupport

/// The write answers cut from the stored list items, and the hand-rolled
/// timestamp, must give exactly the bytes and text the generic code did.
@Suite("write answers: bytes reused from the stored encoding, timestamps", .capturedLogs)
struct WriteAnswerTests {
    static func type(_ store: ObjectStore, _ group: String, _ version: String, _ plural: String) async throws -> ResourceType {
        try #require(await store.registry.type(group: group, version: version, plural: plural))
    }

    static func parse(_ json: String) throws -> Value {
        try JSONParsing().value(from: Array(json.utf8))
    }

    /// Checks that an answer's bytes, when it has any, are the object's encoding, and
    /// that it has them exactly when expected.
    static func check(_ answer: WriteAnswer, reused: Bool, _ comment: Comment) throws {
        #expect((answer.json != nil) == reused, comment)
        if let json = answer.json {
            let encoded = try JSONEncoding().bytes(answer.object)
            #expect(String(decoding: json, as: UTF8.self) == String(decoding: encoded, as: UTF8.self), comment)
        }
    }

    @Test("apply and create answers are byte for byte the object's encoding: create, no-op, change, dry run, cluster-scoped, status")
    func answersMatchEncoding() async throws {
        let store = ObjectStore()
        let configMaps = try await Self.type(store, "", "v1", "configmaps")
        let config = try Self.parse(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"default","labels":{"x":"é\"1"}},"data":{"k":"v\n"}}"#)
        var (answer, created) = try await store.applyAnswer(configMaps, namespace: "default", name: "a", config: config,
                                                            manager: "m", force: false, dryRun: false)
        #expect(created)
        try Self.check(answer, reused: true, "apply create")
        (answer, created) = try await store.applyAnswer(configMaps, namespace: "default", name: "a", config: config,
                                                        manager: "m", force: false, dryRun: false)
        #expect(!created)
        try Self.check(answer, reused: true, "apply no-op")
        var changed = config
        changed[at: ["data", "k"]] = "w"
        (answer, _) = try await store.applyAnswer(configMaps, namespace: "default", name: "a", config: changed,
                                                  manager: "other", force: true, dryRun: false)
        try Self.check(answer, reused: true, "apply change by a second manager")
        changed[at: ["data", "k"]] = "dry"
        (answer, _) = try await store.applyAnswer(configMaps, namespace: "default", name: "a", config: changed,
                                                  manager: "m", force: true, dryRun: true)
        try Self.check(answer, reused: false, "apply dry run")
        #expect(answer.object[path: ["data", "k"]] == "dry")
        (answer, created) = try await store.applyAnswer(configMaps, namespace: "default", name: "b", config: [:],
                                                        manager: "m", force: false, dryRun: true)
        try Self.check(answer, reused: false, "apply create dry run")

        let empty = try Self.parse(#"{"metadata":{"name":"empty","namespace":"default"}}"#)
        answer = try await store.createAnswer(configMaps, namespace: "default", body: empty, dryRun: false, manager: "m")
        try Self.check(answer, reused: true, "create")

        let namespaces = try await Self.type(store, "", "v1", "namespaces")
        (answer, _) = try await store.applyAnswer(namespaces, namespace: "", name: "ns1",
                                                  config: try Self.parse(#"{"metadata":{"name":"ns1"}}"#),
                                                  manager: "m", force: false, dryRun: false)
        try Self.check(answer, reused: true, "cluster-scoped apply")

        let deployments = try await Self.type(store, "apps", "v1", "deployments")
        let deployment = try Self.parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"ns1"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1"}]}}}}
            """)
        (answer, _) = try await store.applyAnswer(deployments, namespace: "ns1", name: "web", config: deployment,
                                                  manager: "m", force: false, dryRun: false)
        try Self.check(answer, reused: true, "deployment apply")
        #expect(answer.object[path: ["metadata", "generation"]] == 1)
    }

    @Test("a custom resource's answer is encoded as before")
    func customResourcesEncode() async throws {
        let store = ObjectStore()
        let crds = try await Self.type(store, "apiextensions.k8s.io", "v1", "customresourcedefinitions")
        let crd = try Self.parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
             "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"widgets","singular":"widget","kind":"Widget"},
                     "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
            """)
        var (answer, _) = try await store.applyAnswer(crds, namespace: "", name: "widgets.example.com", config: crd,
                                                      manager: "m", force: false, dryRun: false)
        try Self.check(answer, reused: true, "CRD apply")
        let widgets = try await Self.type(store, "example.com", "v1", "widgets")
        (answer, _) = try await store.applyAnswer(widgets, namespace: "default", name: "w",
                                                  config: try Self.parse(#"{"apiVersion":"example.com/v1","kind":"Widget","spec":{"size":1}}"#),
                                                  manager: "m", force: false, dryRun: false)
        try Self.check(answer, reused: false, "custom resource apply")
    }

    @Test("the emulator's timestamps are Date.ISO8601Format()'s text")
    func timestampsMatchFoundation() {
        var generator = SplitMix64(seed: 6)
        var dates = [0, 951_782_400, 951_868_799.999, 1_709_164_800.5, 1_735_689_599.9, 1_735_689_600, 4_102_444_800,
                     253_402_300_799].map(Date.init(timeIntervalSince1970:))
        dates += (0..<2000).map { _ in Date(timeIntervalSince1970: generator.unit() * 4_200_000_000) }
        dates.append(Date())
        for date in dates {
            #expect(FieldManager.timestamp(date) == date.ISO8601Format(), "\(date.timeIntervalSince1970)")
        }
    }
}
