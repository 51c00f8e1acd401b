import Foundation
import Glibc
import TestSupport
import Testing

/// Issue 8's acceptance runs for `tether run`: the built binary against a real `git
/// daemon` on loopback and a `tether emulator` process (with injected faults where the
/// test says so), with kubectl as the other actor and the emulator's request audit as
/// the witness of what the daemon sent.
@Suite("tether run acceptance: polling, Git outage, API faults, SIGTERM, leader election", .serialized, .timeLimit(.minutes(4)))
struct RunAcceptanceTests {
    // MARK: Servers

    /// `git daemon` serving one bare repository on 127.0.0.1, fed by pushes from a working
    /// copy of overlays-example; it can be stopped and started again on the same port.
    final class GitServer {
        let base: URL
        let work: URL
        let port: Int
        private var process: ServerProcess?

        init() throws {
            base = FileManager.default.temporaryDirectory.appendingPathComponent("tether-gitd-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
            work = try RunCommandTests.repository()
            try Self.git(["init", "-q", "--bare", "-b", "main", base.appendingPathComponent("repo.git").path], in: base)
            try Self.git(["push", "-q", base.appendingPathComponent("repo.git").path, "main"], in: work)
            port = try freePort()
            try start()
        }

        deinit {
            stop()
            try? FileManager.default.removeItem(at: base)
            try? FileManager.default.removeItem(at: work)
        }

        var url: String { "git://127.0.0.1:\(port)/repo.git" }

        func start() throws {
            process = try ServerProcess(["/usr/lib/git-core/git-daemon", "--export-all", "--base-path=\(base.path)", "--port=\(port)",
                                         "--listen=127.0.0.1", "--reuseaddr", base.path])
            guard RunCommandTests.eventually(within: 10, { canConnect(port) }) != nil else {
                throw SyncCommandTests.CLIError("git daemon did not listen on port \(port)")
            }
        }

        /// Kills the server (SIGKILL: a server that vanishes, not one that says goodbye).
        func stop() {
            process?.stop()
            process = nil
        }

        /// Edits the working copy, commits and pushes to the bare repository (through the
        /// file system, so it works while the server is down too).
        func push(_ file: String, _ from: String, _ to: String, message: String) throws {
            try SyncCommandTests.edit(work.appendingPathComponent(file), from, to)
            try RunCommandTests.commit(work, message)
            try Self.git(["push", "-q", base.appendingPathComponent("repo.git").path, "main"], in: work)
        }

        static func git(_ arguments: [String], in directory: URL) throws {
            let out = try CLI.run(URL(fileURLWithPath: "/usr/bin/git"), arguments, in: directory)
            guard out.status == 0 else { throw SyncCommandTests.CLIError("git \(arguments.joined(separator: " ")): \(out.stderr)") }
        }
    }

    /// A `tether emulator` process with extra flags (faults), its request audit and its
    /// fault plan.
    typealias Cluster = SyncCommandTests.Emulator

    // MARK: Helpers

    static let gitAvailable = FileManager.default.isExecutableFile(atPath: "/usr/lib/git-core/git-daemon")

    /// The sum of a metric's samples whose labels include `labels` (0 when absent).
    static func metric(_ text: String, _ name: String, _ labels: [String: String] = [:]) -> Double {
        var total = 0.0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard line.hasPrefix(name + "{") || line.hasPrefix(name + " ") else { continue }
            let wanted = labels.allSatisfy { line.contains("\($0.key)=\"\($0.value)\"") }
            if wanted, let value = line.split(separator: " ").last.flatMap({ Double($0) }) { total += value }
        }
        return total
    }

    /// The daemon's writes to the objects it manages, from an audit: mutating requests
    /// (no dry runs) other than the ApplySet parent, Events and the Lease.
    static func memberWrites(_ audit: [[String: Any]]) -> [[String: Any]] {
        audit.filter { entry in
            (entry["write"] as? Bool) == true
                && (entry["userAgent"] as? String ?? "").hasPrefix("tether/")
                && !["events", "leases"].contains(entry["resource"] as? String ?? "")
                // A fault-answered request has no resource in the audit; tell Events by path.
                && !(entry["path"] as? String ?? "").contains("/events")
                && (entry["namespace"] as? String) != "tether-system"
                && !((entry["resource"] as? String) == "namespaces" && (entry["name"] as? String) == "tether-system")
        }
    }

