import Foundation
import Logging
import TetherEmulator
import TetherModel

// EmulatorBench: the issue's emulator figures. OBJECTS ConfigMaps are created
// one request at a time over a keep-alive connection while a watch opened
// before them receives every ADDED event; then the whole list is fetched in
// one request (5 times, the median counts), a watch from resourceVersion 0
// replays them all, and an unchanged object is server-side applied 200 times,
// timed inside the server (ObjectStore.apply) and over HTTP. Memory is the
// process's peak RSS (VmHWM), which also holds this client.

let objects = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 20_000
var logger = Logger(label: "emulator-bench")
logger.logLevel = .error
let server = EmulatorServer(options: EmulatorOptions(watchHistoryLimit: objects + 100, controllers: false), logger: logger)
let address = try await server.start(listen: "127.0.0.1:0")
let port = Int(address.split(separator: ":").last ?? "") ?? 0

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func memoryMiB(_ field: String) -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
}

/// Runs blocking socket work on its own thread, off the cooperative pool the server uses.
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// Reads a watch until `count` events of `type` arrived.
func watch(from resourceVersion: String, until count: Int, type: String) throws -> Duration {
    let connection = try HTTPConnection(port: port)
    let started = ContinuousClock.now
    try connection.send("GET", "/api/v1/namespaces/bench/configmaps?watch=1&resourceVersion=\(resourceVersion)")
    _ = try connection.readHead()
    var seen = 0
    let marker = Array("\"type\":\"\(type)\"".utf8)
    while seen < count, let chunk = try connection.readChunk() {
        // Chunks may hold several events; count the markers.
        var i = 0
        while i + marker.count <= chunk.count {
            if chunk[i] == marker[0], Array(chunk[i..<(i + marker.count)]) == marker { seen += 1; i += marker.count } else { i += 1 }
        }
    }
    return ContinuousClock.now - started
}

