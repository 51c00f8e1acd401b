import Foundation
import Testing
@testable import TetherKube
import TetherModel
import Logging

extension KubeSuites {
    @Suite("KubeClient operations over HTTP", .timeLimit(.minutes(1)))
    struct ClientOperationTests {
        @Test("create, get, update with conflict, patch (json, merge, strategic), delete")
        func crud() async throws {
            let server = try TestServer()
            let client = server.client()
            let created = try await client.create(makeConfigMap("web"))
            #expect(created.namespace == "default")
            let rv = try #require(created.value[path: ["metadata", "resourceVersion"]]?.stringValue)
            let fetched = try await client.get(configMap, name: "web")
            #expect(fetched.value[path: ["data", "k"]] == "v")

            let duplicate = await #expect(throws: KubeError.self) { try await client.create(makeConfigMap("web")) }
            #expect(duplicate?.code == .alreadyExists)

            var changed = fetched
            changed.value = try setting(fetched.value, ["data", "k"], "v2")
            let updated = try await client.update(changed)
            #expect(updated.value[path: ["data", "k"]] == "v2")
            let stale = await #expect(throws: KubeError.self) { try await client.update(changed) }
            #expect(stale?.code == .conflict)
            #expect(rv != updated.value[path: ["metadata", "resourceVersion"]]?.stringValue)

            let merged = try await client.patch(configMap, name: "web", patch: Patch(.merge, ["data": ["m": "1"]]))
            #expect(merged.value[path: ["data", "m"]] == "1")
            let strategic = try await client.patch(configMap, name: "web", patch: Patch(.strategic, ["data": ["s": "1"]]))
            #expect(strategic.value[path: ["data", "s"]] == "1")
            let json = try await client.patch(configMap, name: "web",
                                              patch: Patch(.json, [["op": "replace", "path": "/data/k", "value": "j"]]))
            #expect(json.value[path: ["data", "k"]] == "j")

            #expect(try await client.delete(configMap, name: "web", options: DeleteOptions(propagationPolicy: .foreground)) == .deleted)
            let missing = await #expect(throws: KubeError.self) { try await client.get(configMap, name: "web") }
            #expect(missing?.code == .notFound)
            #expect(missing?.description == #"get ConfigMap/default/web: configmaps "web" not found (404 NotFound)."#)

            let requests = try server.requests()
            let types = requests.compactMap { $0["contentType"]?.stringValue }
            #expect(types.contains("application/merge-patch+json"))
            #expect(types.contains("application/strategic-merge-patch+json"))
            #expect(types.contains("application/json-patch+json"))
            let deletion = try #require(requests.last { $0["method"] == "DELETE" })
            #expect(deletion["body"]?.stringValue?.contains(#""propagationPolicy":"Foreground""#) == true)
            #expect(requests.allSatisfy { $0["userAgent"] == "tether/0.1.0" })
        }

        @Test("server-side apply sends fieldManager and force; dryRun=All stores nothing")
        func apply() async throws {
            let server = try TestServer()
            let client = server.client()
            var desired = makeConfigMap("app", namespace: "")
            let applied = try await client.apply(desired, options: ApplyOptions(fieldManager: "tether", force: true))
            #expect(applied.namespace == "default")
            desired.value = try setting(desired.value, ["data", "k"], "dry")
            let dry = try await client.apply(desired, options: ApplyOptions(fieldManager: "tether", dryRun: .all))
            #expect(dry.value[path: ["data", "k"]] == "dry")
            #expect(try await client.get(configMap, name: "app").value[path: ["data", "k"]] == "v")
            _ = try await client.create(makeConfigMap("dry-only"), options: WriteOptions(dryRun: .all))
            #expect(try await client.list(configMap).items.map(\.name) == ["app"])
            #expect(try await client.delete(configMap, name: "app", options: DeleteOptions(dryRun: .all)) == .deleted)
            #expect(try await client.list(configMap).items.count == 1)

            let patches = try server.requests().filter { $0["method"] == "PATCH" }
            #expect(patches.count == 2)
            #expect(patches[0]["contentType"] == "application/apply-patch+yaml")
            #expect(patches[0]["query"]?["fieldManager"] == "tether")
            #expect(patches[0]["query"]?["force"] == "true")
            #expect(patches[1]["query"]?["dryRun"] == "All")
            #expect(patches[0]["body"]?.stringValue?.contains(#""namespace":"default""#) == true)
        }

