import Foundation
import Testing
import TetherModel
@testable import TetherEngine
import TestSupport

@Suite("Plan and sync reports", .capturedLogs)
struct ReportTests {
    /// create a ConfigMap, update the Deployment and a Secret, prune a ConfigMap, leave one
    /// unchanged and skip one.
    static func samplePlan(revision: String? = "3f2a9c1d0e") -> Plan {
        let secretLive = PlanFixtures.secret([("password", DiffTests.password)], resourceVersion: "12")
        let secretMerged = PlanFixtures.secret([("password", DiffTests.newPassword)], resourceVersion: "12")
        let unchanged = PlanFixtures.configMap("stable", [("a", "1")])
        let skipped = PlanFixtures.configMap("manual", [("owner", "ops|team <ops@example.com>")])
        return Plan(revision: revision, applySet: PlanFixtures.parent, entries: [
            PlanFixtures.entry(.create, PlanFixtures.configMap("settings-7h2k", [("mode", "fast")])),
            PlanFixtures.entry(.update, secretMerged, live: secretLive, merged: secretMerged),
            PlanFixtures.deploymentUpdate(),
            PlanFixtures.entry(.unchanged, unchanged, live: unchanged),
            PlanFixtures.entry(.skip, skipped, live: skipped, reason: "annotated tether.dev/sync: disabled | by *ops*"),
            PlanFixtures.entry(.prune, nil, live: PlanFixtures.configMap("settings-old1", [("mode", "slow")])),
        ])
    }

