// DaemonBench: the drift actor and stopwatch for Benchmarks/daemon/run.sh.
//
//   DaemonBench drift SERVER [--count N] [--duration SECONDS] [--pause SECONDS]
//                            [--actor http|kubectl] [--replicas N] [--timeout SECONDS]
//       Drifts the Deployments a running `tether run` manages, one at a time, and times
//       how long the daemon takes to put them back. Each round scales the next
//       Deployment (all Deployments in turn, sorted by namespace and name, so that one
//       object is not drifted again within the daemon's 60 s debounce window unless there
//       are few of them) from the rendered `--replicas` (default 2) to another count,
//       then waits until its own watch on Deployments shows first the drifted count and
//       then the rendered one again. The drift is written by a merge PATCH from this
//       process (`--actor http`, the default) or by `kubectl scale` (`--actor kubectl`).
//       Stops after `--count` rounds (default 200) or, with `--duration`, after that many
//       seconds, waiting `--pause` seconds (default 0.2) between rounds. A round that
//       is not healed within `--timeout` seconds (default 30) counts as timed out.
//       Prints the latency percentiles measured two ways:
//         from write: from just before the PATCH is sent (or kubectl is started) until
//                     the watch event showing the rendered count again arrives;
//         from event: from the watch event showing the drift until that event, which is
//                     the daemon's reaction time without the actor's own request time.
//       The last line is machine-readable:
//         RESULT rounds healed timed_out p50 p90 p99 max   (ms, from write)
import Foundation
import Logging
import TetherKube
import TetherModel

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}

/// What one round waits for, as watch events arrive: the drifted count, then the
/// rendered one.
actor RoundTracker {
    struct Round {
        var id: String
        var drifted: Int
        var rendered: Int
        var driftSeen: ContinuousClock.Instant?
        var continuation: CheckedContinuation<(drift: ContinuousClock.Instant, healed: ContinuousClock.Instant)?, Never>?
        var healed: (drift: ContinuousClock.Instant, healed: ContinuousClock.Instant)?
    }

    private var round: Round?
    private var number = 0
    private(set) var events = 0

    /// Starts watching for one round, before the drift is written so no event is missed.
    func arm(id: String, drifted: Int, rendered: Int) -> Int {
        number += 1
        round = Round(id: id, drifted: drifted, rendered: rendered)
        return number
    }

    /// One watch event, with its arrival time.
    func observe(id: String, replicas: Int?, at time: ContinuousClock.Instant) {
        events += 1
        guard var current = round, current.id == id, current.healed == nil, let replicas else { return }
        if current.driftSeen == nil {
            if replicas == current.drifted { current.driftSeen = time }
        } else if replicas == current.rendered, let drift = current.driftSeen {
            current.healed = (drift, time)
            current.continuation?.resume(returning: (drift, time))
            current.continuation = nil
        }
        round = current
    }

    /// The drift and heal arrival times of round `number`, or nil when it timed out.
    func wait(_ number: Int) async -> (drift: ContinuousClock.Instant, healed: ContinuousClock.Instant)? {
        guard number == self.number, let current = round else { return nil }
        if let healed = current.healed { return healed }
        return await withCheckedContinuation { continuation in
            round?.continuation = continuation
        }
    }

    /// Gives up on round `number` if it is still waiting.
    func expire(_ number: Int) {
        guard number == self.number, var current = round else { return }
        current.continuation?.resume(returning: nil)
        current.continuation = nil
        round = current
    }
}

struct Options {
    var server = ""
    var count = 200
    var duration: Double?
    var pause = 0.2
    var actor = "http"
    var replicas = 2
    var timeout = 30.0

    init(_ args: ArraySlice<String>) throws {
        var rest = args
        guard let server = rest.popFirst() else { throw BenchError("SERVER is missing") }
        self.server = server
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchError("\(flag) needs a value") }
            switch flag {
            case "--count": count = try Self.number(value, flag)
            case "--duration": duration = try Self.number(value, flag)
            case "--pause": pause = try Self.number(value, flag)
            case "--actor" where ["http", "kubectl"].contains(value): actor = value
            case "--replicas": replicas = try Self.number(value, flag)
            case "--timeout": timeout = try Self.number(value, flag)
            default: throw BenchError("unknown option \(flag) \(value)")
            }
        }
    }

    static func number<T: LosslessStringConvertible>(_ text: String, _ flag: String) throws -> T {
        guard let value = T(text) else { throw BenchError("\(flag): '\(text)' is not a number") }
        return value
    }
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// Nearest-rank percentile of sorted values.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
}

func summary(_ values: [Double]) -> String {
    let sorted = values.sorted()
    return String(format: "p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms (n=%d)",
                  percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted.last ?? .nan, sorted.count)
}