        @Test("list pages with limit/continue; listAll restarts when the token expires; items get apiVersion/kind")
        func paging() async throws {
            let server = try TestServer()
            let client = server.client()
            for index in 0..<7 { _ = try await client.create(makeConfigMap("cm-\(index)")) }
            let first = try await client.list(configMap, options: ListOptions(limit: 3))
            #expect(first.items.count == 3)
            #expect(first.items[0].apiVersion == "v1" && first.items[0].kind == "ConfigMap")
            let token = try #require(first.continueToken)
            let second = try await client.list(configMap, options: ListOptions(limit: 3, continueToken: token))
            #expect(second.items.map(\.name) == ["cm-3", "cm-4", "cm-5"])
            let all = try await client.listAll(configMap, pageSize: 2)
            #expect(all.items.count == 7)
            #expect(try server.requests().filter { $0["query"]?["limit"] == "2" }.count == 4)
            let expired = await #expect(throws: KubeError.self) {
                try await client.list(configMap, options: ListOptions(limit: 2, continueToken: "expired"))
            }
            #expect(expired?.code == .gone)
            #expect(try await client.list(configMap, namespace: "").items.count == 7)
        }

        @Test("discovery maps kinds to resources, caches, and refreshes for a new kind")
        func discovery() async throws {
            let server = try TestServer()
            let client = server.client()
            let widget = GroupVersionKind(group: "example.com", version: "v1", kind: "Widget")
            let mapping = try await client.mapping(for: widget)
            #expect(mapping.resource == "widgets" && mapping.namespaced)
            #expect(mapping.path(namespace: "ns", name: "w") == "/apis/example.com/v1/namespaces/ns/widgets/w")
            let namespace = try await client.mapping(for: GroupVersionKind(group: "", version: "v1", kind: "Namespace"))
            #expect(!namespace.namespaced)
            #expect(namespace.path(namespace: "ignored", name: "n", subresource: "status") == "/api/v1/namespaces/n/status")
            _ = try await client.mapping(for: widget)
            #expect(try server.requests().filter { $0["path"] == "/apis/example.com/v1" }.count == 1, "cached")

            let gadget = GroupVersionKind(group: "example.com", version: "v1", kind: "Gadget")
            let missing = await #expect(throws: KubeError.self) { try await client.mapping(for: gadget) }
            #expect(missing?.code == .noResourceMatch)
            try server.control("resources", #"{"groupVersion":"example.com/v1","resource":{"name":"gadgets","namespaced":false,"kind":"Gadget","verbs":["get"]}}"#)
            #expect(try await client.mapping(for: gadget).resource == "gadgets")
            let unknownGroup = await #expect(throws: KubeError.self) {
                try await client.mapping(for: GroupVersionKind(group: "nope.io", version: "v1", kind: "X"))
            }
            #expect(unknownGroup?.code == .noResourceMatch)
            #expect(try await client.serverGroupVersions().contains("example.com/v1"))
        }

