import Foundation
import Logging
import TetherEmulator
import TetherKube
import TetherModel

// KubeBench: server-side apply of OBJECTS ConfigMaps and a list of them back, through
// TetherKube and through `kubectl apply --server-side -f` + `kubectl get -o json`, against
// one TetherEmulator per run. The emulator runs in a child process (this binary with
// `--emulator`), so each side's CPU time is its own: the client's from getrusage(SELF),
// kubectl's from getrusage(CHILDREN) around each kubectl run. Requests are counted by the
// emulator's audit log.
//
// Both sides start from the same manifest file (a Namespace and OBJECTS ConfigMaps) and
// read and parse it inside their timing: kubectl does so in its process, tether with
// TetherModel's YAML decoder, as `tether sync` would.
//
// Usage: KubeBench [OBJECTS] [CONCURRENCY] [http|https] [RUNS]
// In https mode the emulator gets a fresh CA, server certificate and admin client
// certificate (made with openssl by the emulator's `--tls` code), and both clients use the
// kubeconfig it writes: the CA and the client certificate.

if CommandLine.arguments.dropFirst().first == "--emulator" {
    try await EmulatorChild.run(tlsDirectory: CommandLine.arguments.dropFirst(2).first)
    exit(0)
}

let arguments = CommandLine.arguments
let objects = arguments.count > 1 ? Int(arguments[1]) ?? 5000 : 5000
let concurrency = arguments.count > 2 ? Int(arguments[2]) ?? 32 : 32
let scheme = arguments.count > 3 ? arguments[3] : "http"
let runs = max(1, arguments.count > 4 ? Int(arguments[4]) ?? 5 : 5)
guard scheme == "http" || scheme == "https" else {
    FileHandle.standardError.write(Data("usage: KubeBench [OBJECTS] [CONCURRENCY] [http|https] [RUNS]\n".utf8))
    exit(2)
}
let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")

/// The emulator child process: prints its address, then answers each `stats` line on
/// stdin with `<requests answered> <CPU seconds>`, and exits when stdin closes.
enum EmulatorChild {
    static func run(tlsDirectory: String?) async throws {
        var logger = Logger(label: "emulator")
        logger.logLevel = .warning
        var options = EmulatorOptions()
        options.tlsDirectory = tlsDirectory
        let emulator = EmulatorServer(options: options, logger: logger)
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

    init(tlsDirectory: String?) throws {
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["--emulator"] + (tlsDirectory.map { [$0] } ?? [])
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        address = Self.readLine(output.fileHandleForReading)
        guard !address.isEmpty else { throw KubeError(.transport, "the emulator child did not start") }
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

/// The 1-minute load average, as `uptime` shows it.
func loadAverage() -> Double {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
    return Double(text.split(separator: " ").first ?? "") ?? -1
}

/// A Namespace and `objects` ConfigMaps of ten 100-byte values, as one YAML stream.
func manifest(namespace: String) -> String {
    var yaml = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \(namespace)\n"
    let value = String(repeating: "x", count: 100)
    for index in 0..<objects {
        yaml += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-\(index)\n  namespace: \(namespace)\ndata:\n"
        for key in 0..<10 { yaml += "  key\(key): " + value + "\n" }
    }
    return yaml
}

/// One measured phase.
struct Measurement {
    var name: String
    var objects: Int
    var requests: Int
    var wall: Double
    var clientCPU: Double
    var serverCPU: Double

    var requestsPerSecond: Double { Double(requests) / wall }

    static func + (a: Measurement, b: Measurement) -> Measurement {
        Measurement(name: a.name, objects: a.objects, requests: a.requests + b.requests, wall: a.wall + b.wall,
                    clientCPU: a.clientCPU + b.clientCPU, serverCPU: a.serverCPU + b.serverCPU)
    }
}

/// Runs `body`, measuring wall time, the emulator's requests and CPU, and client CPU
/// (`who` picks this process or its finished children).
func measure(_ name: String, emulator: EmulatorProcess, who: __rusage_who,
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

func f(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

func row(_ m: Measurement) {
    print("| \(m.name) | \(m.objects) | \(m.requests) | \(f(m.wall)) | \(f(m.requestsPerSecond, 0)) | \(f(m.clientCPU)) | \(f(m.serverCPU)) |")
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
        throw KubeError(.unexpectedStatus, "kubectl \(arguments.prefix(4).joined(separator: " ")) exited with status \(process.terminationStatus)")
    }
    return data
}

/// Tether's side of one run: read and parse the manifest, apply the Namespace, then the
/// ConfigMaps with `concurrency` in flight; then list them back.
func tetherRun(kubeconfig: String, manifestPath: String, namespace: String,
               emulator: EmulatorProcess) async throws -> (apply: Measurement, list: Measurement, transport: String) {
    var options = KubeClient.Options()
    options.qps = 0
    options.maxConcurrentRequests = concurrency
    // A new client from the kubeconfig, as a fresh process would make (cold discovery).
    var client: KubeClient?
    let apply = try await measure("tether apply --server-side", emulator: emulator, who: RUSAGE_SELF) {
        let config = try KubeConfig.load(.init(kubeconfigPath: kubeconfig))
        let made = KubeClient(config: config, options: options, logger: Logger(label: "bench"))
        client = made
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: manifestPath)))
        let resources = try YAMLDecoder().decode(bytes: bytes, file: manifestPath).map { try Resource($0.value) }
        guard let namespaceObject = resources.first, resources.count == objects + 1 else {
            fatalError("the manifest has \(resources.count) objects, expected \(objects + 1)")
        }
        let fieldManager = ApplyOptions(fieldManager: "bench")
        _ = try await made.apply(namespaceObject, options: fieldManager)
        let configMaps = resources.dropFirst()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    for index in stride(from: configMaps.startIndex + worker, to: configMaps.endIndex, by: concurrency) {
                        _ = try await made.apply(configMaps[index], options: fieldManager)
                    }
                }
            }
            try await group.waitForAll()
        }
    }
    guard let client else { fatalError("no client") }
    var listed = 0
    let list = try await measure("tether list (listAll)", emulator: emulator, who: RUSAGE_SELF) {
        listed = try await client.listAll(configMap, namespace: namespace, pageSize: 500).items.count
    }
    guard listed == objects else { fatalError("tether listed \(listed) of \(objects) objects") }
    let statistics = client.transportStatistics
    return (apply, list, "\(statistics.responses) responses (\(statistics.http2Responses) over HTTP/2) over \(statistics.connectionsOpened) connections")
}

