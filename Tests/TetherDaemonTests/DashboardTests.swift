import Foundation
import Testing
import TetherEngine
import TetherModel
@testable import TetherDaemon
import TestSupport

@Suite("Dashboard: history, drift log, access rules, HTML escaping and masked diffs", .capturedLogs)
struct DashboardTests {
    static func dashboard(_ recorder: DashboardRecorder, desired: [ResourceID: PlanEntry] = [:], actions: Bool = false,
                          token: String? = nil) -> Dashboard {
        Dashboard(target: .init(name: "shop<prod>", source: "https://git.example/repo", ref: "main", path: "overlays/aws",
                                parent: "ConfigMap/tether-system/tether-shop"),
                  recorder: recorder, fieldManager: "tether", access: DashboardAccess(actionsEnabled: actions, bearerToken: token),
                  trigger: { _ in }, liveView: { (desired, nil) })
    }

    static let deployment = ResourceID(group: "apps", kind: "Deployment", namespace: "shop", name: "web")

    @Test("a sync that planned changes enters the history with counts and diffs; an already-applied poll does not")
    func history() {
        let recorder = DashboardRecorder()
        recorder.syncStarted(SyncTrigger(.startup), at: Date())
        let desired = Resource(unchecked: ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "shop"],
                                           "spec": ["replicas": 2]])
        recorder.planned(Plan(revision: "abc", applySet: ApplySetParent(name: "tether-shop", namespace: "tether-system"),
                              entries: [PlanEntry(id: Self.deployment, apiVersion: "apps/v1", action: .create, desired: desired, merged: desired)]))
        recorder.syncFinished(SyncTrigger(.startup), outcome: .succeeded(revision: "abc", objects: [.init(id: Self.deployment.description, state: "created")]),
                              duration: .milliseconds(120))
        recorder.syncStarted(SyncTrigger(.poll), at: Date())
        recorder.syncFinished(SyncTrigger(.poll), outcome: .succeeded(revision: "abc", objects: [.init(id: Self.deployment.description, state: "created")]),
                              duration: .milliseconds(1))
        let history = recorder.history
        #expect(history.count == 1)
        #expect(history.first?.counts["created"] == 1)
        #expect(history.first?.changes.first?.id == Self.deployment)
        #expect(recorder.diff(sync: 1, id: Self.deployment)?.contains("+  replicas: 2") == true)
        let document = Self.dashboard(recorder).historyDocument()
        #expect(document["items"]?.listValue?.first?["changes"]?.listValue?.first?["diffURL"]?.stringValue?.hasSuffix("?sync=1") == true)
    }

    @Test("a failed sync is listed with its error and makes the target failed")
    func failure() {
        let recorder = DashboardRecorder()
        recorder.syncStarted(SyncTrigger(.poll), at: Date())
        recorder.syncFinished(SyncTrigger(.poll), outcome: .failed("fetch failed: host unreachable"), duration: .milliseconds(5))
        let summary = Self.dashboard(recorder).summaryDocument()
        #expect(summary["syncState"]?.stringValue == "failed")
        #expect(summary["syncError"]?.stringValue == "fetch failed: host unreachable")
    }

    @Test("drift is one event from detection to correction, and a change wakes the event streams")
    func drift() async {
        let recorder = DashboardRecorder()
        let stream = recorder.changes()
        recorder.driftDetected(Self.deployment, what: "changed", policy: .correct)
        recorder.driftDetected(Self.deployment, what: "changed", policy: .correct)
        recorder.driftCorrected(Self.deployment, what: "changed", failure: nil)
        #expect(recorder.driftEvents.count == 1)
        #expect(recorder.driftEvents.first?.state == .corrected)
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == recorder.sequence)
        recorder.finishStreams()
    }

    @Test("actions: off without --ui-actions; bearer token or same-origin CSRF token")
    func access() {
        let off = DashboardAccess(actionsEnabled: false, bearerToken: "t0ken")
        #expect(off.refusal(authorization: "Bearer t0ken", csrf: nil, origin: nil, host: nil, fetchSite: nil) != nil)
        let on = DashboardAccess(actionsEnabled: true, bearerToken: "t0ken")
        #expect(on.refusal(authorization: "Bearer t0ken", csrf: nil, origin: nil, host: nil, fetchSite: nil) == nil)
        #expect(on.refusal(authorization: "Bearer wrong", csrf: nil, origin: nil, host: nil, fetchSite: nil) != nil)
        #expect(on.refusal(authorization: nil, csrf: on.csrfToken, origin: "http://127.0.0.1:9090", host: "127.0.0.1:9090", fetchSite: "same-origin") == nil)
        #expect(on.refusal(authorization: nil, csrf: on.csrfToken, origin: "http://evil.example", host: "127.0.0.1:9090", fetchSite: nil) != nil)
        #expect(on.refusal(authorization: nil, csrf: on.csrfToken, origin: nil, host: "127.0.0.1:9090", fetchSite: nil) != nil)
        #expect(on.refusal(authorization: nil, csrf: "0000", origin: "http://127.0.0.1:9090", host: "127.0.0.1:9090", fetchSite: nil) != nil)
        #expect(on.refusal(authorization: nil, csrf: nil, origin: "http://127.0.0.1:9090", host: "127.0.0.1:9090", fetchSite: nil) != nil)
    }

    @Test("pages escape every text they show, and show the buttons only with --ui-actions")
    func escaping() {
        let recorder = DashboardRecorder()
        recorder.syncStarted(SyncTrigger(.poll), at: Date())
        recorder.syncFinished(SyncTrigger(.poll), outcome: .failed("<script>alert(1)</script>"), duration: .milliseconds(5))
        let page = Self.dashboard(recorder).targetPage()
        #expect(!page.contains("<script>alert(1)"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("shop&lt;prod&gt;"))
        #expect(!page.contains("<form"))
        let withActions = Self.dashboard(recorder, actions: true)
        #expect(withActions.targetPage().contains("name=\"csrf\" value=\"\(withActions.access.csrfToken)\""))
        #expect(HTML.escape("a\"b'c&") == "a&quot;b&#39;c&amp;")
    }

    @Test("a Secret's diff masks its values, as tether diff does")
    func maskedDiff() {
        let id = ResourceID(group: "", kind: "Secret", namespace: "shop", name: "db")
        let rendered = Resource(unchecked: ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "shop"],
                                            "data": ["password": "aHVudGVyMg=="]])
        let live = Resource(unchecked: ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "shop"],
                                        "data": ["password": "c3dvcmRmaXNo"]])
        let entry = PlanEntry(id: id, apiVersion: "v1", action: .unchanged, desired: rendered)
        let text = Dashboard.liveDiff(entry: entry, rendered: rendered, live: live)
        #expect(!text.isEmpty)
        #expect(!text.contains("aHVudGVyMg=="))
        #expect(!text.contains("c3dvcmRmaXNo"))
    }
}