        @Test("sequential requests reuse one HTTP/1.1 keep-alive connection, over HTTP and HTTPS without h2 in ALPN")
        func keepAlive() async throws {
            for scheme in [TestServer.Scheme.http, .https] {
                let server = try TestServer(scheme)
                let client = server.client(tls: try server.trustingTLS())
                for _ in 0..<5 { _ = try await client.list(configMap) }
                let ports = Set(try server.requests().compactMap { $0["clientPort"]?.intValue })
                #expect(ports.count == 1, "\(scheme): \(ports)")
                // Python's server offers no ALPN protocol, so HTTPS falls back to HTTP/1.1.
                #expect(client.transportStatistics == TransportStatistics(responses: 6, http2Responses: 0, connectionsOpened: 1),
                        "\(scheme)")
            }
        }

        @Test("proxy-url sends requests through the proxy")
        func proxy() async throws {
            let proxy = try TestServer()
            // The API server name does not resolve; only the proxy can answer.
            let config = KubeConfig(server: "http://kube-api.invalid:6443", proxyURL: proxy.url)
            let client = KubeClient(config: config, options: TestServer.fastOptions(), logger: Logger(label: "test"))
            #expect(try await client.list(configMap).items.isEmpty)
            #expect(try proxy.requests().contains { $0["path"] == "/api/v1/namespaces/default/configmaps" })
        }

        @Test("names and query values are percent-encoded; plain ones are left alone")
        func escaping() {
            #expect(KubeClient.pathEscape("web-1.example") == "web-1.example")
            #expect(KubeClient.pathEscape("a b/c") == "a%20b%2Fc")
            #expect(KubeClient.pathEscape("system:node@x") == "system:node@x")
            #expect(KubeClient.pathEscape("é") == "%C3%A9")
            #expect(KubeClient.queryEscape("app in (a,b)") == "app%20in%20%28a%2Cb%29")
            #expect(KubeClient.queryEscape("a=b&c") == "a%3Db%26c")
            #expect(KubeClient.queryEscape("system:x") == "system%3Ax")
        }

        @Test("subresources are addressed by path")
        func subresource() async throws {
            let server = try TestServer()
            let client = server.client()
            try server.script(#"[{"method":"GET","path":"/api/v1/namespaces/ns1/status","body":{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ns1"},"status":{"phase":"Active"}}}]"#)
            let ns = try await client.get(GroupVersionKind(group: "", version: "v1", kind: "Namespace"), name: "ns1", subresource: "status")
            #expect(ns.value[path: ["status", "phase"]] == "Active")
        }
    }
}

extension KubeSuites {
    @Suite("retries, rate limits, timeouts and cancellation", .timeLimit(.minutes(1)))
    struct ClientResilienceTests {
        @Test("429 with Retry-After and 503 are retried for GET")
        func retries() async throws {
            let server = try TestServer()
            let client = server.client()
            _ = try await client.create(makeConfigMap("r"))
            try server.script("""
            [{"method":"GET","path":"/api/v1/namespaces/default/configmaps/r","status":429,"headers":{"Retry-After":"1"},"body":{"kind":"Status","code":429,"reason":"TooManyRequests","message":"slow down"}},
             {"method":"GET","path":"/api/v1/namespaces/default/configmaps/r","status":503,"body":"unavailable"}]
            """)
            let started = ContinuousClock.now
            let object = try await client.get(configMap, name: "r")
            #expect(object.name == "r")
            #expect(ContinuousClock.now - started >= .milliseconds(900), "Retry-After: 1 was honoured")
            let gets = try server.requests().filter { $0["method"] == "GET" && $0["path"] == "/api/v1/namespaces/default/configmaps/r" }
            #expect(gets.count == 3)
        }