    static func key(_ entry: [String: Any]) -> String {
        "\(entry["resource"] ?? "")/\(entry["namespace"] ?? "")/\(entry["name"] ?? "")"
    }

    static func ok(_ entry: [String: Any]) -> Bool { (200...299).contains(entry["code"] as? Int ?? 0) }

    /// The objects `tether render` makes of the working copy, as `Kind.group ns/name`.
    static func rendered(_ work: URL) throws -> Set<String> {
        let out = try CLI.run(["render", "overlays/aws"], in: work)
        #expect(out.status == 0, "\(out.stderr)")
        var ids = Set<String>()
        for document in out.stdout.components(separatedBy: "\n---\n") {
            var kind = "", group = "", name = "", namespace = ""
            var inMetadata = false
            for line in document.split(separator: "\n") {
                if line.hasPrefix("kind: ") { kind = String(line.dropFirst(6)) }
                if line.hasPrefix("apiVersion: ") {
                    let version = line.dropFirst(12)
                    group = version.contains("/") ? String(version.prefix { $0 != "/" }) : ""
                }
                if !line.hasPrefix(" ") { inMetadata = line == "metadata:" ; continue }
                if inMetadata, line.hasPrefix("  name: "), name.isEmpty { name = String(line.dropFirst(8)) }
                if inMetadata, line.hasPrefix("  namespace: "), namespace.isEmpty { namespace = String(line.dropFirst(13)) }
            }
            if !kind.isEmpty { ids.insert("\(kind)\(group.isEmpty ? "" : "." + group) \(namespace)/\(name)") }
        }
        return ids
    }

