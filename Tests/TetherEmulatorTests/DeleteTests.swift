import Foundation
import Testing
@testable import TetherEmulator

extension EmulatorSuites {
    @Suite("delete: propagation, finalizers, grace periods, preconditions", .timeLimit(.minutes(1)))
    struct DeleteTests {
        static func create(_ h: EmulatorHarness, _ ns: String, _ name: String, owners: [(String, String)] = [],
                           finalizers: [String] = []) async throws -> String {
            let refs = owners.map { #"{"apiVersion":"v1","kind":"ConfigMap","name":"\#($0.0)","uid":"\#($0.1)","blockOwnerDeletion":true}"# }
            let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","ownerReferences":[\#(refs.joined(separator: ","))],"finalizers":[\#(finalizers.map { "\"\($0)\"" }.joined(separator: ","))]}}"#
            let r = try await h.http("POST", "/api/v1/namespaces/\(ns)/configmaps", body: body)
            try #require(r.code == 201, "\(r.body)")
            let object = try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any]
            return ((object?["metadata"] as? [String: Any])?["uid"] as? String) ?? ""
        }

        static func exists(_ h: EmulatorHarness, _ ns: String, _ name: String) async throws -> Bool {
            try await h.http("GET", "/api/v1/namespaces/\(ns)/configmaps/\(name)").code == 200
        }

        static func namespace(_ h: EmulatorHarness, _ prefix: String) async throws -> String {
            let ns = EmulatorHarness.namespace(prefix)
            let r = try await h.http("POST", "/api/v1/namespaces", body: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(ns)"}}"#)
            try #require(r.code == 201)
            return ns
        }

        @Test("background deletes dependents whose only owner went; another living owner keeps a dependent; orphan keeps them all")
        func backgroundAndOrphan() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let ns = try await Self.namespace(h, "gc")
            let owner = try await Self.create(h, ns, "owner")
            let other = try await Self.create(h, ns, "other")
            _ = try await Self.create(h, ns, "child", owners: [("owner", owner)])
            _ = try await Self.create(h, ns, "shared", owners: [("owner", owner), ("other", other)])
            let grandchildOwner = try await Self.create(h, ns, "child2", owners: [("owner", owner)])
            _ = try await Self.create(h, ns, "grandchild", owners: [("child2", grandchildOwner)])
            let out = try await h.kubectl("-n", ns, "delete", "configmap", "owner")
            #expect(out.status == 0 && out.stdout.contains(#"configmap "owner" deleted"#), "\(out.stderr)")
            #expect(!(try await Self.exists(h, ns, "owner")))
            #expect(!(try await Self.exists(h, ns, "child")))
            #expect(!(try await Self.exists(h, ns, "grandchild")), "collection cascades")
            let shared = try await h.kubectl("-n", ns, "get", "configmap", "shared", "-o", "jsonpath={.metadata.ownerReferences[*].uid}")
            #expect(shared.status == 0 && shared.stdout == other, "\(shared.stdout) \(shared.stderr)")

            let parent = try await Self.create(h, ns, "parent")
            _ = try await Self.create(h, ns, "kept", owners: [("parent", parent)])
            let orphaned = try await h.kubectl("-n", ns, "delete", "configmap", "parent", "--cascade=orphan")
            #expect(orphaned.status == 0, "\(orphaned.stderr)")
            let kept = try await h.http("GET", "/api/v1/namespaces/\(ns)/configmaps/kept")
            #expect(kept.code == 200 && !kept.body.contains("ownerReferences"), "neither the field nor its managedFields entry: \(kept.body)")
        }

        @Test("foreground waits for dependents held by finalizers; no new finalizers once deleting; 202 while pending")
        func foregroundAndFinalizers() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let ns = try await Self.namespace(h, "fg")
            let owner = try await Self.create(h, ns, "owner")
            _ = try await Self.create(h, ns, "held", owners: [("owner", owner)], finalizers: ["example.com/hold"])
            _ = try await Self.create(h, ns, "free", owners: [("owner", owner)])
            var r = try await h.http("DELETE", "/api/v1/namespaces/\(ns)/configmaps/owner",
                                     body: #"{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground"}"#)
            #expect(r.code == 202 && r.body.contains(#""finalizers":["foregroundDeletion"]"#) && r.body.contains("deletionTimestamp"), "\(r.body)")
            #expect(!(try await Self.exists(h, ns, "free")))
            r = try await h.http("GET", "/api/v1/namespaces/\(ns)/configmaps/held")
            #expect(r.code == 200 && r.body.contains("deletionTimestamp"), "\(r.body)")
            #expect(try await Self.exists(h, ns, "owner"), "the owner waits for held")

            r = try await h.http("PATCH", "/api/v1/namespaces/\(ns)/configmaps/held",
                                 body: #"{"metadata":{"finalizers":["example.com/hold","example.com/more"]}}"#,
                                 contentType: "application/merge-patch+json")
            #expect(r.code == 422 && r.body.contains("no new finalizers can be added if the object is being deleted"), "\(r.body)")
            let out = try await h.kubectl("-n", ns, "patch", "configmap", "held", "--type=json", "-p", #"[{"op":"remove","path":"/metadata/finalizers"}]"#)
            #expect(out.status == 0, "\(out.stderr)")
            #expect(!(try await Self.exists(h, ns, "held")))
            #expect(!(try await Self.exists(h, ns, "owner")), "the owner goes with its last dependent")
        }

        @Test("preconditions, dryRun in the body, Status answers, delete -l and a namespace with objects in it")
        func optionsAndCollections() async throws {
            let h = try await EmulatorHarness.start()
            defer { Task { await h.stop() } }
            let ns = try await Self.namespace(h, "opts")
            let uid = try await Self.create(h, ns, "a")
            var r = try await h.http("DELETE", "/api/v1/namespaces/\(ns)/configmaps/a", body: #"{"preconditions":{"uid":"nope"}}"#)
            #expect(r.code == 409 && r.body.contains("Precondition failed: UID in precondition: nope, UID in object meta: \(uid)"), "\(r.body)")
            r = try await h.http("DELETE", "/api/v1/namespaces/\(ns)/configmaps/a", body: #"{"dryRun":["All"]}"#)
            let stillThere = try await Self.exists(h, ns, "a")
            #expect(r.code == 200 && stillThere, "\(r.body)")
            r = try await h.http("DELETE", "/api/v1/namespaces/\(ns)/configmaps/a?propagationPolicy=Sideways")
            #expect(r.code == 422 && r.body.contains(#"propagationPolicy: Unsupported value: \"Sideways\""#), "\(r.body)")
            r = try await h.http("DELETE", "/api/v1/namespaces/\(ns)/configmaps/a", body: #"{"preconditions":{"uid":"\#(uid)"}}"#)
            #expect(r.code == 200 && r.body.contains(#""status":"Success","details":{"name":"a","kind":"configmaps","uid":"\#(uid)"}"#), "\(r.body)")

            for (name, tier) in [("x", "web"), ("y", "web"), ("z", "db")] {
                r = try await h.http("POST", "/api/v1/namespaces/\(ns)/configmaps",
                                     body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","labels":{"tier":"\#(tier)"}}}"#)
            }
            var out = try await h.kubectl("-n", ns, "delete", "configmaps", "-l", "tier=web")
            #expect(out.status == 0, "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "get", "configmaps", "-o", "name")
            #expect(out.stdout == "configmap/z\n", "\(out.stdout)")
            r = try await h.http("DELETE", "/api/v1/namespaces/\(ns)/configmaps?labelSelector=tier%3Ddb")
            #expect(r.code == 200 && r.body.contains(#""kind":"ConfigMapList""#) && r.body.contains(#""name":"z""#), "deletecollection: \(r.body)")

            _ = try await Self.create(h, ns, "left")
            out = try await h.kubectl("delete", "namespace", ns)
            #expect(out.status == 0 && out.stdout.contains(#"namespace "\#(ns)" deleted"#), "\(out.stderr)")
            #expect(!(try await Self.exists(h, ns, "left")))
            out = try await h.kubectl("get", "namespace", ns)
            #expect(out.status != 0 && out.stderr.contains("NotFound"), "\(out.stderr)")
        }

        @Test("a scheduled Pod terminates for its grace period, then goes; an unscheduled one goes at once")
        func gracePeriods() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllerDelay: .milliseconds(20)))
            defer { Task { await h.stop() } }
            let ns = try await Self.namespace(h, "grace")
            for (name, node) in [("scheduled", #","nodeName":"node-1""#), ("pending", "")] {
                let r = try await h.http("POST", "/api/v1/namespaces/\(ns)/pods", body: #"""
                    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)"},"spec":{"containers":[{"name":"c","image":"busybox"}]\#(node)}}
                    """#)
                #expect(r.code == 201, "\(r.body)")
            }
            var r = try await h.http("DELETE", "/api/v1/namespaces/\(ns)/pods/scheduled?gracePeriodSeconds=1")
            #expect(r.code == 202 && r.body.contains(#""deletionGracePeriodSeconds":1"#), "\(r.body)")
            #expect(try await h.http("GET", "/api/v1/namespaces/\(ns)/pods/scheduled").code == 200, "terminating")
            r = try await h.http("DELETE", "/api/v1/namespaces/\(ns)/pods/pending")
            #expect(r.code == 200 && r.body.contains(#""kind":"Pod""#), "a Pod delete answers with the Pod: \(r.body)")
            r = try await h.http("DELETE", "/api/v1/namespaces/\(ns)/pods/scheduled?gracePeriodSeconds=-1")
            #expect(r.code == 422, "\(r.body)")
            let out = try await h.kubectl("-n", ns, "wait", "--for=delete", "pod/scheduled", "--timeout=10s")
            #expect(out.status == 0, "the grace period ends and the pod goes: \(out.stdout) \(out.stderr)")
        }
    }
}
