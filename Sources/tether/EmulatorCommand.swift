import ArgumentParser
import Dispatch
import Foundation
import Logging
import TetherEmulator
import TetherModel

/// `tether emulator`: run the local Kubernetes API emulator in the foreground.
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Run a local Kubernetes API emulator that kubectl and tether can talk to.",
        discussion: """
            Serves the Kubernetes API (discovery, get, list, watch, create, update, \
            patch, delete) from memory, over plain HTTP without authentication unless \
            --tls or --token-file is given. It listens on loopback only unless \
            --allow-remote is given. Stop it with Ctrl-C.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Address to listen on, host:port; port 0 picks a free port.", valueName: "address"))
    var listen = "127.0.0.1:6443"

    @Flag(name: .long, help: "Allow listening on a non-loopback address.")
    var allowRemote = false

    @Option(name: .long, help: ArgumentHelp(
        "Serve HTTPS with the CA, server and admin client certificates in this directory (created when missing) and write DIR/kubeconfig; requests need a client certificate or a bearer token.",
        valueName: "dir"))
    var tls: String?

    @Option(name: .long, help: ArgumentHelp(
        "Accept the bearer tokens of this kube-apiserver static token file (token,user,uid,\"group1,group2\"); requests without credentials get 401.",
        valueName: "file"))
    var tokenFile: String?

    @Option(name: .long, help: ArgumentHelp(
        "Keep the objects in this directory (write-ahead log and snapshot, fsynced) and restore them on start; without it they live in memory only.",
        valueName: "dir"))
    var state: String?

    @Option(name: .long, help: ArgumentHelp(
        "Simulate the workload controllers: Deployments, StatefulSets, DaemonSets and Jobs report ready or complete status, claims bind.",
        valueName: "true|false"))
    var controllers = true

    @Option(name: .long, help: ArgumentHelp("How long after a change the simulated controllers report status, such as 100ms or 2s.",
                                            valueName: "duration"))
    var controllerDelay = "100ms"

    @Option(name: .long, help: ArgumentHelp("Fail this share of requests with a verb (get, list, watch, create, update, patch, apply, delete, deletecollection, or * for any), e.g. patch=0.2. Repeatable.", valueName: "verb=rate"))
    var faultErrorRate: [String] = []

    @Option(name: .long, help: "The HTTP status of failures injected by --fault-error-rate (default 500).")
    var faultErrorCode: Int?

    @Option(name: .long, help: ArgumentHelp("Delay every resource request by this long, such as 50ms.", valueName: "duration"))
    var faultLatency: String?

    @Option(name: .long, help: ArgumentHelp("Refuse this share of requests with 429 TooManyRequests and Retry-After.", valueName: "rate"))
    var faultThrottleRate: Double?

    @Option(name: .long, help: ArgumentHelp("The Retry-After of injected 429 and 503 answers (default 1).", valueName: "seconds"))
    var faultRetryAfter: Int?

    @Option(name: .long, help: ArgumentHelp("Fail the first N requests, with status CODE (default 500).", valueName: "N[:CODE]"))
    var faultFailNext: String?

    @Option(name: .long, help: ArgumentHelp("End every watch this long after it started, such as 5s.", valueName: "duration"))
    var faultWatchDropAfter: String?

    @Option(name: .long, help: "Seed for the random choices of --fault-error-rate and --fault-throttle-rate.")
    var faultSeed: Int?

    func validate() throws {
        let host = Self.host(of: listen)
        if !allowRemote, !Self.isLoopback(host) {
            throw ValidationError("--listen \(listen): '\(host)' is not a loopback address. Use 127.0.0.1, or pass --allow-remote (with --tls or --token-file, so that requests need credentials).")
        }
        if EmulatorOptions.duration(controllerDelay) == nil {
            throw ValidationError("--controller-delay \(controllerDelay): not a duration. Use for example 100ms, 2s or 0.")
        }
        _ = try faultPlan()
    }

    func run() async throws {
        let logger = global.bootstrapLogging()
        var options = EmulatorOptions()
        options.controllers = controllers
        options.controllerDelay = EmulatorOptions.duration(controllerDelay) ?? options.controllerDelay
        options.faults = try faultPlan()
        options.tlsDirectory = tls
        options.tokenFile = tokenFile
        options.stateDirectory = state
        let server = EmulatorServer(options: options, logger: logger)
        let address: String
        do {
            address = try await server.start(listen: listen)
        } catch {
            throw report(error)
        }
        let hint: String
        if let kubeconfig = await server.kubeconfigPath {
            hint = """
                emulator listening on https://\(address)

                use it with kubectl:
                  export KUBECONFIG=\(kubeconfig)

                """
        } else {
            let token = tokenFile == nil ? "" : " --token=TOKEN"
            hint = """
                emulator listening on http://\(address)

                use it with kubectl:
                  kubectl config set-cluster tether-emulator --server=http://\(address)
                  kubectl config set-context tether-emulator --cluster=tether-emulator
                  kubectl config use-context tether-emulator
                or pass --server=http://\(address)\(token) to kubectl

                """
        }
        // Written unbuffered so scripts reading the address see it at once.
        FileHandle.standardOutput.write(Data(hint.utf8))
        await Self.waitForTermination()
        await server.stop()
    }

    /// The --fault-* flags as a fault plan, checked by the same reader as
    /// the admin endpoint's JSON.
    func faultPlan() throws -> FaultPlan {
        var json = OrderedMap()
        if !faultErrorRate.isEmpty {
            var rates = OrderedMap()
            for pair in faultErrorRate {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let rate = Double(parts[1]) else {
                    throw ValidationError("--fault-error-rate \(pair): expected VERB=RATE, such as patch=0.2.")
                }
                rates[parts[0]] = .float(rate)
            }
            json["errorRate"] = .map(rates)
        }
        if let faultErrorCode { json["errorCode"] = .int(faultErrorCode) }
        if let faultLatency { json["latency"] = .string(faultLatency) }
        if let faultThrottleRate { json["throttleRate"] = .float(faultThrottleRate) }
        if let faultRetryAfter { json["retryAfterSeconds"] = .int(faultRetryAfter) }
        if let faultWatchDropAfter { json["watchDropAfter"] = .string(faultWatchDropAfter) }
        if let faultSeed { json["seed"] = .int(faultSeed) }
        if let faultFailNext {
            let parts = faultFailNext.split(separator: ":").map { Int($0) }
            guard (1...2).contains(parts.count), let count = parts[0], parts.count == 1 || parts[1] != nil else {
                throw ValidationError("--fault-fail-next \(faultFailNext): expected N or N:CODE, such as 3:503.")
            }
            json["failNext"] = ["count": .int(count), "code": .int(parts.count == 2 ? parts[1] ?? 500 : 500)]
        }
        do {
            return try FaultPlan(json: .map(json))
        } catch {
            throw ValidationError("--fault-*: \(error.message.replacingOccurrences(of: "fault plan: ", with: "")).")
        }
    }

    static func host(of listen: String) -> String {
        guard let colon = listen.lastIndex(of: ":") else { return listen }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Returns when SIGINT or SIGTERM arrives.
    static func waitForTermination() async {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            sources.append(source)
        }
        var iterator = stream.makeAsyncIterator()
        _ = await iterator.next()
        sources.forEach { $0.cancel() }
    }
}
