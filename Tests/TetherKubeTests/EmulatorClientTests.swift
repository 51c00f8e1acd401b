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

        static func start() async throws -> (EmulatorServer, KubeClient) {
            let emulator = EmulatorServer(logger: Logger(label: "emulator"))
            let address = try await emulator.start(listen: "127.0.0.1:0")
            let config = try KubeConfig.server(url: "http://" + address)
            return (emulator, KubeClient(config: config, options: TestServer.fastOptions(), logger: Logger(label: "test")))
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
    }
}
