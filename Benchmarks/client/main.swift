import Foundation
import Logging
import TetherEmulator
import TetherKube
import TetherModel

// KubeBench: server-side apply of OBJECTS ConfigMaps and a list of them back, through
// TetherKube and through `kubectl apply --server-side` + `kubectl get -o json`, against
// one TetherEmulator. The emulator runs in a child process (this binary with
// `--emulator`), so each side's CPU time is its own: the client's from getrusage(SELF),
// kubectl's from getrusage(CHILDREN) around each kubectl run. Requests are counted by
// the emulator's audit log.
//
// Usage: KubeBench [OBJECTS] [CONCURRENCY]

if CommandLine.arguments.dropFirst().first == "--emulator" {
    try await EmulatorChild.run()
    exit(0)
}

let arguments = CommandLine.arguments
let objects = arguments.count > 1 ? Int(arguments[1]) ?? 5000 : 5000
let concurrency = arguments.count > 2 ? Int(arguments[2]) ?? 32 : 32
let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")

/// The emulator child process: prints its address, then answers each `stats` line on
/// stdin with `<requests answered> <CPU seconds>`, and exits when stdin closes.
enum EmulatorChild {
    static func run() async throws {
        var logger = Logger(label: "emulator")
        logger.logLevel = .warning
        let emulator = EmulatorServer(logger: logger)
        let address = try await emulator.start(listen: "127.0.0.1:0")
        FileHandle.standardOutput.write(Data((address + "\n").utf8))
        while let line = readLine() {
            guard line == "stats" else { continue }
            let count = await emulator.audit.entries.count
            FileHandle.standardOutput.write(Data("\(count) \(cpuSeconds(RUSAGE_SELF))\n".utf8))
        }
        await emulator.stop()
    }
}

/// The parent's handle on the emulator child.
final class EmulatorProcess {
    let address: String
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["--emulator"]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        address = Self.readLine(output.fileHandleForReading)
    }

    /// Requests answered and CPU seconds the emulator has used so far.
    func stats() -> (requests: Int, cpu: Double) {
        input.fileHandleForWriting.write(Data("stats\n".utf8))
        let parts = Self.readLine(output.fileHandleForReading).split(separator: " ")
        return (Int(parts.first ?? "") ?? -1, Double(parts.last ?? "") ?? -1)
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    private static func readLine(_ handle: FileHandle) -> String {
        var line = Data()
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }
}

func cpuSeconds(_ who: __rusage_who) -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(who.rawValue), &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

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

/// One measured phase.
struct Measurement {
    var name: String
    var objects: Int
    var requests: Int
    var wall: Double
    var clientCPU: Double
    var serverCPU: Double
}

/// Runs `body`, measuring wall time, the emulator's requests and CPU, and client CPU
/// (`who` picks this process or its finished children).
func measure(_ name: String, objects: Int, emulator: EmulatorProcess, who: __rusage_who,
             _ body: () async throws -> Void) async throws -> Measurement {
    let before = emulator.stats()
    let cpuBefore = cpuSeconds(who)
    let started = ContinuousClock.now
    try await body()
    let wall = seconds(ContinuousClock.now - started)
    let cpu = cpuSeconds(who) - cpuBefore
    let after = emulator.stats()
    // The two `stats` lines themselves are not audited requests; the counts are exact.
    return Measurement(name: name, objects: objects, requests: after.requests - before.requests, wall: wall,
                       clientCPU: cpu, serverCPU: after.cpu - before.cpu)
}

func row(_ m: Measurement) {
    func f(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
    print("| \(m.name) | \(m.objects) | \(m.requests) | \(f(m.wall)) | \(f(Double(m.requests) / m.wall, 0)) | \(f(m.clientCPU)) | \(f(m.serverCPU)) |")
}

func kubectl(_ arguments: [String], home: String) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["kubectl"] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["HOME"] = home  // a cold discovery cache, as on a fresh machine
    process.environment = environment
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.standardError
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw KubeError(.unexpectedStatus, "kubectl \(arguments.prefix(2).joined(separator: " ")) exited with status \(process.terminationStatus)")
    }
    return data
}

let emulator = try EmulatorProcess()
let work = NSTemporaryDirectory() + "kubebench-\(getpid())"
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
let kubeconfig = work + "/kubeconfig"
try """
apiVersion: v1
kind: Config
current-context: e
clusters: [{name: e, cluster: {server: "http://\(emulator.address)"}}]
contexts: [{name: e, context: {cluster: e, namespace: default}}]
""".write(toFile: kubeconfig, atomically: true, encoding: .utf8)

