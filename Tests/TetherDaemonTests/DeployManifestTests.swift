import Foundation
import Logging
import Testing
import TetherEmulator
import TetherModel
import TestSupport

/// The repository root, from this file's path.
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

private let kubectlPath: String? = {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let path = "\(dir)/kubectl"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}()

extension Trait where Self == ConditionTrait {
    /// Runs only where `kubectl` (with its built-in kustomize) is installed.
    static var requiresKubectl: Self { .enabled(if: kubectlPath != nil, "kubectl is not on PATH") }
}

@Suite("deploy/ manifests", .serialized, .timeLimit(.minutes(1)), .capturedLogs)
struct DeployManifestTests {
    static func documents(_ path: String) throws -> [Value] {
        let text = try String(contentsOfFile: repositoryRoot + "/" + path, encoding: .utf8)
        return try YAMLDecoder().decode(text, file: path).map(\.value)
    }

    /// `Kind` to its resource name, as the API server's RESTMapper pluralises it.
    static func plural(_ kind: String) -> String {
        let lower = kind.lowercased()
        if lower.hasSuffix("y") { return lower.dropLast() + "ies" }
        if lower.hasSuffix("s") { return lower + "es" }
        return lower + "s"
    }

    struct Rule {
        var groups: [String]
        var resources: [String]
        var verbs: [String]
        var resourceNames: [String]
    }

    static func managerRules() throws -> [Rule] {
        let role = try documents("deploy/base/rbac-manager.yaml").first { $0["kind"] == "ClusterRole" }
        return (role?["rules"]?.listValue ?? []).map { rule in
            func strings(_ key: String) -> [String] { rule[key]?.listValue?.compactMap(\.stringValue) ?? [] }
            return Rule(groups: strings("apiGroups"), resources: strings("resources"), verbs: strings("verbs"),
                        resourceNames: strings("resourceNames"))
        }
    }

    @Test("the manager role covers every kind overlays-example renders with the engine's verbs, and nothing wider")
    func leastPrivilege() throws {
        let rules = try Self.managerRules()
        #expect(!rules.isEmpty)
        let needed = ["get", "list", "watch", "create", "patch", "delete"]
        var kinds: Set<String> = []
        var clusterRoles: Set<String> = []
        for cloud in ["aws", "gcp", "azure"] {
            for object in try Self.documents("fixtures/overlays-example/\(cloud).yaml") {
                let gvk = GroupVersionKind(apiVersion: object["apiVersion"]?.stringValue ?? "", kind: object["kind"]?.stringValue ?? "")
                kinds.insert(gvk.group + "/" + Self.plural(gvk.kind))
                if gvk.kind == "ClusterRole", let name = object[path: ["metadata", "name"]]?.stringValue { clusterRoles.insert(name) }
            }
        }
        #expect(kinds.count >= 13)
        for kind in kinds.sorted() {
            let parts = kind.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let granted = Set(rules.filter { $0.groups.contains(parts[0]) && $0.resources.contains(parts[1]) && $0.resourceNames.isEmpty }
                .flatMap(\.verbs))
            #expect(granted.isSuperset(of: needed), "\(kind) lacks \(Set(needed).subtracting(granted).sorted())")
        }
        // Exactly these kinds, so a kind dropped from the repository is noticed here too.
        let listed = Set(rules.filter { $0.resourceNames.isEmpty }.flatMap { rule in
            rule.groups.flatMap { group in rule.resources.map { group + "/" + $0 } }
        })
        #expect(listed == kinds)
        for rule in rules {
            #expect(!rule.verbs.contains("*") && !rule.resources.contains("*") && !rule.groups.contains("*"))
            #expect(!rule.resources.contains("secrets"), "Tether reads its own secrets from files, not the API")
            if rule.verbs.contains("escalate") || rule.verbs.contains("bind") {
                #expect(rule.resourceNames.sorted() == clusterRoles.sorted())
            }
        }
        // Events and the Lease only in Tether's namespace.
        let role = try Self.documents("deploy/base/rbac-leader-election.yaml").first { $0["kind"] == "Role" }
        let namespaced = (role?["rules"]?.listValue ?? []).map { rule in
            (rule["resources"]?.listValue?.compactMap(\.stringValue) ?? [], rule["verbs"]?.listValue?.compactMap(\.stringValue) ?? [])
        }
        #expect(namespaced.map(\.0) == [["leases"], ["events"]])
        #expect(namespaced.map(\.1) == [["get", "create", "update"], ["create"]])
    }

