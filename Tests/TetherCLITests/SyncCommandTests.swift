import Foundation
import Testing

/// `tether sync` and `tether diff` end to end: the built binary against `tether emulator`
/// running as its own process, with kubectl as the independent actor.
@Suite("tether sync and diff against the emulator", .serialized, .timeLimit(.minutes(3)))
struct SyncCommandTests {
    /// A `tether emulator` process on a free port, with extra flags (faults) when given.
    final class Emulator {
        let process = Process()
        let address: String

        init(_ arguments: [String] = []) throws {
            process.executableURL = CLI.executable
            process.arguments = ["emulator", "--listen", "127.0.0.1:0"] + arguments
            let text = try CLI.startReadingFirstLine(process)
            guard let range = text.range(of: "http://") else { throw CLIError("emulator did not start: \(text)") }
            address = String(text[range.upperBound...].prefix { !$0.isWhitespace })
        }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }

        var url: String { "http://" + address }

        /// The emulator's request audit (`GET /_emulator/audit`).
        func audit() throws -> [[String: Any]] {
            let data = Data(try CLI.run(URL(fileURLWithPath: "/usr/bin/curl"), ["-sf", url + "/_emulator/audit"]).stdout.utf8)
            let object = try JSONSerialization.jsonObject(with: data)
            if let list = object as? [[String: Any]] { return list }
            return (object as? [String: Any])?["items"] as? [[String: Any]] ?? []
        }

