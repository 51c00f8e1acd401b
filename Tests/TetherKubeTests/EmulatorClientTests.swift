import Foundation
import Logging
import Testing
import TetherEmulator
@testable import TetherKube
import TetherModel

extension KubeSuites {
    /// The client against the project's own API emulator: the two were written separately
    /// and share only `TetherModel`, so each checks the other's encoding.
    @Suite("KubeClient against TetherEmulator", .timeLimit(.minutes(1)))
    struct EmulatorClientTests {
        static let namespaceKind = GroupVersionKind(group: "", version: "v1", kind: "Namespace")

        static func start(_ options: EmulatorOptions = EmulatorOptions(),
                          client clientOptions: KubeClient.Options = TestServer.fastOptions()) async throws -> (EmulatorServer, KubeClient) {
            let emulator = EmulatorServer(options: options, logger: Logger(label: "emulator"))
            let address = try await emulator.start(listen: "127.0.0.1:0")
            let config = try KubeConfig.server(url: "http://" + address)
            return (emulator, KubeClient(config: config, options: clientOptions, logger: Logger(label: "test")))
        }

        static func namespace(_ client: KubeClient, _ prefix: String) async throws -> String {
            let name = prefix + "-" + UUID().uuidString.prefix(8).lowercased()
            let ns: Value = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
            _ = try await client.apply(Resource(ns), options: ApplyOptions(fieldManager: "tether"))
            return name
        }

        @Test("apply, get, list, dry run, field-manager conflict, force, delete")
        func lifecycle() async throws {
            let (emulator, client) = try await Self.start()
            defer { Task { await emulator.stop() } }
            let ns = try await Self.namespace(client, "apply")
            let desired = makeConfigMap("web", namespace: ns, data: [("a", "1")])
            let applied = try await client.apply(desired, options: ApplyOptions(fieldManager: "tether"))
            #expect(applied.value[path: ["data", "a"]] == "1")
            #expect(try await client.get(configMap, name: "web", namespace: ns).value[path: ["data", "a"]] == "1")
            #expect(try await client.list(configMap, namespace: ns).items.map(\.name) == ["web"])

            let dry = try await client.apply(makeConfigMap("web", namespace: ns, data: [("a", "dry")]),
                                             options: ApplyOptions(fieldManager: "tether", dryRun: .all))
            #expect(dry.value[path: ["data", "a"]] == "dry")
            #expect(try await client.get(configMap, name: "web", namespace: ns).value[path: ["data", "a"]] == "1")

            let other = makeConfigMap("web", namespace: ns, data: [("a", "2")])
            let conflict = await #expect(throws: KubeError.self) {
                try await client.apply(other, options: ApplyOptions(fieldManager: "someone-else"))
            }
            #expect(conflict?.code == .conflict)
            #expect(conflict?.causes.isEmpty == false)
            let forced = try await client.apply(other, options: ApplyOptions(fieldManager: "someone-else", force: true))
            #expect(forced.value[path: ["data", "a"]] == "2")

