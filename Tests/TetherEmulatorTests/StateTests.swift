import Foundation
import Testing
@testable import TetherEmulator

extension EmulatorSuites {
    @Suite("--state persistence across restarts", .timeLimit(.minutes(1)))
    struct StateTests {
        static func get(_ address: String, _ path: String) async throws -> (code: Int, body: String) {
            try await AuthTests.curl(["http://\(address)\(path)"])
        }

        static func send(_ address: String, _ method: String, _ path: String, _ body: String,
                         contentType: String = "application/json") async throws -> (code: Int, body: String) {
            try await AuthTests.curl(["-X", method, "-H", "Content-Type: \(contentType)", "--data-binary", body, "http://\(address)\(path)"])
        }

        static func json(_ body: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "\(body)")
        }

        @Test("objects, resourceVersions, CRDs and allocated cluster IPs survive a restart; deletions stay deleted")
        func restart() async throws {
            let dir = try AuthTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            var options = EmulatorOptions(controllers: false)
            options.stateDirectory = dir.path
            let first = EmulatorServer(options: options)
            var address = try await first.start(listen: "127.0.0.1:0")
            var r = try await Self.send(address, "POST", "/api/v1/namespaces", #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"keep"}}"#)
            #expect(r.code == 201, "\(r.body)")
            for name in ["a", "b", "gone"] {
                r = try await Self.send(address, "POST", "/api/v1/namespaces/keep/configmaps",
                                        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)"},"data":{"k":"1"}}"#)
                #expect(r.code == 201, "\(r.body)")
            }
            r = try await Self.send(address, "PATCH", "/api/v1/namespaces/keep/configmaps/a", #"{"data":{"k":"2"}}"#,
                                    contentType: "application/merge-patch+json")
            #expect(r.code == 200)
            r = try await Self.send(address, "DELETE", "/api/v1/namespaces/keep/configmaps/gone", "")
            #expect(r.code == 200, "\(r.body)")
            r = try await Self.send(address, "POST", "/api/v1/namespaces/keep/services",
                                    #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"s1"},"spec":{"ports":[{"port":80}]}}"#)
            #expect(r.code == 201 && r.body.contains("10.96.0.10"), "\(r.body)")
            r = try await Self.send(address, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", #"""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
                 "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"widgets","kind":"Widget"},
                 "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
                """#)
            #expect(r.code == 201, "\(r.body)")
            r = try await Self.send(address, "POST", "/apis/example.com/v1/namespaces/keep/widgets",
                                    #"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":3}}"#)
            #expect(r.code == 201, "\(r.body)")
            let before = try Self.json(try await Self.get(address, "/api/v1/namespaces/keep/configmaps/a").body)
            await first.stop()
            let lastVersion = await first.store.currentResourceVersion

            let second = EmulatorServer(options: options)
            address = try await second.start(listen: "127.0.0.1:0")
            defer { Task { await second.stop() } }
            let after = try Self.json(try await Self.get(address, "/api/v1/namespaces/keep/configmaps/a").body)
            #expect(NSDictionary(dictionary: after) == NSDictionary(dictionary: before), "\(after)")
            #expect(await second.store.currentResourceVersion == lastVersion)
            #expect(try await Self.get(address, "/api/v1/namespaces/keep/configmaps/gone").code == 404)
            r = try await Self.get(address, "/apis/example.com/v1/namespaces/keep/widgets/w")
            #expect(r.code == 200 && r.body.contains(#""size":3"#), "custom resources stay served: \(r.body)")
            r = try await Self.send(address, "POST", "/api/v1/namespaces/keep/services",
                                    #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"s2"},"spec":{"ports":[{"port":80}]}}"#)
            #expect(r.code == 201 && r.body.contains("10.96.0.11"), "the restored Service keeps its IP: \(r.body)")
            let created = try Self.json(r.body)
            let rv = Int(((created["metadata"] as? [String: Any])?["resourceVersion"] as? String) ?? "") ?? 0
            #expect(rv == lastVersion + 1, "resourceVersions go on from where they were")
            r = try await Self.get(address, "/api/v1/namespaces/keep/configmaps?watch=1&resourceVersion=\(lastVersion - 3)")
            #expect(r.body.contains(#""code":410"#), "history before the restart is gone: \(r.body)")
        }

        @Test("SIGKILL mid-run loses nothing answered; a torn log tail is cut off", .enabled(if: CommandTests.binary != nil))
        func crash() async throws {
            let dir = try AuthTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let binary = try #require(CommandTests.binary)
            var (process, address) = try await Self.launch(binary, dir.path)
            var r = try await Self.send(address, "POST", "/api/v1/namespaces", #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"crash"}}"#)
            #expect(r.code == 201)
            for i in 0..<20 {
                r = try await Self.send(address, "POST", "/api/v1/namespaces/crash/configmaps",
                                        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-\#(i)"}}"#)
                #expect(r.code == 201, "\(r.body)")
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // A write the crash cut in half.
            let log = try FileHandle(forWritingTo: dir.appendingPathComponent("wal.log"))
            try log.seekToEnd()
            try log.write(contentsOf: Data("0badc0de {\"rv\":99999,\"gro".utf8))
            try log.close()

            (process, address) = try await Self.launch(binary, dir.path)
            defer { kill(process.processIdentifier, SIGKILL) }
            r = try await Self.get(address, "/api/v1/namespaces/crash/configmaps")
            #expect(r.code == 200)
            let items = try Self.json(r.body)["items"] as? [[String: Any]] ?? []
            #expect(items.count == 20, "\(r.body.prefix(300))")
            r = try await Self.send(address, "POST", "/api/v1/namespaces/crash/configmaps",
                                    #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"after"}}"#)
            #expect(r.code == 201, "\(r.body)")
        }

        /// Starts `tether emulator --state DIR` and reads its address from the first line.
        static func launch(_ binary: String, _ state: String) async throws -> (Process, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["emulator", "--listen", "127.0.0.1:0", "--state", state]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let line = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
                DispatchQueue.global().async {
                    var text = ""
                    while !text.contains("\n") {
                        let data = out.fileHandleForReading.availableData
                        if data.isEmpty { break }
                        text += String(decoding: data, as: UTF8.self)
                    }
                    continuation.resume(returning: text)
                }
            }
            let url = line.split(separator: "\n").first?.split(separator: " ").last ?? ""
            return (process, String(url.dropFirst("http://".count)))
        }
    }
}