print("TetherKube (libcurl \(CurlLibrary.version)) and kubectl against one TetherEmulator (child process),")
print("\(objects) ConfigMaps of ~1 KB: server-side apply, then list them back (pages of 500 for both).")
print("Tether: \(concurrency) applies in flight, client rate limit off. kubectl: one process per command.")
print("")
print("| run | objects | requests | seconds | requests/s | client CPU s | emulator CPU s |")
print("|---|---:|---:|---:|---:|---:|---:|")

// Tether: a new client from the kubeconfig, as a fresh process would make (cold discovery).
var options = KubeClient.Options()
options.qps = 0
options.maxConcurrentRequests = concurrency
let tetherNamespace = "tether-bench"
let client = KubeClient(config: try KubeConfig.load(.init(kubeconfigPath: kubeconfig)), options: options,
                        logger: Logger(label: "bench"))
let tetherApply = try await measure("tether apply --server-side", objects: objects, emulator: emulator, who: RUSAGE_SELF) {
    let namespace: Value = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(tetherNamespace)]]
    _ = try await client.apply(try Resource(namespace), options: ApplyOptions(fieldManager: "bench"))
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<concurrency {
            group.addTask {
                for index in stride(from: worker, to: objects, by: concurrency) {
                    let object = Resource(unchecked: configMapValue("cm-\(index)", namespace: tetherNamespace))
                    _ = try await client.apply(object, options: ApplyOptions(fieldManager: "bench"))
                }
            }
        }
        try await group.waitForAll()
    }
}
row(tetherApply)
var listed = 0
let tetherList = try await measure("tether list (listAll)", objects: objects, emulator: emulator, who: RUSAGE_SELF) {
    listed = try await client.listAll(configMap, namespace: tetherNamespace, pageSize: 500).items.count
}
row(tetherList)
guard listed == objects else { fatalError("tether listed \(listed) of \(objects) objects") }

// kubectl: the same objects in a file, in another namespace.
let manifest = work + "/configmaps.yaml"
let kubectlNamespace = "kubectl-bench"
var yaml = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \(kubectlNamespace)\n"
for index in 0..<objects {
    yaml += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-\(index)\n  namespace: \(kubectlNamespace)\ndata:\n"
    for key in 0..<10 { yaml += "  key\(key): " + String(repeating: "x", count: 100) + "\n" }
}
try yaml.write(toFile: manifest, atomically: true, encoding: .utf8)
let kubectlApply = try await measure("kubectl apply --server-side", objects: objects, emulator: emulator, who: RUSAGE_CHILDREN) {
    _ = try kubectl(["--kubeconfig", kubeconfig, "apply", "--server-side", "--field-manager", "bench", "-f", manifest], home: work)
}
row(kubectlApply)
var kubectlListed = 0
let kubectlList = try await measure("kubectl get -o json", objects: objects, emulator: emulator, who: RUSAGE_CHILDREN) {
    let output = try kubectl(["--kubeconfig", kubeconfig, "get", "configmaps", "-n", kubectlNamespace, "-o", "json"], home: work)
    kubectlListed = (try JSONParsing().value(from: [UInt8](output)))["items"]?.listValue?.count ?? 0
}
row(kubectlList)
guard kubectlListed == objects else { fatalError("kubectl listed \(kubectlListed) of \(objects) objects") }

func total(_ a: Measurement, _ b: Measurement, _ name: String) -> Measurement {
    Measurement(name: name, objects: a.objects, requests: a.requests + b.requests, wall: a.wall + b.wall,
                clientCPU: a.clientCPU + b.clientCPU, serverCPU: a.serverCPU + b.serverCPU)
}
let tether = total(tetherApply, tetherList, "**tether, apply + list**")
let reference = total(kubectlApply, kubectlList, "**kubectl, apply + list**")
row(tether)
row(reference)
print("")
let throughput = (Double(tether.requests) / tether.wall) / (Double(reference.requests) / reference.wall)
print(String(format: "throughput (requests/s): tether %.1f× kubectl; wall time %.1f× shorter; client CPU %.1f× less",
             throughput, reference.wall / tether.wall, reference.clientCPU / tether.clientCPU))
print("transport: \(client.transportStatistics.responses) responses over \(client.transportStatistics.connectionsOpened) connections")

emulator.stop()
try? FileManager.default.removeItem(atPath: work)