            _ = try await client.delete(configMap, name: "web", namespace: ns, options: DeleteOptions(propagationPolicy: .background))
            let gone = await #expect(throws: KubeError.self) { try await client.get(configMap, name: "web", namespace: ns) }
            #expect(gone?.code == .notFound)
            let missingNamespace = await #expect(throws: KubeError.self) {
                try await client.create(makeConfigMap("x", namespace: "does-not-exist"))
            }
            #expect(missingNamespace?.code == .notFound)
        }

        @Test("watch lists, then sees modified and deleted in order")
        func watch() async throws {
            let (emulator, client) = try await Self.start()
            defer { Task { await emulator.stop() } }
            let ns = try await Self.namespace(client, "watch")
            _ = try await client.apply(makeConfigMap("w", namespace: ns, data: [("a", "0")]), options: ApplyOptions(fieldManager: "t"))
            var iterator = client.watch(configMap, namespace: ns).makeAsyncIterator()
            // The first event comes from the initial list; changes after it arrive through the watch.
            guard case .added(let listed)? = try await iterator.next() else { throw TestFailure("expected the listed object") }
            #expect(listed.value[path: ["data", "a"]] == "0")
            let writer = Task {
                _ = try await client.apply(makeConfigMap("w", namespace: ns, data: [("a", "1")]), options: ApplyOptions(fieldManager: "t"))
                _ = try await client.apply(makeConfigMap("w", namespace: ns, data: [("a", "2")]), options: ApplyOptions(fieldManager: "t"))
                _ = try await client.delete(configMap, name: "w", namespace: ns)
            }
            var seen: [String] = []
            while seen.count < 3, let event = try await iterator.next() {
                switch event {
                case .added(let object): seen.append("added " + (object.value[path: ["data", "a"]]?.stringValue ?? ""))
                case .modified(let object): seen.append("modified " + (object.value[path: ["data", "a"]]?.stringValue ?? ""))
                case .deleted(let object): seen.append("deleted " + object.name)
                case .bookmark, .relisted: break
                }
            }
            try await writer.value
            #expect(seen == ["modified 1", "modified 2", "deleted w"])
        }

        @Test("discovery of apps/v1 and a paged list")
        func discoveryAndPaging() async throws {
            let (emulator, client) = try await Self.start()
            defer { Task { await emulator.stop() } }
            let deployment = try await client.mapping(for: GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"))
            #expect(deployment.resource == "deployments" && deployment.namespaced)
            #expect(try await client.mapping(for: Self.namespaceKind).namespaced == false)
            let ns = try await Self.namespace(client, "page")
            for index in 0..<5 { _ = try await client.create(makeConfigMap("c\(index)", namespace: ns)) }
            let all = try await client.listAll(configMap, namespace: ns, pageSize: 2)
            #expect(all.items.map(\.name) == ["c0", "c1", "c2", "c3", "c4"])
        }

        /// Requests the emulator answered for one object, by verb.
        static func audited(_ emulator: EmulatorServer, verb: String, name: String) async -> [AuditEntry] {
            await emulator.audit.entries.filter { $0.verb == verb && $0.name == name }
        }

        @Test("injected 429 and 503 are retried after Retry-After; a POST after 500 is not; 500s give up after maxAttempts")
        func injectedFaults() async throws {
            let (emulator, client) = try await Self.start()
            defer { Task { await emulator.stop() } }
            let ns = try await Self.namespace(client, "faults")
            _ = try await client.apply(makeConfigMap("r", namespace: ns), options: ApplyOptions(fieldManager: "t"))

            var plan = FaultPlan()
            plan.retryAfterSeconds = 1
            plan.failNext = .init(count: 1, code: 429, verbs: ["get"])
            await emulator.faults.set(plan)
            let started = ContinuousClock.now
            #expect(try await client.get(configMap, name: "r", namespace: ns).name == "r")
            #expect(ContinuousClock.now - started >= .milliseconds(900), "Retry-After: 1 was honoured")
            #expect(await Self.audited(emulator, verb: "get", name: "r").map(\.code) == [429, 200])

            plan.failNext = .init(count: 2, code: 503, verbs: ["apply"])
            await emulator.faults.set(plan)
            _ = try await client.apply(makeConfigMap("r", namespace: ns, data: [("k", "2")]), options: ApplyOptions(fieldManager: "t"))
            #expect(await Self.audited(emulator, verb: "apply", name: "r").map(\.code).suffix(3) == [503, 503, 200],
                    "server-side apply is idempotent, so it is retried")

            plan.failNext = .init(count: 1, code: 500, verbs: ["create"])
            await emulator.faults.set(plan)
            let post = await #expect(throws: KubeError.self) { try await client.create(makeConfigMap("p", namespace: ns)) }
            #expect(post?.code == .serverError)
            // A POST names no object in its path, so count every create in the namespace.
            #expect(await emulator.audit.entries.filter { $0.verb == "create" && $0.namespace == ns }.count == 1,
                    "POST is never retried")

            plan.failNext = .init(count: 10, code: 500, verbs: ["get"])
            await emulator.faults.set(plan)
            let exhausted = await #expect(throws: KubeError.self) { try await client.get(configMap, name: "r", namespace: ns) }
            #expect(exhausted?.code == .serverError)
            #expect(await Self.audited(emulator, verb: "get", name: "r").count == 2 + TestServer.fastOptions().retry.maxAttempts)
        }

        struct StatusCase: Sendable, CustomStringConvertible {
            var status: Int
            var code: KubeError.Code
            var description: String { "\(status) → \(code)" }
        }

        @Test("statuses the emulator injects reach the caller typed", arguments: [
            StatusCase(status: 401, code: .unauthorized), StatusCase(status: 403, code: .forbidden),
            StatusCase(status: 429, code: .tooManyRequests), StatusCase(status: 500, code: .serverError),
            StatusCase(status: 503, code: .serverError), StatusCase(status: 504, code: .timeout),
        ])
        func injectedStatuses(_ c: StatusCase) async throws {
            var options = TestServer.fastOptions()
            options.retry = .none
            let (emulator, client) = try await Self.start(client: options)
            defer { Task { await emulator.stop() } }
            _ = try await client.mapping(for: configMap)
            var plan = FaultPlan()
            plan.failNext = .init(count: 1, code: c.status, verbs: ["list"])
            await emulator.faults.set(plan)
            let error = await #expect(throws: KubeError.self) { try await client.list(configMap) }
            #expect(error?.code == c.code)
            #expect(error?.httpStatus == c.status)
            #expect(error?.description.hasPrefix("list ConfigMap in namespace default: ") == true, "\(String(describing: error))")
        }

        @Test("the emulator's own errors: NotFound, AlreadyExists, Conflict, Invalid with causes, BadRequest, Gone")
        func errorMappings() async throws {
            let (emulator, client) = try await Self.start(EmulatorOptions(watchHistoryLimit: 3))
            defer { Task { await emulator.stop() } }
            let ns = try await Self.namespace(client, "errors")
            let missing = await #expect(throws: KubeError.self) { try await client.get(configMap, name: "nope", namespace: ns) }
            #expect(missing?.code == .notFound)
            let created = try await client.create(makeConfigMap("c", namespace: ns))
            let duplicate = await #expect(throws: KubeError.self) { try await client.create(makeConfigMap("c", namespace: ns)) }
            #expect(duplicate?.code == .alreadyExists)
            _ = try await client.update(makeConfigMap("c", namespace: ns, data: [("k", "changed")]))
            let stale = await #expect(throws: KubeError.self) { try await client.update(created) }
            #expect(stale?.code == .conflict, "the update carried the old resourceVersion")
            let invalid = await #expect(throws: KubeError.self) { try await client.create(makeConfigMap("Not_A_Name", namespace: ns)) }
            #expect(invalid?.code == .invalid)
            #expect(invalid?.causes.contains { $0.field == "metadata.name" } == true, "\(String(describing: invalid))")
            #expect(invalid?.description.contains("Fix the listed fields.") == true)
            let selector = await #expect(throws: KubeError.self) {
                try await client.list(configMap, namespace: ns, options: ListOptions(labelSelector: "a in ("))
            }
            #expect(selector?.code == .badRequest)

            // Push the first version out of the emulator's short watch history.
            let start = try await client.list(configMap, namespace: ns).resourceVersion
            for index in 0..<6 { _ = try await client.create(makeConfigMap("h\(index)", namespace: ns)) }
            var options = WatchOptions(resourceVersion: start)
            options.relistOnGone = false
            let gone = await #expect(throws: KubeError.self) { for try await _ in client.watch(configMap, namespace: ns, options: options) {} }
            #expect(gone?.code == .gone)
            options.relistOnGone = true
            var iterator = client.watch(configMap, namespace: ns, options: options).makeAsyncIterator()
            guard case .relisted(let items, _)? = try await iterator.next() else { throw TestFailure("expected a re-list after 410") }
            #expect(items.count == 7)
        }

        @Test("a watch the emulator drops is resumed from the last resourceVersion without gaps")
        func watchDrops() async throws {
            var emulatorOptions = EmulatorOptions()
            emulatorOptions.faults.watchDropAfter = .milliseconds(300)
            let (emulator, client) = try await Self.start(emulatorOptions)
            defer { Task { await emulator.stop() } }
            let ns = try await Self.namespace(client, "drops")
            var iterator = client.watch(configMap, namespace: ns).makeAsyncIterator()
            let writer = Task {
                for index in 0..<6 {
                    _ = try await client.create(makeConfigMap("d\(index)", namespace: ns))
                    try await Task.sleep(for: .milliseconds(150))
                }
            }
            var names: [String] = []
            while names.count < 6, let event = try await iterator.next() {
                if case .added(let object) = event { names.append(object.name) }
            }
            try await writer.value
            #expect(names == (0..<6).map { "d\($0)" })
            let watches = await emulator.audit.entries.filter { $0.verb == "watch" }
            #expect(watches.count >= 2, "the dropped watch was resumed")
        }

        @Test("over HTTPS with the emulator's test CA: its kubeconfig (client certificate), a token file, none, a wrong CA")
        func https() async throws {
            let directory = try makeTempDirectory("emulator-tls")
            try "emulator-token-1,alice,uid-1,system:masters\n".write(toFile: directory + "/tokens.csv", atomically: true, encoding: .utf8)
            var options = EmulatorOptions()
            options.tlsDirectory = directory + "/tls"
            options.tokenFile = directory + "/tokens.csv"
            let emulator = EmulatorServer(options: options, logger: Logger(label: "emulator"))
            let address = try await emulator.start(listen: "127.0.0.1:0")
            defer { Task { await emulator.stop() } }
            let kubeconfig = try #require(await emulator.kubeconfigPath)

            // The kubeconfig the emulator writes, as kubectl would use it: CA and admin certificate inline.
            let config = try KubeConfig.load(.init(kubeconfigPath: kubeconfig, environment: [:]))
            #expect(config.server == "https://" + address)
            let admin = KubeClient(config: config, options: TestServer.fastOptions(), logger: Logger(label: "test"))
            let ns = try await Self.namespace(admin, "tls")
            _ = try await admin.apply(makeConfigMap("secure", namespace: ns), options: ApplyOptions(fieldManager: "t"))
            #expect(try await admin.get(configMap, name: "secure", namespace: ns).name == "secure")

            // A bearer token from a file, verified against the same CA.
            try "emulator-token-1\n".write(toFile: directory + "/token", atomically: true, encoding: .utf8)
            let withToken = KubeConfig(server: config.server, tls: KubeConfig.TLSSettings(certificateAuthority: config.tls.certificateAuthority),
                                       authentication: .tokenFile(directory + "/token"))
            let alice = KubeClient(config: withToken, options: TestServer.fastOptions(), logger: Logger(label: "test"))
            #expect(try await alice.list(configMap, namespace: ns).items.map(\.name) == ["secure"])
            let users = Set(await emulator.audit.entries.filter { $0.namespace == ns }.map(\.user))
            #expect(users.contains("kubernetes-admin") && users.contains("alice"), "\(users)")

            let anonymous = KubeClient(config: KubeConfig(server: config.server, tls: withToken.tls),
                                       options: TestServer.fastOptions(), logger: Logger(label: "test"))
            let unauthorized = await #expect(throws: KubeError.self) { try await anonymous.list(configMap, namespace: ns) }
            #expect(unauthorized?.code == .unauthorized)

            let wrongCA = KubeClient(config: KubeConfig(server: config.server,
                                                        tls: KubeConfig.TLSSettings(certificateAuthority: try TestPKI.shared().bytes("other-ca.crt")),
                                                        authentication: .tokenFile(directory + "/token")),
                                     options: TestServer.fastOptions(), logger: Logger(label: "test"))
            let refused = await #expect(throws: KubeError.self) { try await wrongCA.list(configMap, namespace: ns) }
            #expect(refused?.code == .tls)
        }
    }
}
