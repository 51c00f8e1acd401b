import Foundation
import Logging
import TetherEmulator
import TetherKube
import TetherModel

// KubeBench: TetherKube against an in-process TetherEmulator on 127.0.0.1, and kubectl
// against the same emulator for the list case. Usage: KubeBench [OBJECTS] [REPEATS]

let arguments = CommandLine.arguments
let objects = arguments.count > 1 ? Int(arguments[1]) ?? 500 : 500
let repeats = arguments.count > 2 ? Int(arguments[2]) ?? 3 : 3
let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")

func configMapValue(_ name: String, namespace: String) -> Value {
    var data = OrderedMap()
    for index in 0..<10 { data.append(key: "key\(index)", value: .string(String(repeating: "x", count: 100))) }
    var metadata = OrderedMap()
    metadata.append(key: "name", value: .string(name))
    metadata.append(key: "namespace", value: .string(namespace))
    var root = OrderedMap()
    root.append(key: "apiVersion", value: "v1")
    root.append(key: "kind", value: "ConfigMap")
    root.append(key: "metadata", value: .map(metadata))
    root.append(key: "data", value: .map(data))
    return .map(root)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func best(_ body: () async throws -> Void) async throws -> Double {
    var result = Double.infinity
    for _ in 0..<repeats {
        let started = ContinuousClock.now
        try await body()
        result = min(result, seconds(ContinuousClock.now - started))
    }
    return result
}

func row(_ name: String, count: Int, seconds: Double) {
    print("| \(name) | \(count) | \(String(format: "%.3f", seconds)) | \(String(format: "%.0f", Double(count) / seconds)) |")
}

let emulator = EmulatorServer(logger: Logger(label: "emulator"))
let address = try await emulator.start(listen: "127.0.0.1:0")
var options = KubeClient.Options()
options.qps = 0
let client = KubeClient(config: try KubeConfig.server(url: "http://" + address), options: options,
                        logger: Logger(label: "bench"))
let namespace: Value = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "bench"]]
_ = try await client.apply(try Resource(namespace), options: ApplyOptions(fieldManager: "bench"))

print("TetherKube \(CurlLibrary.version) against TetherEmulator, \(objects) ConfigMaps of ~1 KB, best of \(repeats)")
print("")
print("| operation | requests/objects | seconds | per second |")
print("|---|---:|---:|---:|")
var round = 0
let applyTime = try await best {
    round += 1
    let tag = round
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<16 {
            group.addTask {
                for index in stride(from: worker, to: objects, by: 16) {
                    var value = configMapValue("cm-\(index)", namespace: "bench")
                    if case .map(var map) = value { map["data"] = ["round": .string("\(tag)")]; value = .map(map) }
                    _ = try await client.apply(Resource(unchecked: value), options: ApplyOptions(fieldManager: "bench", force: true))
                }
            }
        }
        try await group.waitForAll()
    }
}
row("server-side apply, 16 concurrent", count: objects, seconds: applyTime)
let getTime = try await best {
    for index in 0..<objects { _ = try await client.get(configMap, name: "cm-\(index % objects)", namespace: "bench") }
}
row("get, sequential (one keep-alive connection)", count: objects, seconds: getTime)
let concurrentGetTime = try await best {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<16 {
            group.addTask {
                for index in stride(from: worker, to: objects, by: 16) {
                    _ = try await client.get(configMap, name: "cm-\(index)", namespace: "bench")
                }
            }
        }
        try await group.waitForAll()
    }
}
row("get, 16 concurrent", count: objects, seconds: concurrentGetTime)
let listTime = try await best { _ = try await client.list(configMap, namespace: "bench") }
row("list, one request", count: objects, seconds: listTime)
let pagedTime = try await best { _ = try await client.listAll(configMap, namespace: "bench", pageSize: 100) }
row("list, pages of 100", count: objects, seconds: pagedTime)

// kubectl on the same emulator: the whole process, as a user runs it.
let kubeconfig = NSTemporaryDirectory() + "kubebench-\(getpid()).yaml"
try """
apiVersion: v1
kind: Config
current-context: e
clusters: [{name: e, cluster: {server: "http://\(address)"}}]
contexts: [{name: e, context: {cluster: e}}]
""".write(toFile: kubeconfig, atomically: true, encoding: .utf8)
if FileManager.default.isExecutableFile(atPath: "/usr/bin/kubectl") {
    let kubectlTime = try await best {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/kubectl")
        process.arguments = ["--kubeconfig", kubeconfig, "get", "configmaps", "-n", "bench", "-o", "json"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }
    row("kubectl get -o json (whole process)", count: objects, seconds: kubectlTime)
    let tetherProcessLike = try await best {
        let fresh = KubeClient(config: try KubeConfig.load(.init(kubeconfigPath: kubeconfig)), options: options,
                               logger: Logger(label: "bench"))
        _ = try await fresh.list(configMap, namespace: "bench")
    }
    row("tether: load kubeconfig, new client, discovery, list", count: objects, seconds: tetherProcessLike)
}
try? FileManager.default.removeItem(atPath: kubeconfig)
await emulator.stop()