        func resetAudit() throws {
            _ = try CLI.run(URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "-X", "DELETE", url + "/_emulator/audit"])
        }

        func kubectl(_ arguments: [String], stdin: String? = nil) throws -> CLI.Output {
            guard let kubectl = CLI.kubectl else { throw CLIError("kubectl is not on PATH") }
            return try CLI.run(kubectl, ["--server", url] + arguments, stdin: stdin)
        }

        /// Replaces the fault plan (`PUT /_emulator/faults`); `nil` clears it.
        func setFaults(_ json: String?) throws {
            let curl = URL(fileURLWithPath: "/usr/bin/curl")
            let out = json.map { try? CLI.run(curl, ["-s", "-X", "PUT", "-H", "Content-Type: application/json", "-d", $0, "-w", "%{http_code}", url + "/_emulator/faults"]) }
                ?? (try? CLI.run(curl, ["-s", "-X", "DELETE", "-w", "%{http_code}", url + "/_emulator/faults"]))
            guard out?.stdout.hasSuffix("200") == true else { throw CLIError("fault plan refused: \(out?.stdout ?? "")") }
        }

        /// overlays-example's storefront Deployment's replicas, nil when it cannot be read.
        func replicas() -> String? {
            try? kubectl(["get", "deployment/storefront", "-n", "shop", "-o", "jsonpath={.spec.replicas}"]).stdout
        }
    }

    struct CLIError: Error, CustomStringConvertible {
        var description: String
        init(_ text: String) { description = text }
    }

    /// A `tether.yaml` beside the tree with two targets: overlays/aws on `aws`, overlays/gcp on `gcp`.
    static func awsAndGCPTargets(in tree: URL, aws: Emulator, gcp: Emulator) throws -> URL {
        let config = tree.appendingPathComponent("tether.yaml")
        try """
            targets:
            - name: aws
              path: overlays/aws
              server: \(aws.url)
            - name: gcp
              path: overlays/gcp
              server: \(gcp.url)
            """.write(to: config, atomically: true, encoding: .utf8)
        return config
    }

    /// Applies a Node whose `spec.providerID` names the cloud, as overlays/auto reads it.
    static func addNode(providerID: String, in tree: URL, to cluster: Emulator) throws {
        let node = tree.appendingPathComponent("node.yaml")
        try "apiVersion: v1\nkind: Node\nmetadata: {name: ip-10-0-0-1}\nspec: {providerID: '\(providerID)'}\n"
            .write(to: node, atomically: true, encoding: .utf8)
        #expect(try cluster.kubectl(["apply", "--server-side", "-f", node.path]).status == 0)
    }


    /// A private copy of overlays-example.
    static func tree() throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("tether-sync-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: CLI.repositoryRoot.appendingPathComponent("overlays-example"), to: target)
        return target
    }

    static func tether(_ verb: String, _ tree: URL, _ emulator: Emulator, _ extra: [String] = []) throws -> CLI.Output {
        try CLI.run([verb, "--source", tree.path, "--path", "overlays/aws", "--server", emulator.url] + extra)
    }

    static func edit(_ file: URL, _ from: String, _ to: String) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains(from), "\(file.lastPathComponent) contains \(from)")
        try text.replacingOccurrences(of: from, with: to).write(to: file, atomically: true, encoding: .utf8)
    }

    @Test("sync into an empty emulator, then a repeat sync makes zero writes and no per-object request")
    func syncAndSteadyState() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try Emulator()
        let tree = try Self.tree()
        defer { try? FileManager.default.removeItem(at: tree) }
        let first = try Self.tether("sync", tree, emulator)
        #expect(first.status == 0, "\(first.stderr)")
        let rendered = try CLI.run(["render", "overlays/aws", "--root", "."], in: tree).stdout.components(separatedBy: "\n---\n").count
        #expect(first.stdout.contains("plan: \(rendered) to create, 0 to update, 0 to prune, 0 unchanged"), "\(first.stdout)")
        #expect(first.stdout.contains("\(rendered) created, 0 configured, 0 pruned, 0 unchanged"), "\(first.stdout)")
        let deployments = try emulator.kubectl(["get", "deployments", "-n", "shop", "--show-labels"])
        #expect(deployments.stdout.contains("applyset.kubernetes.io/part-of=applyset-"), "\(deployments.stdout)")
        let parent = try emulator.kubectl(["get", "configmap", "tether-overlays-aws", "-n", "tether-system", "-o", "yaml"])
        #expect(parent.stdout.contains("applyset.kubernetes.io/tooling: tether/"))

        try emulator.resetAudit()
        let second = try Self.tether("sync", tree, emulator, ["--output", "json"])
        #expect(second.status == 0, "\(second.stderr)")
        let audit = try emulator.audit()
        let writes = audit.filter { ["POST", "PUT", "PATCH", "DELETE"].contains($0["method"] as? String ?? "") }
        #expect(writes.isEmpty, "writes or dry runs: \(writes.map { "\($0["method"] ?? "") \($0["path"] ?? "")" })")
        let gets = audit.filter { ($0["verb"] as? String) == "get" && !(($0["path"] as? String) ?? "").hasPrefix("/api/v1/namespaces/tether-system") }
        #expect(gets.isEmpty, "per-object reads: \(gets)")
        let lists = audit.filter { ($0["verb"] as? String) == "list" }
        #expect(lists.count == Set(lists.compactMap { $0["path"] as? String }).count, "at most one list per kind")
        // Discovery is fetched once per group-version, although the parent and inventory
        // reads run beside rendering and planning.
        let discovery = audit.compactMap { $0["path"] as? String }.filter { $0 == "/api/v1" || $0.hasPrefix("/apis/") && $0.split(separator: "/").count == 3 }
        #expect(discovery.count == Set(discovery).count, "discovery requested twice: \(discovery)")
        // The JSON report times every stage.
        let report = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any]
        let phases = (report?["phases"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(phases == ["render", "plan", "apply"], "\(second.stdout.prefix(300))")
    }

    @Test("an overlay change shows in diff (exit 1), sync --prune applies it, then diff exits 0")
    func changeDiffSyncPrune() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try Emulator()
        let tree = try Self.tree()
        defer { try? FileManager.default.removeItem(at: tree) }
        #expect(try Self.tether("sync", tree, emulator).status == 0)
        #expect(try Self.tether("diff", tree, emulator).status == 0, "in sync right after a sync")

        try Self.edit(tree.appendingPathComponent("overlays/aws/service-lb.yaml"), "scheme: internet-facing", "scheme: internal")
        let app = tree.appendingPathComponent("base/app/kustomization.yaml")
        try Self.edit(app, "- networkpolicy.yaml\n", "")
        try Self.edit(app, "LOG_LEVEL=info", "LOG_LEVEL=debug")
        let diff = try Self.tether("diff", tree, emulator)
        #expect(diff.status == 1, "\(diff.stderr)")
        #expect(diff.stdout.contains("-    service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing"), "\(diff.stdout)")
        #expect(diff.stdout.contains("+    service.beta.kubernetes.io/aws-load-balancer-scheme: internal"))
        #expect(diff.stdout.contains("NetworkPolicy"))
        // The new ConfigMap; the Service and the Deployment (it refers to the new ConfigMap name);
        // the NetworkPolicy and the old ConfigMap.
        #expect(diff.stdout.contains("1 to create, 2 to update, 2 to prune, "), "\(diff.stdout.split(separator: "\n").last ?? "")")

        let withoutPrune = try Self.tether("sync", tree, emulator)
        #expect(withoutPrune.status == 0)
        #expect(withoutPrune.stdout.contains("2 to prune (pass --prune)"), "\(withoutPrune.stdout)")
        let sync = try Self.tether("sync", tree, emulator, ["--prune"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stdout.contains("2 pruned"), "\(sync.stdout)")
        let policies = try emulator.kubectl(["get", "networkpolicies", "-n", "shop", "-o", "name"])
        #expect(policies.stdout.isEmpty, "\(policies.stdout)")
        let configMaps = try emulator.kubectl(["get", "configmaps", "-n", "shop", "-o", "name"]).stdout
        #expect(configMaps.split(separator: "\n").filter { $0.contains("storefront-config-") }.count == 1, "\(configMaps)")
        let after = try Self.tether("diff", tree, emulator)
        #expect(after.status == 0, "\(after.stdout)")
    }

    @Test("drift made with kubectl shows in diff; sync --force-conflicts restores it")
    func driftAndRestore() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try Emulator()
        let tree = try Self.tree()
        defer { try? FileManager.default.removeItem(at: tree) }
        #expect(try Self.tether("sync", tree, emulator).status == 0)
        let image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/storefront:1.8.2"
        #expect(try emulator.kubectl(["scale", "deployment/storefront", "-n", "shop", "--replicas=7"]).status == 0)
        #expect(try emulator.kubectl(["set", "image", "deployment/storefront", "-n", "shop", "web=evil:latest"]).status == 0)
        #expect(try emulator.kubectl(["label", "serviceaccount/storefront", "-n", "shop", "--overwrite", "app.kubernetes.io/part-of=other"]).status == 0)
        #expect(try emulator.kubectl(["delete", "poddisruptionbudget/storefront", "-n", "shop"]).status == 0)

        let diff = try Self.tether("diff", tree, emulator)
        #expect(diff.status == 1)
        #expect(diff.stdout.contains("-  replicas: 7"), "\(diff.stdout)")
        #expect(diff.stdout.contains("+  replicas: 3"))
        #expect(diff.stdout.contains("evil:latest"))
        #expect(diff.stdout.contains("+    app.kubernetes.io/part-of: shop"))
        #expect(diff.stdout.contains("1 to create, 2 to update"), "\(diff.stdout.split(separator: "\n").last ?? "")")

        let conflicted = try Self.tether("sync", tree, emulator)
        #expect(conflicted.status == 4, "conflicts with kubectl's fields fail without --force-conflicts: \(conflicted.stdout)")
        #expect(conflicted.stdout.contains("conflicted"), "\(conflicted.stdout)")
        let forced = try Self.tether("sync", tree, emulator, ["--force-conflicts"])
        #expect(forced.status == 0, "\(forced.stdout) \(forced.stderr)")
        let live = try emulator.kubectl(["get", "deployment/storefront", "-n", "shop", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}"])
        #expect(live.stdout == "3 \(image)")
        #expect(try emulator.kubectl(["get", "poddisruptionbudget/storefront", "-n", "shop"]).status == 0)
        #expect(try Self.tether("diff", tree, emulator).status == 0)
    }

    @Test("Secret values never appear in diff, plan, JSON, Markdown or a saved plan; sync --plan refuses a stale plan")
    func secretsAndSavedPlans() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try Emulator()
        let tree = try Self.tree()
        defer { try? FileManager.default.removeItem(at: tree) }
        let app = tree.appendingPathComponent("base/app/kustomization.yaml")
        try Self.edit(app, "configMapGenerator:", "secretGenerator:\n- name: db\n  literals:\n  - password=hunter2-first\nconfigMapGenerator:")
        let secrets = ["hunter2-first", "hunter2-second", Data("hunter2-first".utf8).base64EncodedString(), Data("hunter2-second".utf8).base64EncodedString()]
        func expectNoSecret(_ output: CLI.Output, _ what: String) {
            for secret in secrets {
                #expect(!output.stdout.contains(secret) && !output.stderr.contains(secret), "\(what) leaks a Secret value")
            }
        }
        let first = try Self.tether("sync", tree, emulator, ["--output", "json", "--log-level", "debug"])
        #expect(first.status == 0)
        expectNoSecret(first, "sync --output json")
        try Self.edit(tree.appendingPathComponent("base/app/kustomization.yaml"), "hunter2-first", "hunter2-second")
        try Self.edit(tree.appendingPathComponent("base/app/kustomization.yaml"), "  - password=", "  - user=admin\n  - password=")
        for format in ["text", "json", "markdown"] {
            let diff = try Self.tether("diff", tree, emulator, ["--output", format, "--log-level", "debug"])
            #expect(diff.status == 1)
            expectNoSecret(diff, "diff --output \(format)")
            if format == "text" { #expect(diff.stdout.contains("***"), "masked values are shown as ***") }
        }
        let planFile = tree.appendingPathComponent("plan.json").path
        let saved = try Self.tether("diff", tree, emulator, ["--save-plan", planFile])
        #expect(saved.status == 1)
        let planText = try String(contentsOfFile: planFile, encoding: .utf8)
        for secret in secrets { #expect(!planText.contains(secret), "the saved plan holds no Secret value") }
        let mode = try FileManager.default.attributesOfItem(atPath: planFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // Someone changes a planned object: the plan is refused, naming it.
        #expect(try emulator.kubectl(["scale", "deployment/storefront", "-n", "shop", "--replicas=5"]).status == 0)
        let stale = try Self.tether("sync", tree, emulator, ["--plan", planFile, "--prune", "--force-conflicts"])
        #expect(stale.status == 2, "\(stale.stdout) \(stale.stderr)")
        #expect(stale.stderr.contains("Deployment.apps/shop/storefront changed in the cluster"), "\(stale.stderr)")
        let fresh = try Self.tether("diff", tree, emulator, ["--save-plan", planFile, "--force-conflicts"])
        #expect(fresh.status == 1)
        let applied = try Self.tether("sync", tree, emulator, ["--plan", planFile, "--prune", "--force-conflicts"])
        #expect(applied.status == 0, "\(applied.stdout) \(applied.stderr)")
        expectNoSecret(applied, "sync --plan")
        let password = try emulator.kubectl(["get", "secret", "-n", "shop", "-o", "jsonpath={.items[0].data.password}"])
        #expect(password.stdout == Data("hunter2-second".utf8).base64EncodedString())
    }

    @Test("--config syncs several targets in parallel with a row each; overlays/auto picks the cloud from the Nodes")
    func targetsFileAndAutoOverlay() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let aws = try Emulator(), gcp = try Emulator()
        let tree = try Self.tree()
        defer { try? FileManager.default.removeItem(at: tree) }
        let config = try Self.awsAndGCPTargets(in: tree, aws: aws, gcp: gcp)
        let sync = try CLI.run(["sync", "--source", tree.path, "--config", config.path])
        #expect(sync.status == 0, "\(sync.stdout) \(sync.stderr)")
        let rows = sync.stdout.split(separator: "\n")
        #expect(rows.first?.hasPrefix("TARGET") == true)
        #expect(rows.contains { $0.hasPrefix("aws ") && $0.contains("succeeded") }, "\(sync.stdout)")
        #expect(rows.contains { $0.hasPrefix("gcp ") && $0.contains("succeeded") }, "\(sync.stdout)")
        #expect(try aws.kubectl(["get", "storageclass", "fast-ssd", "-o", "jsonpath={.provisioner}"]).stdout == "ebs.csi.aws.com")
        #expect(try gcp.kubectl(["get", "storageclass", "fast-ssd", "-o", "jsonpath={.provisioner}"]).stdout == "pd.csi.storage.gke.io")

        try "targets:\n- name: x\n  path: overlays/aws\n  bogus: 1\n".write(to: config, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["sync", "--source", tree.path, "--config", config.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("tether.yaml:4:") && bad.stderr.contains("unknown field 'bogus'"), "\(bad.stderr)")

        // overlays/auto: the Nodes' providerID names the cloud.
        let cluster = try Emulator()
        try Self.addNode(providerID: "gce://project/europe-west1-b/node-1", in: tree, to: cluster)
        let auto = try CLI.run(["sync", "--source", tree.path, "--path", "overlays/auto", "--server", cluster.url])
        #expect(auto.status == 0, "\(auto.stderr)")
        #expect(auto.stderr.contains("rendering overlays/gcp"))
        #expect(try cluster.kubectl(["get", "storageclass", "fast-ssd", "-o", "jsonpath={.provisioner}"]).stdout == "pd.csi.storage.gke.io")
        let unknown = try Emulator()
        let noCloud = try CLI.run(["diff", "--source", tree.path, "--path", "overlays/auto", "--server", unknown.url])
        #expect(noCloud.status == 2)
        #expect(noCloud.stderr.contains("cannot tell the cloud"), "\(noCloud.stderr)")
    }

    @Test("switching --path overlays/aws to overlays/auto on AWS keeps one set: no new parent, no conflict, nothing to write")
    func autoOverlayKeepsTheSet() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let cluster = try Emulator()
        let tree = try Self.tree()
        defer { try? FileManager.default.removeItem(at: tree) }
        try Self.addNode(providerID: "aws:///eu-west-1a/i-0123456789abcdef0", in: tree, to: cluster)
        let first = try CLI.run(["sync", "--source", tree.path, "--path", "overlays/aws", "--server", cluster.url])
        #expect(first.status == 0, "\(first.stderr)")
        let auto = try CLI.run(["diff", "--source", tree.path, "--path", "overlays/auto", "--server", cluster.url])
        #expect(auto.status == 0, "in sync, same set: \(auto.stdout) \(auto.stderr)")
        #expect(!auto.stdout.contains("another ApplySet"), "\(auto.stdout)")
        let sync = try CLI.run(["sync", "--source", tree.path, "--path", "overlays/auto", "--server", cluster.url])
        #expect(sync.status == 0, "\(sync.stdout) \(sync.stderr)")
        let parents = try cluster.kubectl(["get", "configmaps", "-n", "tether-system", "-o", "name"]).stdout
        #expect(parents.contains("configmap/tether-overlays-aws") && !parents.contains("tether-overlays-auto"), "\(parents)")
    }

    @Test("diff --config and sync --config --dry-run preview every target in text, JSON and markdown; nothing is written")
    func targetsPreview() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let aws = try Emulator(), gcp = try Emulator()
        let tree = try Self.tree()
        defer { try? FileManager.default.removeItem(at: tree) }
        let config = try Self.awsAndGCPTargets(in: tree, aws: aws, gcp: gcp)
        let base = ["--source", tree.path, "--config", config.path]
        let text = try CLI.run(["diff"] + base)
        #expect(text.status == 1, "differences: \(text.stderr)")
        #expect(text.stdout.contains("=== target aws ===") && text.stdout.contains("=== target gcp ==="), "\(text.stdout.prefix(400))")
        #expect(text.stdout.contains("ebs.csi.aws.com") && text.stdout.contains("pd.csi.storage.gke.io"), "each target's own render")
        let markdown = try CLI.run(["diff", "--output", "markdown"] + base)
        #expect(markdown.status == 1 && markdown.stdout.contains("## Target `aws`") && markdown.stdout.contains("## Target `gcp`"))
        let json = try CLI.run(["diff", "--output", "json"] + base)
        #expect(json.status == 1)
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let rows = document?["targets"] as? [[String: Any]] ?? []
        #expect(rows.compactMap { $0["name"] as? String } == ["aws", "gcp"], "\(json.stdout.prefix(300))")
        #expect(rows.allSatisfy { $0["changed"] as? Bool == true && $0["report"] is [String: Any] })

        let dryRun = try CLI.run(["sync", "--dry-run"] + base)
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout.contains("target aws:") && dryRun.stdout.contains("target gcp:"), "\(dryRun.stdout.prefix(400))")
        #expect(dryRun.stdout.contains("create    StorageClass"), "per-object lines: \(dryRun.stdout.prefix(600))")
        #expect(dryRun.stdout.split(separator: "\n").contains { $0.hasPrefix("aws ") && $0.contains("planned") && $0.contains("to create") },
                "the table has each plan's summary: \(dryRun.stdout)")
        let dryJSON = try CLI.run(["sync", "--dry-run", "--output", "json"] + base)
        let planned = (try JSONSerialization.jsonObject(with: Data(dryJSON.stdout.utf8)) as? [String: Any])?["targets"] as? [[String: Any]] ?? []
        #expect(planned.count == 2 && planned.allSatisfy { $0["plan"] is [String: Any] }, "\(dryJSON.stdout.prefix(300))")
        #expect(try aws.kubectl(["get", "storageclasses", "-o", "name"]).stdout.isEmpty, "dry runs and diffs wrote nothing")

        let savePlan = try CLI.run(["diff", "--save-plan", tree.appendingPathComponent("p.json").path] + base)
        #expect(savePlan.status == 2 && savePlan.stderr.contains("--save-plan"), "\(savePlan.stderr)")
    }

    @Test("diff shows the prune refusal sync --prune would meet, in text, markdown and JSON")
    func diffPredictsPruneRefusal() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try Emulator()
        let tree = try Self.tree()
        defer { try? FileManager.default.removeItem(at: tree) }
        #expect(try Self.tether("sync", tree, emulator).status == 0)
        // The same set rendered from a directory with a single object: every other member would be pruned.
        let tiny = tree.appendingPathComponent("tiny")
        try FileManager.default.createDirectory(at: tiny, withIntermediateDirectories: true)
        try "resources:\n- cm.yaml\n".write(to: tiny.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        try "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: only, namespace: default}\ndata: {a: b}\n"
            .write(to: tiny.appendingPathComponent("cm.yaml"), atomically: true, encoding: .utf8)
        let base = ["--source", tree.path, "--path", "tiny", "--name", "overlays-aws", "--server", emulator.url]
        let text = try CLI.run(["diff"] + base)
        #expect(text.status == 1)
        #expect(text.stdout.contains("warning: tether sync --prune would hold back the deletions, refusing to prune"), "\(text.stdout.suffix(500))")
        let markdown = try CLI.run(["diff", "--output", "markdown"] + base)
        #expect(markdown.stdout.contains("> **Warning:** tether sync --prune would hold back the deletions"), "\(markdown.stdout.suffix(400))")
        let json = try CLI.run(["diff", "--output", "json"] + base)
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((document?["pruneRefusal"] as? String)?.contains("--force-prune") == true, "\(json.stdout.suffix(300))")
        // In sync: no warning.
        let clean = try Self.tether("diff", tree, emulator)
        #expect(clean.status == 0 && !clean.stdout.contains("warning:"), "\(clean.stdout)")
    }
}