    /// The live members of the ApplySet (objects labelled part-of its id), as
    /// `Kind.group ns/name`, looked up for every kind in `kinds`.
    static func liveMembers(_ cluster: Cluster, applySetID: String, kinds: Set<String>) throws -> Set<String> {
        let resources = kinds.map { $0.lowercased() }.sorted().joined(separator: ",")
        let template = #"{range .items[*]}{.kind} {.apiVersion} {.metadata.namespace}/{.metadata.name}{"\n"}{end}"#
        let out = try cluster.kubectl(["get", resources, "-A", "-l", "applyset.kubernetes.io/part-of=\(applySetID)", "-o", "jsonpath=" + template])
        #expect(out.status == 0, "\(out.stderr)")
        return Set(out.stdout.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            let group = parts[1].contains("/") ? "." + parts[1].prefix { $0 != "/" } : ""
            return "\(parts[0])\(group) \(parts[2])"
        })
    }

    /// The ApplySet parent's id and inventory annotations.
    static func parent(_ cluster: Cluster) throws -> (id: String, groupKinds: Set<String>, namespaces: Set<String>) {
        let template = #"{.metadata.labels.applyset\.kubernetes\.io/id}|{.metadata.annotations.applyset\.kubernetes\.io/contains-group-kinds}|{.metadata.annotations.applyset\.kubernetes\.io/additional-namespaces}"#
        let out = try cluster.kubectl(["get", "configmap", "tether-overlays-aws", "-n", "tether-system", "-o", "jsonpath=" + template])
        let parts = out.stdout.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard out.status == 0, parts.count == 3 else { throw SyncCommandTests.CLIError("no ApplySet parent: \(out.stderr)") }
        let list = { (text: String) in Set(text.split(separator: ",").map(String.init)) }
        return (parts[0], list(parts[1]), list(parts[2]).union(["tether-system"]))
    }

    // MARK: Tests

    @Test("polling alone (no webhook) applies a commit pushed to a git:// server within one --interval")
    func pollingPicksUpPush() throws {
        guard CLI.kubectl != nil, Self.gitAvailable else { print("notice: kubectl or git-daemon missing; skipping"); return }
        let cluster = try Cluster()
        let git = try GitServer()
        let daemon = try RunCommandTests.Daemon(["--source", git.url, "--path", "overlays/aws", "--server", cluster.url,
                                                 "--interval", "1", "--cache-dir", git.base.appendingPathComponent("cache").path, "--prune"])
        #expect(RunCommandTests.eventually(within: 20) { cluster.replicas() == "3" } != nil, "first sync: \(daemon.output)")
        try git.push("overlays/aws/kustomization.yaml", "count: 3", "count: 4", message: "four replicas")
        // One interval, plus a fetch, render and apply on a loaded 2-core machine.
        let took = RunCommandTests.eventually(within: 1 + 3) { cluster.replicas() == "4" }
        print("polling: pushed commit applied after \(took.map { String(format: "%.2f s", $0) } ?? "never")")
        #expect(took != nil, "applied within one interval (+3 s): \(daemon.output.suffix(1500))")
        #expect(daemon.output.contains("hooks") == false, "no webhook endpoint was configured")

        // Steady state: a poll that finds the revision already applied plans nothing, so
        // it sends the API server no request at all (the watches carry drift).
        #expect(RunCommandTests.eventually(within: 10) { (try? daemon.get("/readyz").status) == "200" } != nil)
        try cluster.resetAudit()
        let syncs = { Self.metric((try? daemon.get("/metrics").body) ?? "", "tether_sync_total", ["result": "success"]) }
        let start = syncs()
        #expect(RunCommandTests.eventually(within: 10) { syncs() >= start + 2 } != nil, "two more polls")
        let requests = try cluster.audit().filter { ($0["verb"] as? String) != "watch" }
        #expect(requests.isEmpty, "steady-state polls send no request: \(requests.map { "\($0["verb"] ?? "") \(Self.key($0))" })")

        // A new revision is planned against the watch cache: the parent is read, the
        // change applied, and no kind is listed again.
        try git.push("overlays/aws/kustomization.yaml", "count: 4", "count: 5", message: "five replicas")
        #expect(RunCommandTests.eventually(within: 1 + 3) { cluster.replicas() == "5" } != nil, "\(daemon.output.suffix(1500))")
        let lists = try cluster.audit().filter { ($0["verb"] as? String) == "list" }
        #expect(lists.isEmpty, "planned from the watch cache, not by listing: \(lists.map { Self.key($0) })")
    }

    @Test("Git server stopped: the daemon stays up, turns unready after --stale-after, counts failures, prunes nothing; server back: recovers alone")
    func gitOutageAndRecovery() throws {
        guard CLI.kubectl != nil, Self.gitAvailable else { print("notice: kubectl or git-daemon missing; skipping"); return }
        let cluster = try Cluster()
        let git = try GitServer()
        let daemon = try RunCommandTests.Daemon(["--source", git.url, "--path", "overlays/aws", "--server", cluster.url,
                                                 "--interval", "1", "--stale-after", "3", "--connect-timeout", "2",
                                                 "--cache-dir", git.base.appendingPathComponent("cache").path, "--prune"])
        #expect(RunCommandTests.eventually(within: 20) { cluster.replicas() == "3" } != nil, "first sync: \(daemon.output)")
        #expect(RunCommandTests.eventually(within: 5) { (try? daemon.get("/readyz").status) == "200" } != nil)
        let parent = try Self.parent(cluster)
        let before = try Self.liveMembers(cluster, applySetID: parent.id, kinds: parent.groupKinds)
        #expect(before.count == (try Self.rendered(git.work)).count, "\(before)")

        try cluster.resetAudit()
        git.stop()
        let stopped = Date()
        let unready = RunCommandTests.eventually(within: 15) { (try? daemon.get("/readyz").status) == "503" }
        print("git outage: /readyz 503 after \(unready.map { String(format: "%.2f s", $0) } ?? "never") (--stale-after 3)")
        #expect(unready != nil, "unready after the staleness window: \(daemon.output.suffix(1500))")
        // The last success finished at most one interval (plus a sync) before the stop.
        #expect(Date().timeIntervalSince(stopped) >= 3 - 1.5, "not unready before the window")
        #expect(try daemon.get("/readyz").body.contains("staleness window"))
        #expect(try daemon.get("/healthz").status == "200")
        #expect(daemon.process.isRunning)
        let metrics = try daemon.get("/metrics").body
        #expect(Self.metric(metrics, "tether_git_fetch_failures_total") >= 1, "\(metrics)")
        #expect(Self.metric(metrics, "tether_sync_total", ["result": "failure"]) >= 1)
        // A commit pushed while the server is down (straight into the bare repository).
        try git.push("overlays/aws/kustomization.yaml", "count: 3", "count: 4", message: "four replicas")
        let deletes = try cluster.audit().filter { ($0["method"] as? String) == "DELETE" }
        #expect(deletes.isEmpty, "nothing pruned: \(deletes.map(Self.key))")
        #expect(try Self.liveMembers(cluster, applySetID: parent.id, kinds: parent.groupKinds) == before)

        try git.start()
        let recovered = RunCommandTests.eventually(within: 25) {
            cluster.replicas() == "4" && (try? daemon.get("/readyz").status) == "200"
        }
        print("git outage: recovered \(recovered.map { String(format: "%.2f s", $0) } ?? "never") after the server came back")
        #expect(recovered != nil, "recovers by itself: \(daemon.output.suffix(1500))")
        #expect(try Self.liveMembers(cluster, applySetID: parent.id, kinds: parent.groupKinds).count == before.count)
    }

    @Test("API faults (429 with Retry-After, 5xx, dropped watches): converges, one successful apply per object, drift still corrected; request and watch-restart metrics")
    func emulatorFaults() throws {
        guard CLI.kubectl != nil, Self.gitAvailable else { print("notice: kubectl or git-daemon missing; skipping"); return }
        let cluster = try Cluster(["--fault-throttle-rate", "0.08", "--fault-retry-after", "1",
                                   "--fault-error-rate", "apply=0.3", "--fault-error-rate", "list=0.2", "--fault-error-code", "500",
                                   "--fault-watch-drop-after", "400ms", "--fault-seed", "11"])
        let git = try GitServer()
        let daemon = try RunCommandTests.Daemon(["--source", git.url, "--path", "overlays/aws", "--server", cluster.url,
                                                 "--interval", "2", "--cache-dir", git.base.appendingPathComponent("cache").path, "--prune"])
        let desired = try Self.rendered(git.work)
        let converged = RunCommandTests.eventually(within: 60) { (try? daemon.get("/readyz").status) == "200" }
        print("faults: converged after \(converged.map { String(format: "%.2f s", $0) } ?? "never")")
        #expect(converged != nil, "converges under faults: \(daemon.output.suffix(2000))")
        #expect(cluster.replicas() == "3")

        // Every rendered object was applied successfully exactly once: the failed attempts
        // (injected 429s and 500s) are the only extra requests.
        let audit = try cluster.audit()
        let applies = Self.memberWrites(audit)
        let successes = Dictionary(grouping: applies.filter(Self.ok), by: Self.key).mapValues(\.count)
        let failures = applies.filter { !Self.ok($0) }
        print("faults: \(applies.count) member writes, \(failures.count) failed by injection, \(successes.count) objects")
        #expect(successes.count == desired.count, "every rendered object applied: \(successes.keys.sorted())")
        #expect(successes.values.allSatisfy { $0 == 1 }, "duplicate applies: \(successes.filter { $0.value > 1 })")
        #expect(applies.allSatisfy { ($0["verb"] as? String) == "apply" },
                "only server-side applies: \(applies.filter { ($0["verb"] as? String) != "apply" }.map { "\($0["verb"] ?? "") \($0["path"] ?? "") \($0["code"] ?? "")" })")
        #expect(!failures.isEmpty, "the fault plan injected failures into applies (else this test proves nothing)")
        let codes = Set(audit.filter { ($0["userAgent"] as? String ?? "").hasPrefix("tether/") }.compactMap { $0["code"] as? Int })
        #expect(codes.contains(429) && codes.contains(500), "\(codes)")

        // Drift while every watch is dropped 400 ms after it starts (no other faults, so
        // kubectl's own requests go through): no correction is lost.
        try cluster.setFaults(#"{"watchDropAfter": "400ms"}"#)
        try cluster.resetAudit()
        for (round, replicas) in ["7", "8", "9"].enumerated() {
            Thread.sleep(forTimeInterval: 0.13 * Double(round + 1))  // land at different points of the drop cycle
            #expect(try cluster.kubectl(["scale", "deployment/storefront", "-n", "shop", "--replicas=\(replicas)"]).status == 0)
            let healed = RunCommandTests.eventually(within: 10) { cluster.replicas() == "3" }
            print("faults: scale to \(replicas) reverted after \(healed.map { String(format: "%.2f s", $0) } ?? "never")")
            #expect(healed != nil, "drift \(round + 1) corrected while watches drop: \(daemon.output.suffix(1500))")
        }
        #expect(try cluster.kubectl(["delete", "service/storefront", "-n", "shop"]).status == 0)
        #expect(RunCommandTests.eventually(within: 4) { (try? cluster.kubectl(["get", "service/storefront", "-n", "shop"]).status) == 0 } != nil,
                "deleted Service restored while watches drop")
        let corrections = Self.memberWrites(try cluster.audit()).filter(Self.ok)
        let perObject = Dictionary(grouping: corrections, by: Self.key).mapValues(\.count)
        #expect(perObject["deployments/shop/storefront", default: 0] <= 3 + 1, "no storm of re-applies: \(perObject)")
        #expect(perObject.keys.allSatisfy { ["deployments/shop/storefront", "services/shop/storefront"].contains($0) }, "\(perObject)")

        let metrics = try daemon.get("/metrics").body
        let applied = Self.metric(metrics, "tether_api_requests_total", ["verb": "PATCH", "code": "200"])
            + Self.metric(metrics, "tether_api_requests_total", ["verb": "PATCH", "code": "201"])
        #expect(applied >= Double(desired.count), "\(metrics)")
        #expect(Self.metric(metrics, "tether_api_requests_total", ["code": "429"]) >= 1)
        #expect(Self.metric(metrics, "tether_api_requests_total", ["code": "500"]) >= 1)
        #expect(Self.metric(metrics, "tether_watch_restarts_total", ["reason": "closed"]) >= 1)
        // Some drift may be undone by a poll's plain apply before the watch sees it.
        #expect(Self.metric(metrics, "tether_drift_corrections_total") >= 1)
    }

    /// How a SIGTERM meets the running sync.
    struct Shutdown: Sendable, CustomTestStringConvertible {
        var name: String
        /// `--shutdown-timeout`, seconds.
        var timeout: Int
        /// Latency the emulator adds to every request, which makes the sync slow.
        var latency: String
        /// Whether the sync outlasts the timeout and is cancelled.
        var cancelled: Bool
        /// Whether the daemon runs with --leader-elect (the leader must finish its sync too).
        var leaderElect = false
        var testDescription: String { name }
    }

    @Test("SIGTERM during a slow sync exits 0 within --shutdown-timeout, leaves the inventory covering every member, and the next start converges with no further writes",
          arguments: [Shutdown(name: "the sync finishes within the timeout", timeout: 10, latency: "100ms", cancelled: false),
                      Shutdown(name: "the sync outlasts the timeout and is cancelled", timeout: 1, latency: "500ms", cancelled: true),
                      Shutdown(name: "with --leader-elect the leader finishes its sync, then releases the Lease", timeout: 10, latency: "100ms",
                               cancelled: false, leaderElect: true)])
    func sigtermDuringSync(_ shutdown: Shutdown) throws {
        guard CLI.kubectl != nil, Self.gitAvailable else { print("notice: kubectl or git-daemon missing; skipping"); return }
        let cluster = try Cluster()
        let git = try GitServer()
        let cache = git.base.appendingPathComponent("cache").path
        var arguments = ["--source", git.url, "--path", "overlays/aws", "--server", cluster.url, "--interval", "1",
                         "--cache-dir", cache, "--prune", "--shutdown-timeout", String(shutdown.timeout)]
        if shutdown.leaderElect {
            arguments += ["--leader-elect", "--lease-duration", "3", "--renew-deadline", "2", "--retry-period", "0.5"]
            let namespace = try cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tether-system\n")
            #expect(namespace.status == 0, "\(namespace.stderr)")
        }
        let first = try RunCommandTests.Daemon(arguments)
        #expect(RunCommandTests.eventually(within: 20) { (try? first.get("/readyz").status) == "200" } != nil, "\(first.output)")
        let kinds = try Self.parent(cluster).groupKinds

        // A commit that updates, creates and prunes: a new ConfigMap name (the old one is
        // pruned), no NetworkPolicy, four replicas.
        let app = git.work.appendingPathComponent("base/app/kustomization.yaml")
        try SyncCommandTests.edit(app, "- networkpolicy.yaml\n", "")
        try SyncCommandTests.edit(app, "LOG_LEVEL=info", "LOG_LEVEL=debug")
        // Slow first, then push: otherwise a poll could apply the commit at full speed
        // before the latency is on, and the SIGTERM would meet no sync.
        try cluster.setFaults(#"{"latency": "\#(shutdown.latency)"}"#)
        try cluster.resetAudit()
        try git.push("overlays/aws/kustomization.yaml", "count: 3", "count: 4", message: "change, create, prune")
        let desired = try Self.rendered(git.work)
        let writing = RunCommandTests.eventually(within: 20) { !Self.memberWrites((try? cluster.audit()) ?? []).isEmpty }
        #expect(writing != nil, "the sync of the new commit started writing: \(first.output.suffix(1500))")
        let signalled = Date()
        first.process.terminate()
        first.process.waitUntilExit()
        let exit = Date().timeIntervalSince(signalled)
        print("SIGTERM mid-sync (\(shutdown.name)): exited after \(String(format: "%.2f s", exit)) with status \(first.process.terminationStatus)")
        #expect(first.process.terminationStatus == 0, "\(first.output.suffix(1500))")
        #expect(exit < Double(shutdown.timeout) + 1.5, "exits within --shutdown-timeout plus margin")
        #expect(first.output.contains("waiting for the running sync to finish"), "SIGTERM arrived during the sync: \(first.output.suffix(1500))")
        #expect(first.output.contains("cancelling it") == shutdown.cancelled, "\(first.output.suffix(1500))")
        try cluster.setFaults(nil)
        if shutdown.leaderElect {
            let holder = try cluster.kubectl(["get", "leases", "-n", "tether-system", "-o", "jsonpath={.items[0].spec.holderIdentity}"])
            #expect(holder.status == 0 && holder.stdout.isEmpty, "the Lease is released on a clean stop: '\(holder.stdout)' \(holder.stderr)")
        }

        // The ApplySet invariant: every live member is of a kind, and in a namespace, that the
        // parent lists; otherwise a later prune could never find it.
        let parent = try Self.parent(cluster)
        let live = try Self.liveMembers(cluster, applySetID: parent.id, kinds: kinds.union(parent.groupKinds))
        for member in live {
            let kind = String(member.prefix { $0 != " " })
            let namespace = String(member.split(separator: " ")[1].prefix { $0 != "/" })
            #expect(parent.groupKinds.contains(kind), "\(member) is not in the parent's contains-group-kinds \(parent.groupKinds)")
            #expect(namespace.isEmpty || parent.namespaces.contains(namespace), "\(member)'s namespace is not in the inventory")
        }

        // kubectl takes a field while no daemon runs: the next start's sync meets a 409
        // Conflict and must take it back (no watch event will ever report this drift).
        #expect(try cluster.kubectl(["scale", "deployment/storefront", "-n", "shop", "--replicas=9"]).status == 0)

        // The next start converges: exactly the rendered objects, and then syncs that write nothing.
        let second = try RunCommandTests.Daemon(arguments)
        let converged = RunCommandTests.eventually(within: 20) {
            (try? Self.liveMembers(cluster, applySetID: parent.id, kinds: kinds)) == desired && cluster.replicas() == "4"
        }
        let difference = try Self.liveMembers(cluster, applySetID: parent.id, kinds: kinds).symmetricDifference(desired)
        #expect(converged != nil, "converged: \(difference) \(second.output.suffix(1500))")
        #expect(RunCommandTests.eventually(within: 10) { (try? second.get("/readyz").status) == "200" } != nil)
        try cluster.resetAudit()
        let syncs = { Self.metric((try? second.get("/metrics").body) ?? "", "tether_sync_total", ["result": "success"]) }
        let start = syncs()
        #expect(RunCommandTests.eventually(within: 10) { syncs() >= start + 2 } != nil, "two more polls")
        // (A leader renews its Lease; that is the only write allowed.)
        let writes = (try cluster.audit()).filter { ($0["write"] as? Bool) == true && ($0["resource"] as? String) != "leases" }
        #expect(writes.isEmpty, "steady state writes nothing: \(writes.map { "\($0["verb"] ?? "") \(Self.key($0))" })")
        let desiredKinds = Set(desired.map { String($0.prefix { $0 != " " }) })
        #expect(try Self.parent(cluster).groupKinds == desiredKinds, "the inventory is narrowed once the prune succeeded")
    }

    @Test("two replicas with --leader-elect: only the leader writes; SIGKILL on it hands over within the lease duration")
    func leaderElectionHandover() throws {
        guard CLI.kubectl != nil, Self.gitAvailable else { print("notice: kubectl or git-daemon missing; skipping"); return }
        let cluster = try Cluster()
        // (`kubectl create namespace` sends protobuf, which the emulator does not read.)
        let namespace = try cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tether-system\n")
        #expect(namespace.status == 0, "\(namespace.stderr)")
        let git = try GitServer()
        var replicas: [String: RunCommandTests.Daemon] = [:]
        for name in ["replica-a", "replica-b"] {
            replicas[name] = try RunCommandTests.Daemon(
                ["--source", git.url, "--path", "overlays/aws", "--server", cluster.url,
                 "--interval", "1", "--cache-dir", git.base.appendingPathComponent("cache-\(name)").path, "--prune",
                 "--leader-elect", "--lease-duration", "3", "--renew-deadline", "2", "--retry-period", "0.5"],
                environment: ["POD_NAME": name])
        }
        // With --leader-elect the User-Agent carries the identity: `tether/VERSION (POD_NAME)`.
        let replica = { (entry: [String: Any]) -> String in
            let agent = entry["userAgent"] as? String ?? ""
            guard let open = agent.lastIndex(of: "("), agent.hasSuffix(")") else { return agent }
            return String(agent[agent.index(after: open)..<agent.index(before: agent.endIndex)])
        }
        #expect(RunCommandTests.eventually(within: 20) { cluster.replicas() == "3" } != nil,
                "first sync: \(replicas.values.map(\.output).joined(separator: "\n"))")
        let holder = { try? cluster.kubectl(["get", "leases", "-n", "tether-system", "-o", "jsonpath={.items[0].spec.holderIdentity}"]).stdout }
        guard let leader = holder(), let leaderDaemon = replicas[leader] else { Issue.record("no Lease holder: \(holder() ?? "")"); return }
        let standby = leader == "replica-a" ? "replica-b" : "replica-a"
        // Several polls with both replicas up.
        Thread.sleep(forTimeInterval: 3)
        #expect(try replicas[standby]!.get("/status").body.contains("standby"))
        let writers = Set(Self.memberWrites(try cluster.audit()).map(replica))
        #expect(writers == [leader], "only the leader applies: \(writers)")
        let standbyWrites = try cluster.audit().filter { replica($0) == standby && ($0["write"] as? Bool) == true }
        #expect(standbyWrites.allSatisfy { ($0["resource"] as? String) == "leases" }, "the standby writes only the Lease")

        // The leader dies without releasing the Lease.
        try cluster.resetAudit()
        kill(leaderDaemon.process.processIdentifier, SIGKILL)
        leaderDaemon.process.waitUntilExit()
        try git.push("overlays/aws/kustomization.yaml", "count: 3", "count: 4", message: "four replicas")
        let handedOver = RunCommandTests.eventually(within: 3 + 5) { cluster.replicas() == "4" }
        print("leader election: new commit applied \(handedOver.map { String(format: "%.2f s", $0) } ?? "never") after SIGKILL (lease 3 s)")
        #expect(handedOver != nil, "the standby applies within the lease duration (+5 s): \(replicas[standby]!.output.suffix(1500))")
        #expect(holder() == standby)
        #expect(Set(Self.memberWrites(try cluster.audit()).map(replica)) == [standby])
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw SyncCommandTests.CLIError("no free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
private func canConnect(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}

