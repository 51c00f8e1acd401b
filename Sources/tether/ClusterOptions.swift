import ArgumentParser
import Foundation
import Logging
import TetherEmulator
import TetherKube

/// How a command reaches the cluster: a kubeconfig (kubectl's rules), an explicit
/// server, the in-cluster service account, or an embedded emulator.
struct ClusterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster).", valueName: "file"))
    var kubeconfig: String?

    @Option(name: .long, help: ArgumentHelp("kubeconfig context to use.", valueName: "name"))
    var context: String?

    @Option(name: [.customShort("n"), .long], help: ArgumentHelp("Namespace for rendered objects that have none.", valueName: "namespace"))
    var namespace: String?

    @Option(name: .long, help: ArgumentHelp("API server URL, without a kubeconfig.", valueName: "url"))
    var server: String?

    @Option(name: .long, help: ArgumentHelp("File holding a bearer token for --server (re-read when it changes).", valueName: "file"))
    var clusterTokenFile: String?

    @Option(name: .long, help: ArgumentHelp("PEM CA bundle for --server.", valueName: "file"))
    var certificateAuthority: String?

    @Option(name: .long, help: ArgumentHelp(
        "Start an embedded API emulator and use it as the cluster; optionally host:port (default: a free port on 127.0.0.1).",
        valueName: "address"))
    var emulator: String?

    @Option(name: .long, help: ArgumentHelp(
        "Client-side rate limit, requests per second (0, the default: none; the API server's priority and fairness, and --concurrency, bound the load).",
        valueName: "qps"))
    var qps: Double = 0

    @Option(name: .long, help: ArgumentHelp("Requests allowed in a burst above --qps.", valueName: "n"))
    var burst: Int = 100

    func validate() throws {
        let targets = [kubeconfig != nil || context != nil, server != nil, emulator != nil].filter { $0 }.count
        if targets > 1 { throw ValidationError("Give only one of --kubeconfig/--context, --server and --emulator.") }
        if server == nil, clusterTokenFile != nil || certificateAuthority != nil {
            throw ValidationError("--cluster-token-file and --certificate-authority go with --server.")
        }
        if qps < 0 || burst < 1 { throw ValidationError("--qps must be 0 or more and --burst at least 1.") }
    }

    /// The sentinel `--emulator` gets when given without an address.
    static let defaultEmulatorAddress = "127.0.0.1:0"

    /// A connected client, and the embedded emulator when one was started (stop it when done).
    /// - Parameter target: the `tether.yaml` target that set the cluster, if one did, so
    ///   that a bad server or context names its field rather than the flag.
    /// - Throws: `KubeError` `config` naming the `--server`, `--context` or `--kubeconfig`
    ///   given (or the target's field) when no configuration can be made of them.
    func connect(logger: Logger, target: String? = nil) async throws -> (KubeClient, EmulatorServer?) {
        CurlLibrary.initialize()
        var embedded: EmulatorServer?
        let config: KubeConfig
        if let emulator {
            let server = EmulatorServer(logger: logger)
            let address = try await server.start(listen: emulator)
            printError("emulator: serving the Kubernetes API on http://\(address)")
            embedded = server
            config = try KubeConfig.server(url: "http://\(address)")
        } else if let server {
            config = try KubeConfig.server(url: server, tokenFile: clusterTokenFile, certificateAuthority: certificateAuthority,
                                           location: target.map { "server: of \($0)" } ?? "--server")
        } else {
            do {
                config = try KubeConfig.load(KubeConfig.LoadOptions(kubeconfigPath: kubeconfig, context: context, namespace: namespace))
            } catch {
                // "no kubeconfig found" says nothing of the context that was asked for.
                guard let context, !error.message.contains("'\(context)'") else { throw error }
                var named = error
                named.message = "context '\(context)' (\(target.map { "context: of \($0)" } ?? "--context")): " + error.message
                throw named
            }
        }
        var resolved = config
        if let namespace { resolved.namespace = namespace }
        var options = KubeClient.Options()
        options.qps = qps
        options.burst = burst
        options.userAgent = "tether/\(TetherVersion.current)"
        return (KubeClient(config: resolved, options: options, logger: logger), embedded)
    }

    /// Lets `--emulator` stand alone: inserts the default address when no value follows.
    static func normalisedArguments(_ arguments: [String]) -> [String] {
        var out: [String] = []
        for (index, argument) in arguments.enumerated() {
            out.append(argument)
            guard argument == "--emulator" else { continue }
            let next = index + 1 < arguments.count ? arguments[index + 1] : nil
            if next == nil || next!.hasPrefix("-") { out.append(defaultEmulatorAddress) }
        }
        return out
    }
}
