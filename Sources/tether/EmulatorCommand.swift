import ArgumentParser
import Dispatch
import Foundation
import Logging
import TetherEmulator

/// `tether emulator`: run the local Kubernetes API emulator in the foreground.
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Run a local Kubernetes API emulator that kubectl and tether can talk to.",
        discussion: """
            Serves the Kubernetes API (discovery, get, list, watch, create, update, \
            patch, delete) over plain HTTP without authentication, from memory. It \
            listens on loopback only unless --allow-remote is given. Stop it with \
            Ctrl-C.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Address to listen on, host:port; port 0 picks a free port.", valueName: "address"))
    var listen = "127.0.0.1:6443"

    @Flag(name: .long, help: "Allow listening on a non-loopback address. The emulator has no authentication.")
    var allowRemote = false

    @Option(name: .long, help: ArgumentHelp(
        "Simulate the workload controllers: Deployments, StatefulSets, DaemonSets and Jobs report ready or complete status, claims bind.",
        valueName: "true|false"))
    var controllers = true

    @Option(name: .long, help: ArgumentHelp("How long after a change the simulated controllers report status, such as 100ms or 2s.",
                                            valueName: "duration"))
    var controllerDelay = "100ms"

    func validate() throws {
        let host = Self.host(of: listen)
        if !allowRemote, !Self.isLoopback(host) {
            throw ValidationError("--listen \(listen): '\(host)' is not a loopback address and the emulator has no authentication. Use 127.0.0.1, or pass --allow-remote.")
        }
        if EmulatorOptions.duration(controllerDelay) == nil {
            throw ValidationError("--controller-delay \(controllerDelay): not a duration. Use for example 100ms, 2s or 0.")
        }
    }

    func run() async throws {
        let logger = global.bootstrapLogging()
        var options = EmulatorOptions()
        options.controllers = controllers
        options.controllerDelay = EmulatorOptions.duration(controllerDelay) ?? options.controllerDelay
        let server = EmulatorServer(options: options, logger: logger)
        let address: String
        do {
            address = try await server.start(listen: listen)
        } catch {
            throw report(error)
        }
        let hint = """
            emulator listening on http://\(address)

            use it with kubectl:
              kubectl config set-cluster tether-emulator --server=http://\(address)
              kubectl config set-context tether-emulator --cluster=tether-emulator
              kubectl config use-context tether-emulator
            or pass --server=http://\(address) to kubectl

            """
        // Written unbuffered so scripts reading the address see it at once.
        FileHandle.standardOutput.write(Data(hint.utf8))
        await Self.waitForTermination()
        await server.stop()
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