let setup = try HTTPConnection(port: port)
_ = try setup.request("POST", "/api/v1/namespaces", body: Array(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench"}}"#.utf8))
let startVersion = String(await server.store.currentResourceVersion)

// Create, with a watch receiving every object.
async let live = onThread { try watch(from: startVersion, until: objects, type: "ADDED") }
try await Task.sleep(for: .milliseconds(200))
let createTime = try await onThread { () throws -> Duration in
    let connection = try HTTPConnection(port: port)
    let started = ContinuousClock.now
    for i in 0..<objects {
        let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-\#(i)","labels":{"app":"bench","shard":"\#(i % 10)"}},"data":{"key":"value-\#(i)","other":"some longer text to make the object a realistic size \#(i)"}}"#
        let (status, response) = try connection.request("POST", "/api/v1/namespaces/bench/configmaps", body: Array(body.utf8))
        guard status == 201 else { throw BenchError("create \(i): \(status) \(String(decoding: response, as: UTF8.self))") }
    }
    return ContinuousClock.now - started
}
let liveTime = try await live

// Create again with protobuf bodies (kubectl's typed commands send them), a quarter as many.
_ = try setup.request("POST", "/api/v1/namespaces", body: Array(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench-pb"}}"#.utf8))
let protobufObjects = max(1, objects / 4)
let protobufBodies = try (0..<protobufObjects).map { i -> [UInt8] in
    let object = try JSONParsing().value(from: Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-\#(i)","labels":{"app":"bench","shard":"\#(i % 10)"}},"data":{"key":"value-\#(i)","other":"some longer text to make the object a realistic size \#(i)"}}"#.utf8))
    guard let bytes = try KubernetesProtobuf.encode(object) else { throw BenchError("ConfigMap has no protobuf message") }
    return bytes
}
let protobufTime = try await onThread { () throws -> Duration in
    let connection = try HTTPConnection(port: port)
    let started = ContinuousClock.now
    for (i, body) in protobufBodies.enumerated() {
        let (status, response) = try connection.request("POST", "/api/v1/namespaces/bench-pb/configmaps", body: body,
                                                        contentType: KubernetesProtobuf.mediaType)
        guard status == 201 else { throw BenchError("protobuf create \(i): \(status) \(String(decoding: response, as: UTF8.self))") }
    }
    return ContinuousClock.now - started
}

// List all in one request.
var listTimes: [Double] = []
var listBytes = 0
for _ in 0..<5 {
    let (time, bytes) = try await onThread { () throws -> (Duration, Int) in
        let connection = try HTTPConnection(port: port)
        let started = ContinuousClock.now
        let (status, body) = try connection.request("GET", "/api/v1/namespaces/bench/configmaps")
        guard status == 200 else { throw BenchError("list: \(status)") }
        return (ContinuousClock.now - started, body.count)
    }
    listTimes.append(milliseconds(time))
    listBytes = bytes
}
// Where a list's time goes: the store's read, then JSON encoding.
var storeListTimes: [Double] = []
var encodeTimes: [Double] = []
if let configMaps = await server.store.registry.type(group: "", version: "v1", plural: "configmaps") {
    for _ in 0..<5 {
        let started = ContinuousClock.now
        let page = try await server.store.list(configMaps, selection: Selection(resource: configMaps.groupResource, namespace: "bench"),
                                               limit: nil, continueToken: nil)
        storeListTimes.append(milliseconds(ContinuousClock.now - started))
        let encodeStart = ContinuousClock.now
        _ = try JSONEncoding().bytes(.list(page.items))
        encodeTimes.append(milliseconds(ContinuousClock.now - encodeStart))
    }
}
let pageTime = try await onThread { () throws -> Duration in
    let connection = try HTTPConnection(port: port)
    let started = ContinuousClock.now
    _ = try connection.request("GET", "/api/v1/namespaces/bench/configmaps?limit=500")
    return ContinuousClock.now - started
}

// Watch from 0: every object replayed as ADDED.
let replayTime = try await onThread { try watch(from: "0", until: objects, type: "ADDED") }

// Server-side apply of an unchanged object.
let configuration = "{apiVersion: v1, kind: ConfigMap, metadata: {name: cm-7, labels: {app: bench}}, data: {key: value-7}}"
let applyPath = "/api/v1/namespaces/bench/configmaps/cm-7?fieldManager=bench&force=true"
let (firstStatus, firstBody) = try await onThread { try HTTPConnection(port: port).request(
    "PATCH", applyPath, body: Array(configuration.utf8), contentType: "application/apply-patch+yaml") }
guard firstStatus == 200 else { throw BenchError("apply: \(firstStatus) \(String(decoding: firstBody, as: UTF8.self))") }
guard let type = await server.store.registry.type(group: "", version: "v1", plural: "configmaps"),
      let config = try YAMLDecoder().decode(bytes: Array(configuration.utf8), file: "apply").first?.value
else { throw BenchError("no configmaps type") }
let versionBefore = await server.store.currentResourceVersion
var storeTimes: [Double] = []
for _ in 0..<200 {
    let started = ContinuousClock.now
    _ = try await server.store.apply(type, namespace: "bench", name: "cm-7", config: config, manager: "bench",
                                     force: true, dryRun: false)
    storeTimes.append(milliseconds(ContinuousClock.now - started))
}
let httpTimes = try await onThread { () throws -> [Double] in
    let connection = try HTTPConnection(port: port)
    var times: [Double] = []
    for _ in 0..<200 {
        let started = ContinuousClock.now
        let (status, _) = try connection.request("PATCH", applyPath, body: Array(configuration.utf8),
                                                 contentType: "application/apply-patch+yaml")
        guard status == 200 else { throw BenchError("apply: \(status)") }
        times.append(milliseconds(ContinuousClock.now - started))
    }
    return times
}
let unchanged = await server.store.currentResourceVersion == versionBefore

await server.stop()

func row(_ name: String, _ value: String) { print(name.padding(toLength: 48, withPad: " ", startingAt: 0) + value) }
print("EmulatorBench: \(objects) ConfigMaps, in-process TetherEmulator, one keep-alive HTTP/1.1 connection per phase")
row("create (sequential POST)", String(format: "%.0f ms total, %.0f objects/s", milliseconds(createTime),
                                       Double(objects) / milliseconds(createTime) * 1000))
row("create, protobuf body (sequential POST)", String(format: "%.0f ms for %d, %.0f objects/s", milliseconds(protobufTime),
                                                      protobufObjects, Double(protobufObjects) / milliseconds(protobufTime) * 1000))
row("live watch received all ADDED", String(format: "%.0f ms after it opened", milliseconds(liveTime)))
row("list all in one request (median of 5)", String(format: "%.1f ms (%.1f MiB JSON), min %.1f, max %.1f",
                                                    median(listTimes), Double(listBytes) / 1_048_576,
                                                    listTimes.min() ?? 0, listTimes.max() ?? 0))
row("  for scale: store Values / fresh encoding", String(format: "%.1f ms / %.1f ms", median(storeListTimes), median(encodeTimes)))
row("list first page, limit=500", String(format: "%.1f ms", milliseconds(pageTime)))
row("watch from resourceVersion 0 (replay all)", String(format: "%.0f ms", milliseconds(replayTime)))
row("SSA unchanged object, server time (median)", String(format: "%.3f ms (p90 %.3f)", median(storeTimes),
                                                         storeTimes.sorted()[storeTimes.count * 9 / 10]))
row("SSA unchanged object, HTTP round trip (median)", String(format: "%.3f ms", median(httpTimes)))
row("SSA unchanged wrote nothing", unchanged ? "yes (resourceVersion kept)" : "NO")
row("peak memory (VmHWM)", String(format: "%.0f MiB (RSS now %.0f MiB)", memoryMiB("VmHWM"), memoryMiB("VmRSS")))
let pass = median(listTimes) < 200 && memoryMiB("VmHWM") < 300 && median(storeTimes) < 1
print("targets: list < 200 ms, memory < 300 MB, SSA unchanged < 1 ms server time: \(pass ? "met" : "NOT met")")