        @Test("422, 409 and POST after 503 are not retried; repeated 503 gives up")
        func noRetry() async throws {
            let server = try TestServer()
            let client = server.client()
            _ = try await client.mapping(for: configMap)
            let path = "/api/v1/namespaces/default/configmaps/x"
            try server.script(#"[{"method":"PUT","path":"\#(path)","status":422,"body":{"kind":"Status","code":422,"reason":"Invalid","message":"bad"}}]"#)
            let invalid = await #expect(throws: KubeError.self) { try await client.update(makeConfigMap("x")) }
            #expect(invalid?.code == .invalid)
            try server.script(#"[{"method":"PUT","path":"\#(path)","status":409,"body":{"kind":"Status","code":409,"reason":"Conflict","message":"stale"}}]"#)
            let conflict = await #expect(throws: KubeError.self) { try await client.update(makeConfigMap("x")) }
            #expect(conflict?.code == .conflict)
            try server.script(#"[{"method":"POST","path":"/api/v1/namespaces/default/configmaps","status":503,"body":"x"}]"#)
            let post = await #expect(throws: KubeError.self) { try await client.create(makeConfigMap("x")) }
            #expect(post?.code == .serverError)
            try server.script(String(repeating: #"{"method":"GET","path":"\#(path)","status":500,"body":"boom"},"#, count: 4).dropLast().description.wrappedInBrackets)
            let exhausted = await #expect(throws: KubeError.self) { try await client.get(configMap, name: "x") }
            #expect(exhausted?.code == .serverError)
            let requests = try server.requests()
            #expect(requests.filter { $0["method"] == "PUT" }.count == 2)
            #expect(requests.filter { $0["method"] == "POST" }.count == 1)
            #expect(requests.filter { $0["method"] == "GET" && $0["path"]?.stringValue == path }.count == 4)
        }

        @Test("connection refused is retried, then reported as a transport error")
        func connectionRefused() async throws {
            let port: Int
            do { let server = try TestServer(); port = server.port }  // closed when the server goes away
            try await Task.sleep(for: .milliseconds(200))
            let client = KubeClient(config: KubeConfig(server: "http://127.0.0.1:\(port)"), options: TestServer.fastOptions(),
                                    logger: .init(label: "test"))
            let error = await #expect(throws: KubeError.self) { try await client.get(configMap, name: "x") }
            #expect(error?.code == .transport)
        }

        @Test("a slow response hits the request timeout (HTTP: pooled handle, HTTPS: multi handle)",
              arguments: [TestServer.Scheme.http, .https])
        func timeout(scheme: TestServer.Scheme) async throws {
            let server = try TestServer(scheme)
            var options = TestServer.fastOptions()
            options.retry = .none
            options.requestTimeout = .milliseconds(500)
            let client = server.client(tls: try server.trustingTLS(), options: options)
            _ = try await client.mapping(for: configMap)
            try server.script(#"[{"method":"GET","path":"*","delay":3,"body":{}}]"#)
            let error = await #expect(throws: KubeError.self) { try await client.get(configMap, name: "slow") }
            #expect(error?.code == .timeout)
        }

        @Test("cancelling the task aborts the curl transfer promptly; the client keeps working (HTTP: pooled handle, HTTPS: multi handle)",
              arguments: [TestServer.Scheme.http, .https])
        func cancellation(scheme: TestServer.Scheme) async throws {
            let server = try TestServer(scheme)
            let client = server.client(tls: try server.trustingTLS())
            _ = try await client.mapping(for: configMap)
            try server.script(#"[{"method":"GET","path":"*","delay":20,"body":{}}]"#)
            let started = ContinuousClock.now
            let task = Task { try await client.get(configMap, name: "slow") }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            let result = await task.result
            if case .failure(let error as KubeError) = result { #expect(error.code == .cancelled) } else { Issue.record("\(result)") }
            // The server would answer after 20 s; finishing well before proves the abort.
            #expect(ContinuousClock.now - started < .seconds(15))
            #expect(try await client.list(configMap).items.isEmpty, "other transfers go on")
        }

        @Test("QPS limits the request rate and concurrency is bounded")
        func rateLimit() async throws {
            let server = try TestServer()
            var options = TestServer.fastOptions()
            options.qps = 10
            options.burst = 1
            options.maxConcurrentRequests = 2
            let client = server.client(options: options)
            _ = try await client.mapping(for: configMap)
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 { group.addTask { _ = try await client.list(configMap) } }
                try await group.waitForAll()
            }
            #expect(ContinuousClock.now - started >= .milliseconds(450), "6 requests at 10 QPS with burst 1 take ~0.5 s")
        }
    }
}

extension String {
    var wrappedInBrackets: String { "[" + self + "]" }
}

func setting(_ value: Value, _ path: [String], _ newValue: Value) throws -> Value {
    guard let first = path.first else { return newValue }
    guard case .map(var map) = value else { throw TestFailure("not a map at \(first)") }
    map[first] = try setting(map[first] ?? .map(OrderedMap()), Array(path.dropFirst()), newValue)
    return .map(map)
}