    @Test("text: diffs in plan order, skips with their reason, then the summary line")
    func text() throws {
        let text = try PlanReport(plan: Self.samplePlan()).text()
        let headers = text.split(separator: "\n").filter { $0.hasPrefix("--- ") }
        #expect(headers == ["--- live/v1.ConfigMap.prod.settings-7h2k", "--- live/v1.Secret.prod.db",
                            "--- live/apps.v1.Deployment.prod.web", "--- live/v1.ConfigMap.prod.settings-old1"])
        #expect(text.contains("ConfigMap/prod/manual skipped: annotated tether.dev/sync: disabled | by *ops*\n"))
        #expect(text.hasSuffix("\n1 to create, 2 to update, 1 to prune, 1 unchanged, 1 skipped\n"))
        #expect(!text.contains("stable"))
        for value in DiffTests.secretValues { #expect(!text.contains(value)) }
    }

    @Test("text for a plan in sync is only the summary")
    func inSync() throws {
        let cm = PlanFixtures.configMap("stable", [("a", "1")])
        let plan = Plan(revision: nil, applySet: PlanFixtures.parent, entries: [PlanFixtures.entry(.unchanged, cm, live: cm)])
        #expect(try PlanReport(plan: plan).text() == "0 to create, 0 to update, 0 to prune, 1 unchanged\n")
    }

    @Test("JSON: revision, ApplySet, each object with action, reason and diff, and the summary")
    func json() throws {
        let report = try PlanReport(plan: Self.samplePlan())
        let text = report.json()
        let document = try JSONParsing().value(from: text)
        #expect(document["revision"] == "3f2a9c1d0e")
        #expect(document[path: ["applySet", "parent"]] == "ConfigMap/tether-system/tether-web")
        #expect(document[path: ["applySet", "id"]]?.stringValue == PlanFixtures.parent.applySetID)
        let objects = try #require(document["objects"]?.listValue)
        #expect(objects.map { $0["action"]?.stringValue } == ["create", "update", "update", "unchanged", "skip", "prune"])
        #expect(objects[2]["id"] == "Deployment.apps/prod/web")
        #expect(objects[2]["apiVersion"] == "apps/v1")
        #expect(objects[2]["diff"]?.stringValue == report.diffs[2].unified())
        #expect(objects[3]["diff"] == "")
        #expect(objects[4]["reason"] == "annotated tether.dev/sync: disabled | by *ops*")
        #expect(objects[0]["reason"] == nil)
        #expect(document[path: ["summary", "create"]] == 1)
        #expect(document[path: ["summary", "update"]] == 2)
        #expect(document[path: ["summary", "hasChanges"]] == true)
        #expect(document[path: ["summary", "text"]] == "1 to create, 2 to update, 1 to prune, 1 unchanged, 1 skipped")
        for value in DiffTests.secretValues { #expect(!text.contains(value)) }
    }

    @Test("JSON revision is null when unknown")
    func jsonNoRevision() throws {
        let document = try JSONParsing().value(from: PlanReport(plan: Self.samplePlan(revision: nil)).json())
        #expect(document["revision"] == .null)
    }

    @Test("Markdown: summary table, a row per object that is not unchanged, collapsible diffs")
    func markdown() throws {
        let text = try PlanReport(plan: Self.samplePlan()).markdown()
        #expect(text.hasPrefix("""
            ### Tether plan: 1 to create, 2 to update, 1 to prune, 1 unchanged, 1 skipped

            Revision `3f2a9c1d0e` · ApplySet `ConfigMap/tether-system/tether-web`

            | create | update | prune | unchanged | skipped |
            | ---: | ---: | ---: | ---: | ---: |
            | 1 | 2 | 1 | 1 | 1 |

            | object | action | note |
            | --- | --- | --- |
            | ConfigMap/prod/settings-7h2k | create |  |
            | Secret/prod/db | update |  |
            | Deployment.apps/prod/web | update |  |
            | ConfigMap/prod/manual | skip | annotated tether.dev/sync: disabled \\| by \\*ops\\* |
            | ConfigMap/prod/settings-old1 | prune |  |

            <details><summary>ConfigMap/prod/settings-7h2k — create</summary>

            ```diff
            --- live/v1.ConfigMap.prod.settings-7h2k
            +++ merged/v1.ConfigMap.prod.settings-7h2k
            @@ -0,0 +1,7 @@
            """))
        #expect(text.components(separatedBy: "<details>").count == 5)
        #expect(text.components(separatedBy: "</details>").count == 5)
        #expect(text.contains("<details><summary>ConfigMap/prod/settings-old1 — prune</summary>"))
        #expect(!text.contains("stable"))
        #expect(!text.contains("\u{1B}"))
        for value in DiffTests.secretValues { #expect(!text.contains(value)) }
    }

    @Test("Markdown fences grow past backticks in the diff, summaries escape HTML")
    func markdownEscaping() throws {
        let cm = PlanFixtures.configMap("script", [("run.sh", "echo ```not a fence``` & <b>x</b>\n")])
        let plan = Plan(revision: "`odd`", applySet: PlanFixtures.parent, entries: [PlanFixtures.entry(.create, cm)])
        let text = try PlanReport(plan: plan).markdown()
        #expect(text.contains("\n````diff\n"))
        #expect(text.contains("\n````\n\n</details>"))
        #expect(text.contains("Revision `` `odd` ``"))
        #expect(HTML.escape("a<b>&\"c\"") == "a&lt;b&gt;&amp;&quot;c&quot;")
        #expect(Markdown.cell("x|y\nz<w>") == "x\\|y z&lt;w&gt;")
    }

    @Test("Markdown leaves out diffs beyond the size limit and says how many")
    func markdownLimit() throws {
        var entries: [PlanEntry] = []
        for index in 0..<40 {
            let data = (0..<40).map { ("key\($0)", "value \($0) of object \(index)") }
            entries.append(PlanFixtures.entry(.create, PlanFixtures.configMap("cm-\(index)", data)))
        }
        let plan = Plan(revision: nil, applySet: PlanFixtures.parent, entries: entries)
        let text = try PlanReport(plan: plan).markdown(options: MarkdownOptions(maxLength: 20_000))
        #expect(text.utf8.count <= 20_000)
        let shown = text.components(separatedBy: "<details>").count - 1
        #expect(shown > 0 && shown < 40)
        #expect(text.contains("_The diffs of \(40 - shown) more objects are left out"))
        #expect(text.contains("| ConfigMap/prod/cm-39 | create |  |"))
    }

    @Test("Markdown for a plan in sync says so")
    func markdownInSync() throws {
        let cm = PlanFixtures.configMap("stable", [("a", "1")])
        let plan = Plan(revision: nil, applySet: PlanFixtures.parent, entries: [PlanFixtures.entry(.unchanged, cm, live: cm)])
        let text = try PlanReport(plan: plan).markdown()
        #expect(text.hasSuffix("No changes: the cluster matches the revision.\n"))
        #expect(!text.contains("<details>"))
    }

    @Test("rendered(as:) picks the format; colour only applies to text")
    func formats() throws {
        let report = try PlanReport(plan: Self.samplePlan())
        #expect(report.rendered(as: .text) == report.text())
        #expect(report.rendered(as: .json, diffFormat: DiffFormat(color: true)) == report.json())
        #expect(report.rendered(as: .markdown, diffFormat: DiffFormat(color: true)) == report.markdown())
        #expect(report.rendered(as: .text, diffFormat: DiffFormat(color: true)).contains("\u{1B}[32m+"))
        #expect(ReportFormat(rawValue: "markdown") == .markdown)
    }

    // MARK: Sync report

    static func sampleSync() -> SyncReport {
        let web = PlanFixtures.liveDeployment.id
        return SyncReport(
            revision: "3f2a9c1d0e", applySet: PlanFixtures.parent.id,
            objects: [
                .init(id: ResourceID(group: "", kind: "ConfigMap", namespace: "prod", name: "settings-7h2k"), apiVersion: "v1",
                      action: .create, outcome: .created, duration: .milliseconds(42)),
                .init(id: web, apiVersion: "apps/v1", action: .update,
                      outcome: .conflicted([.init(manager: "kubectl-edit", field: ".spec.replicas"),
                                            .init(manager: "hpa", field: ".spec.template.spec.containers[name=\"web\"].image")]),
                      duration: .milliseconds(7)),
                .init(id: ResourceID(group: "", kind: "Service", namespace: "prod", name: "web"), apiVersion: "v1",
                      action: .update, outcome: .failed(message: "422 Invalid: spec.ports[0].port: must be\nbetween 1 and 65535"),
                      duration: .microseconds(1500)),
                .init(id: ResourceID(group: "", kind: "ConfigMap", namespace: "prod", name: "stable"), apiVersion: "v1",
                      action: .unchanged, outcome: .unchanged),
                .init(id: ResourceID(group: "", kind: "ConfigMap", namespace: "prod", name: "manual"), apiVersion: "v1",
                      action: .skip, outcome: .skipped(reason: "tether.dev/sync: disabled")),
                .init(id: ResourceID(group: "", kind: "ConfigMap", namespace: "prod", name: "settings-old1"), apiVersion: "v1",
                      action: .prune, outcome: .pruned, duration: .milliseconds(1250)),
            ],
            phases: [.init(name: "render", duration: .milliseconds(12)), .init(name: "apply", duration: .milliseconds(60))],
            duration: .milliseconds(83_400))
    }

    @Test("the applier's SyncResult converts, conflict causes split into manager and field")
    func fromSyncResult() {
        let web = PlanFixtures.liveDeployment.id
        let result = SyncResult(revision: "abc", applySet: PlanFixtures.parent.id, results: [
            ObjectResult(id: web, apiVersion: "apps/v1", action: .update, outcome: .conflicted,
                         message: "Apply failed with 1 conflict", conflicts: [
                             #".spec.replicas: conflict with "kubectl-edit" using apps/v1"#,
                             #".spec.paused: conflict with "hpa" with subresource "scale" using apps/v1"#,
                             "an unexpected cause",
                         ], duration: .milliseconds(3)),
            ObjectResult(id: web, apiVersion: "apps/v1", action: .update, outcome: .configured),
            ObjectResult(id: web, apiVersion: "apps/v1", action: .create, outcome: .created),
            ObjectResult(id: web, apiVersion: "apps/v1", action: .skip, outcome: .skipped, message: "tether.dev/sync: disabled"),
            ObjectResult(id: web, apiVersion: "apps/v1", action: .update, outcome: .failed, message: "422 Invalid"),
            ObjectResult(id: web, apiVersion: "apps/v1", action: .prune, outcome: .pruned),
            ObjectResult(id: web, apiVersion: "apps/v1", action: .unchanged, outcome: .unchanged),
        ], prunePending: 2, duration: .seconds(2), pruneDuration: .milliseconds(500))
        let report = SyncReport(result, before: [.init(name: "render", duration: .milliseconds(250))],
                                after: [.init(name: "wait", duration: .milliseconds(250))])
        // Stages: the ones given, and apply and prune split from the result's duration.
        #expect(report.phases == [.init(name: "render", duration: .milliseconds(250)), .init(name: "apply", duration: .milliseconds(1500)),
                                  .init(name: "prune", duration: .milliseconds(500)), .init(name: "wait", duration: .milliseconds(250))])
        #expect(report.duration == .milliseconds(2500))
        #expect(report.objects.map(\.outcome) == [
            .conflicted([.init(manager: "kubectl-edit", field: ".spec.replicas"), .init(manager: "hpa", field: ".spec.paused"),
                         .init(manager: "", field: "an unexpected cause")]),
            .configured, .created, .skipped(reason: "tether.dev/sync: disabled"), .failed(message: "422 Invalid"),
            .pruned, .unchanged,
        ])
        #expect(report.objects[0].duration == .milliseconds(3))
        #expect(report.revision == "abc" && report.applySet == PlanFixtures.parent.id)
        // Every outcome the applier can report maps to one of the report's names.
        #expect(Set(report.objects.map(\.outcome.name)) == Set(ObjectOutcome.allCasesForReport.map(\.rawValue)))
        let text = report.text()
        #expect(text.contains(#"Deployment.apps/prod/web conflicted: .spec.replicas is owned by "kubectl-edit"; .spec.paused is owned by "hpa"; an unexpected cause (--force-conflicts takes ownership)"#))
        #expect(text.hasSuffix("1 created, 1 configured, 1 pruned, 1 unchanged, 1 skipped, 1 failed, 1 with conflicts, 2 to prune (pass --prune) in 2.50s\n"))
        #expect(report.hasFailures)
    }

    @Test("sync text: a line per object that was not unchanged, conflicts with manager and field, the summary")
    func syncText() {
        #expect(Self.sampleSync().text() == """
            ConfigMap/prod/settings-7h2k created (42ms)
            Deployment.apps/prod/web conflicted: .spec.replicas is owned by "kubectl-edit"; .spec.template.spec.containers[name="web"].image is owned by "hpa" (--force-conflicts takes ownership)
            Service/prod/web failed: 422 Invalid: spec.ports[0].port: must be between 1 and 65535
            ConfigMap/prod/manual skipped: tether.dev/sync: disabled
            ConfigMap/prod/settings-old1 pruned (1.25s)
            1 created, 0 configured, 1 pruned, 1 unchanged, 1 skipped, 1 failed, 1 with conflicts in 1m23s

            """)
    }

    @Test("sync JSON: results, conflicts, messages, durations, summary")
    func syncJSON() throws {
        let report = Self.sampleSync()
        #expect(report.hasFailures)
        let document = try JSONParsing().value(from: report.json())
        let objects = try #require(document["objects"]?.listValue)
        #expect(objects.map { $0["result"]?.stringValue } == ["created", "conflicted", "failed", "unchanged", "skipped", "pruned"])
        #expect(objects[1][path: ["conflicts"]] == [["manager": "kubectl-edit", "field": ".spec.replicas"],
                                                    ["manager": "hpa", "field": ".spec.template.spec.containers[name=\"web\"].image"]])
        #expect(objects[2]["message"] == "422 Invalid: spec.ports[0].port: must be\nbetween 1 and 65535")
        #expect(objects[2]["durationMs"] == .float(1.5))
        #expect(objects[0]["durationMs"] == 42)
        #expect(objects[4]["reason"] == "tether.dev/sync: disabled")
        #expect(objects[5]["action"] == "prune")
        #expect(document["phases"] == [["name": "render", "durationMs": 12], ["name": "apply", "durationMs": 60]])
        #expect(document["durationMs"] == 83_400)
        #expect(document["revision"] == "3f2a9c1d0e")
        #expect(document["applySet"] == "ConfigMap/tether-system/tether-web")
        #expect(document["error"] == .null)
        #expect(document[path: ["summary", "success"]] == false)
        #expect(document[path: ["summary", "conflicts"]] == 1)
    }

    @Test("a clean sync succeeds; a stopped one reports why")
    func syncSuccessAndStop() throws {
        var report = SyncReport(revision: nil, objects: [
            .init(id: ResourceID(group: "", kind: "ConfigMap", namespace: "prod", name: "a"), apiVersion: "v1",
                  action: .unchanged, outcome: .unchanged),
        ], duration: .milliseconds(950))
        #expect(!report.hasFailures)
        #expect(report.text() == "0 created, 0 configured, 0 pruned, 1 unchanged in 950ms\n")
        report.error = "prune refused: 60 objects is more than --max-prune 50"
        #expect(report.hasFailures)
        #expect(report.text() == "sync stopped: prune refused: 60 objects is more than --max-prune 50\n0 created, 0 configured, 0 pruned, 1 unchanged in 950ms\n")
        let document = try JSONParsing().value(from: report.json())
        #expect(document["error"] == "prune refused: 60 objects is more than --max-prune 50")
        #expect(document[path: ["summary", "success"]] == false)
    }

    @Test("durations read well", arguments: [
        (Duration.zero, "0ms"), (.milliseconds(999), "999ms"), (.milliseconds(1000), "1.00s"),
        (.milliseconds(1234), "1.23s"), (.milliseconds(59_996), "60.00s"), (.seconds(125), "2m05s"),
    ])
    func durations(_ duration: Duration, _ expected: String) {
        #expect(SyncReport.humanDuration(duration) == expected)
    }
}

extension ObjectOutcome {
    /// Every case, listed here so a new case fails the conversion test until it is mapped.
    static let allCasesForReport: [ObjectOutcome] = [.created, .configured, .unchanged, .pruned, .skipped, .failed, .conflicted]
}