/// kubectl's side of one run, on the same kind of manifest.
func kubectlRun(kubeconfig: String, manifestPath: String, namespace: String, home: String,
                emulator: EmulatorProcess) async throws -> (apply: Measurement, list: Measurement) {
    let apply = try await measure("kubectl apply --server-side", emulator: emulator, who: RUSAGE_CHILDREN) {
        _ = try kubectl(["--kubeconfig", kubeconfig, "apply", "--server-side", "--field-manager", "bench",
                         "-f", manifestPath], home: home)
    }
    var listed = 0
    let list = try await measure("kubectl get -o json", emulator: emulator, who: RUSAGE_CHILDREN) {
        let output = try kubectl(["--kubeconfig", kubeconfig, "get", "configmaps", "-n", namespace, "-o", "json"],
                                 home: home)
        listed = (try JSONParsing().value(from: [UInt8](output)))["items"]?.listValue?.count ?? 0
    }
    guard listed == objects else { fatalError("kubectl listed \(listed) of \(objects) objects") }
    return (apply, list)
}

/// Everything measured in one run.
struct RunResult {
    var load: Double
    var tetherApply, tetherList, kubectlApply, kubectlList: Measurement
    var tether: Measurement { tetherApply + tetherList }
    var kubectl: Measurement { kubectlApply + kubectlList }
    var throughputRatio: Double { tether.requestsPerSecond / kubectl.requestsPerSecond }
    var clientCPURatio: Double { kubectl.clientCPU / tether.clientCPU }
}

let work = NSTemporaryDirectory() + "kubebench-\(getpid())"
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
let tetherManifest = work + "/tether.yaml", kubectlManifest = work + "/kubectl.yaml"
try manifest(namespace: "tether-bench").write(toFile: tetherManifest, atomically: true, encoding: .utf8)
try manifest(namespace: "kubectl-bench").write(toFile: kubectlManifest, atomically: true, encoding: .utf8)