    @Test("the Deployment mounts the webhook and Git secrets from Secrets and probes healthz/readyz")
    func deployment() throws {
        let deployment = try Self.documents("deploy/base/deployment.yaml")[0]
        let pod = deployment[path: ["spec", "template", "spec"]]
        let container = pod?["containers"]?.listValue?.first
        let args = container?["args"]?.listValue?.compactMap(\.stringValue) ?? []
        #expect(args.first == "run")
        #expect(args.contains("--webhook-secret-file=/etc/tether/webhook/secret"))
        #expect(args.contains("--leader-elect"))
        let secrets = pod?["volumes"]?.listValue?.compactMap { $0[path: ["secret", "secretName"]]?.stringValue }
        #expect(secrets == ["tether-git-credentials", "tether-webhook"])
        #expect(container?[path: ["livenessProbe", "httpGet", "path"]] == "/healthz")
        #expect(container?[path: ["readinessProbe", "httpGet", "path"]] == "/readyz")
        #expect(container?[path: ["securityContext", "readOnlyRootFilesystem"]] == .bool(true))
        // SIGTERM must leave time for --shutdown-timeout.
        #expect(args.contains("--shutdown-timeout=45"))
        #expect(pod?["terminationGracePeriodSeconds"] == .int(60))
    }

    @Test("every overlay and the sidecar example render with kubectl kustomize and pass a server-side dry run",
          .requiresKubectl)
    func dryRun() async throws {
        let emulator = EmulatorServer(logger: quietLogger("emulator"))
        let address = try await emulator.start(listen: "127.0.0.1:0")
        let kubeconfig = NSTemporaryDirectory() + "tether-daemon-kubeconfig-" + UUID().uuidString
        FileManager.default.createFile(atPath: kubeconfig, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = kubeconfig
        func kubectl(_ arguments: [String], input: [UInt8]? = nil) async throws -> String {
            try await runProcess(kubectlPath!, ["--server", "http://" + address] + arguments, input: input, environment: environment)
        }
        for namespace in ["tether-system", "platform"] {
            _ = try await kubectl(["apply", "-f", "-"], input: Array("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \(namespace)\n".utf8))
        }
        for directory in ["deploy/overlays/aws", "deploy/overlays/gcp", "deploy/overlays/azure", "deploy/examples/sidecar-host"] {
            let rendered = try await runProcess(kubectlPath!, ["kustomize", repositoryRoot + "/" + directory], environment: environment)
            let objects = try YAMLDecoder().decode(rendered, file: directory).map(\.value)
            let output = try await kubectl(["apply", "--server-side", "--dry-run=server", "-f", "-"], input: Array(rendered.utf8))
            let lines = output.split(separator: "\n")
            #expect(lines.count == objects.count, "\(directory): \(output)")
            #expect(lines.allSatisfy { $0.hasSuffix("(server dry run)") }, "\(directory): \(output)")
            if directory.hasSuffix("sidecar-host") {
                let containers = objects[0][path: ["spec", "template", "spec", "containers"]]?.listValue?.compactMap { $0["name"]?.stringValue }
                #expect(containers?.sorted() == ["agent", "tether"])
            } else {
                let cloud = String(directory.split(separator: "/").last!)
                #expect(objects.contains { $0["kind"] == "ConfigMap" && $0[path: ["data", "path"]] == .string("overlays/\(cloud)") })
                #expect(objects.count == 10)
            }
        }
        // Dry runs stored nothing.
        let deployments = try await kubectl(["get", "deployments", "-A", "-o", "name"])
        #expect(deployments.isEmpty)
        await emulator.stop()
    }
}