/// Scales a Deployment with `kubectl scale`, as a user would.
func kubectlScale(server: String, namespace: String, name: String, replicas: Int) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["kubectl", "--server", server, "-n", namespace, "scale", "deployment/\(name)", "--replicas=\(replicas)"]
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    if process.terminationStatus != 0 { throw BenchError("kubectl scale deployment/\(name) -n \(namespace) exited \(process.terminationStatus)") }
}

func drift(_ options: Options) async throws {
    var clientOptions = KubeClient.Options()
    clientOptions.qps = 0
    clientOptions.userAgent = "daemonbench"
    var logger = Logger(label: "daemonbench")
    logger.logLevel = .warning
    let client = KubeClient(config: try KubeConfig.server(url: options.server), options: clientOptions, logger: logger)
    let gvk = GroupVersionKind(apiVersion: "apps/v1", kind: "Deployment")
    let list = try await client.listAll(gvk, namespace: "")
    let targets = list.items
        .filter { $0.value[path: ["spec", "replicas"]]?.intValue == options.replicas }
        .map { (namespace: $0.namespace, name: $0.name) }
        .sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    guard !targets.isEmpty else { throw BenchError("no Deployment with spec.replicas \(options.replicas) to drift") }

    let tracker = RoundTracker()
    let watcher = Task {
        var watchOptions = WatchOptions(resourceVersion: list.resourceVersion)
        watchOptions.bufferedEvents = 1000
        for try await event in client.watch(gvk, namespace: "", options: watchOptions) {
            let now = ContinuousClock.now
            switch event {
            case .added(let object), .modified(let object):
                await tracker.observe(id: "\(object.namespace)/\(object.name)", replicas: object.value[path: ["spec", "replicas"]]?.intValue, at: now)
            default: break
            }
        }
    }
    defer { watcher.cancel() }

    let start = ContinuousClock.now
    let end = options.duration.map { start + .milliseconds(Int($0 * 1000)) }
    var fromWrite: [Double] = [], fromEvent: [Double] = [], timedOut = 0, rounds = 0, failedWrites = 0
    while end.map({ ContinuousClock.now < $0 }) ?? (rounds < options.count) {
        let target = targets[rounds % targets.count]
        let drifted = options.replicas + 1 + rounds % 3
        rounds += 1
        let number = await tracker.arm(id: "\(target.namespace)/\(target.name)", drifted: drifted, rendered: options.replicas)
        let written = ContinuousClock.now
        do {
            if options.actor == "kubectl" {
                try kubectlScale(server: options.server, namespace: target.namespace, name: target.name, replicas: drifted)
            } else {
                _ = try await client.patch(gvk, name: target.name, namespace: target.namespace,
                                           patch: Patch(.merge, ["spec": ["replicas": .int(drifted)]]),
                                           options: WriteOptions(fieldManager: "daemonbench"))
            }
        } catch {
            failedWrites += 1
            FileHandle.standardError.write(Data("DaemonBench: drift of \(target.namespace)/\(target.name) failed: \(error)\n".utf8))
            continue
        }
        let timer = Task {
            try await Task.sleep(for: .milliseconds(Int(options.timeout * 1000)))
            await tracker.expire(number)
        }
        let result = await tracker.wait(number)
        timer.cancel()
        if let result {
            fromWrite.append(milliseconds(result.healed - written))
            fromEvent.append(milliseconds(result.healed - result.drift))
        } else {
            timedOut += 1
            FileHandle.standardError.write(Data("DaemonBench: \(target.namespace)/\(target.name) not healed within \(options.timeout) s\n".utf8))
        }
        if options.pause > 0 { try await Task.sleep(for: .milliseconds(Int(options.pause * 1000))) }
    }
    let elapsed = milliseconds(ContinuousClock.now - start) / 1000
    print(String(format: "%d drifts (%@, %d Deployments in turn) in %.0f s: %d healed, %d timed out (limit %.0f s), %d writes failed",
                 rounds, options.actor == "kubectl" ? "kubectl scale" : "merge PATCH", targets.count, elapsed,
                 fromWrite.count, timedOut, options.timeout, failedWrites))
    print("drift-to-healed from the write:       " + summary(fromWrite))
    print("drift-to-healed from the drift event: " + summary(fromEvent))
    let sorted = fromWrite.sorted()
    print(String(format: "RESULT %d %d %d %.1f %.1f %.1f %.1f", rounds, fromWrite.count, timedOut + failedWrites,
                 percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted.last ?? .nan))
}

let args = CommandLine.arguments
do {
    switch args.count > 2 ? args[1] : "" {
    case "drift":
        CurlLibrary.initialize()
        try await drift(try Options(args.dropFirst(2)))
    default:
        FileHandle.standardError.write(Data("""
            usage: DaemonBench drift SERVER [--count N] [--duration SECONDS] [--pause SECONDS]
                                      [--actor http|kubectl] [--replicas N] [--timeout SECONDS]

            """.utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("DaemonBench: \(error)\n".utf8))
    exit(1)
}