print("TetherKube (libcurl \(CurlLibrary.version)) and kubectl against a TetherEmulator (child process, fresh each run)")
print("over \(scheme == "https" ? "HTTPS (a CA and client certificate made with openssl for this run)" : "plain HTTP"),")
print("\(objects) ConfigMaps of ~1 KB read from a YAML manifest (parsed inside the timing by both),")
print("server-side applied, then listed back (pages of 500 for both). \(runs) runs, alternating which client goes first.")
print("Tether: \(concurrency) applies in flight, client rate limit off. kubectl: one process per command.")

var results: [RunResult] = []
for run in 1...runs {
    let directory = work + "/run-\(run)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let load = loadAverage()
    let emulator = try EmulatorProcess(tlsDirectory: scheme == "https" ? directory + "/tls" : nil)
    let kubeconfig: String
    if scheme == "https" {
        kubeconfig = directory + "/tls/kubeconfig"  // written by the emulator: CA and admin certificate inline
    } else {
        kubeconfig = directory + "/kubeconfig"
        try """
        apiVersion: v1
        kind: Config
        current-context: e
        clusters: [{name: e, cluster: {server: "http://\(emulator.address)"}}]
        contexts: [{name: e, context: {cluster: e, namespace: default}}]
        """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    }
    var tether: (apply: Measurement, list: Measurement, transport: String)?
    var reference: (apply: Measurement, list: Measurement)?
    // Alternate the order, so that neither side always meets the fuller emulator.
    for side in run % 2 == 1 ? ["tether", "kubectl"] : ["kubectl", "tether"] {
        if side == "tether" {
            tether = try await tetherRun(kubeconfig: kubeconfig, manifestPath: tetherManifest, namespace: "tether-bench",
                                         emulator: emulator)
        } else {
            reference = try await kubectlRun(kubeconfig: kubeconfig, manifestPath: kubectlManifest,
                                             namespace: "kubectl-bench", home: directory, emulator: emulator)
        }
    }
    emulator.stop()
    guard let tether, let reference else { fatalError("a side did not run") }
    let result = RunResult(load: load, tetherApply: tether.apply, tetherList: tether.list,
                           kubectlApply: reference.apply, kubectlList: reference.list)
    results.append(result)
    print("")
    print("Run \(run) of \(runs), load average \(f(load)), \(run % 2 == 1 ? "tether" : "kubectl") first; tether transport: \(tether.transport)")
    print("")
    print("| run | objects | requests | seconds | requests/s | client CPU s | emulator CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for m in [result.tetherApply, result.tetherList, result.kubectlApply, result.kubectlList] { row(m) }
    var totals = (result.tether, result.kubectl)
    totals.0.name = "**tether, apply + list**"
    totals.1.name = "**kubectl, apply + list**"
    row(totals.0)
    row(totals.1)
    print("")
    print("throughput (requests/s): tether \(f(result.throughputRatio, 1))× kubectl; client CPU \(f(result.clientCPURatio, 1))× less")
}

/// "median (min–max)" of `values`.
func spread(_ values: [Double], _ digits: Int = 2) -> String {
    let sorted = values.sorted()
    let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
        : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    return "\(f(median, digits)) (\(f(sorted.first ?? 0, digits))–\(f(sorted.last ?? 0, digits)))"
}

print("")
print("Summary over \(runs) runs (\(scheme)): median (min–max); load average \(spread(results.map(\.load)))")
print("")
print("| measure | tether | kubectl |")
print("|---|---:|---:|")
print("| apply seconds | \(spread(results.map(\.tetherApply.wall))) | \(spread(results.map(\.kubectlApply.wall))) |")
print("| list seconds | \(spread(results.map(\.tetherList.wall))) | \(spread(results.map(\.kubectlList.wall))) |")
print("| apply + list requests/s | \(spread(results.map(\.tether.requestsPerSecond), 0)) | \(spread(results.map(\.kubectl.requestsPerSecond), 0)) |")
print("| client CPU s | \(spread(results.map(\.tether.clientCPU))) | \(spread(results.map(\.kubectl.clientCPU))) |")
print("| emulator CPU s | \(spread(results.map(\.tether.serverCPU))) | \(spread(results.map(\.kubectl.serverCPU))) |")
print("")
print("throughput ratio (tether/kubectl requests/s): \(spread(results.map(\.throughputRatio), 1)); "
      + "client CPU ratio (kubectl/tether): \(spread(results.map(\.clientCPURatio), 1))")

try? FileManager.default.removeItem(atPath: work)
