import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdTLS
import NIOSSL
package import Logging
import NIOCore
import ServiceLifecycle
import TetherModel

/// A Kubernetes API emulator that runs inside the current process: the
/// object store behind an HTTP server that kubectl and client-go accept:
/// HTTP/1.1 in plain text; with TLS, HTTP/2 or HTTP/1.1 by ALPN, as kube-apiserver offers.
///
/// ```swift
/// let server = EmulatorServer()
/// let address = try await server.start(listen: "127.0.0.1:0")   // "127.0.0.1:41234"
/// // ... point a kubeconfig at http://\(address) ...
/// await server.stop()
/// ```
package actor EmulatorServer {
    private enum State {
        case idle
        case starting
        case running(task: Task<Void, Never>, group: ServiceGroup, address: String)
        case stopped
    }

    /// The objects the server holds; tests may read or seed it directly.
    package nonisolated let store: ObjectStore
    /// Every request answered, in order.
    package nonisolated let audit: AuditLog
    /// The failures injected into resource requests; change its plan at any time.
    package nonisolated let faults: FaultInjector
    private let options: EmulatorOptions
    private let logger: Logger
    private var state = State.idle

    /// - Parameters:
    ///   - options: bookmark interval and watch history size.
    ///   - logger: where requests are logged, at `debug`.
    package init(options: EmulatorOptions = EmulatorOptions(), logger: Logger = Logger(label: "tether.emulator")) {
        self.options = options
        self.logger = logger
        self.store = ObjectStore(options: ObjectStore.Options(watchHistoryLimit: options.watchHistoryLimit))
        self.audit = AuditLog()
        self.faults = FaultInjector(plan: options.faults)
    }

    /// With `tlsDirectory`: the kubeconfig written for the bound address,
    /// with the CA and the admin client certificate inline.
    package private(set) var kubeconfigPath: String?

    /// `https` with a TLS directory, else `http`.
    package nonisolated var scheme: String { options.tlsDirectory == nil ? "http" : "https" }

    /// The bound `host:port`, once started.
    package var address: String? {
        if case .running(_, _, let address) = state { return address }
        return nil
    }

    /// Binds the listen address and starts answering requests.
    ///
    /// - Parameter listen: `host:port`; port 0 picks a free port.
    /// - Returns: the bound address as `host:port`.
    /// - Throws: `EmulatorError` `.listenFailed` when the address is malformed
    ///   or cannot be bound, or when the server was already started.
    package func start(listen: String) async throws(EmulatorError) -> String {
        guard case .idle = state else { throw EmulatorError(.listenFailed, "the emulator was already started") }
        let (host, port) = try Self.split(listen)
        state = .starting
        let security: Security
        do {
            security = try await Self.security(options)
            if let directory = options.stateDirectory { try await store.persist(in: directory) }
        } catch {
            state = .idle
            throw error
        }
        let (ports, portSink) = AsyncThrowingStream.makeStream(of: Int.self)
        let responder = EmulatorResponder(store: store, audit: audit, faults: faults,
                                          authenticator: security.authenticator, options: options, logger: logger)
        let app = Application(
            responder: responder,
            server: security.server,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "tether-emulator"),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? port)
            },
            logger: logger)
        let controllers = SimulatedControllers(store: store, workloads: options.controllers,
                                               delay: options.controllerDelay)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: app),
                .init(service: controllers, successTerminationBehavior: .ignore),
            ],
            gracefulShutdownSignals: [], logger: logger))
        // An unstructured task because the server outlives this call: it runs
        // until `stop()` shuts the group down gracefully.
        let task = Task {
            do {
                try await group.run()
                portSink.finish()
            } catch {
                portSink.finish(throwing: error)
            }
        }
        let bound: Int
        do {
            var iterator = ports.makeAsyncIterator()
            guard let first = try await iterator.next() else {
                throw EmulatorError(.listenFailed, "\(listen): the server stopped before it was listening")
            }
            bound = first
        } catch {
            task.cancel()
            state = .idle
            if let error = error as? EmulatorError { throw error }
            throw EmulatorError(.listenFailed, "\(listen): cannot listen: \(Self.reason(error)). Choose a free address.")
        }
        // Re-check after the awaits above: stop() may have run meanwhile.
        guard case .starting = state else {
            task.cancel()
            throw EmulatorError(.listenFailed, "the emulator was stopped while starting")
        }
        let address = "\(host):\(bound)"
        if let material = security.material {
            do {
                try material.writeKubeconfig(address: address.contains("::") ? "[\(host)]:\(bound)" : address)
            } catch {
                task.cancel()
                state = .idle
                throw error
            }
            kubeconfigPath = material.kubeconfig
        }
        state = .running(task: task, group: group, address: address)
        logger.info("emulator listening", metadata: ["emulator.address": "\(address)"])
        return address
    }

    /// Ends every watch and stops the server; waits until it has stopped.
    package func stop() async {
        guard case .running(let task, let group, _) = state else {
            state = .stopped
            return
        }
        state = .stopped
        // Watches are endless responses; end them first so the graceful
        // shutdown does not wait for them.
        await store.endAllWatches()
        await group.triggerGracefulShutdown()
        await task.value
    }

    /// How the server authenticates and what it serves over.
    private struct Security {
        var server: HTTPServerBuilder = .http1()
        var authenticator = Authenticator.open
        var material: TLSMaterial?
    }

    /// Reads the token file and prepares the TLS files (off the cooperative
    /// pool: `openssl` runs as a subprocess the first time).
    private static func security(_ options: EmulatorOptions) async throws(EmulatorError) -> Security {
        var security = Security()
        let tokens = try options.tokenFile.map { path throws(EmulatorError) in try TokenFile(path: path) }
        security.authenticator = Authenticator(required: tokens != nil || options.tlsDirectory != nil,
                                               tokens: tokens, tls: options.tlsDirectory != nil)
        guard let directory = options.tlsDirectory else { return security }
        let material = TLSMaterial(directory: URL(fileURLWithPath: directory))
        let configuration = try await runOnDedicatedThread(name: "tether-emu-tls") { () throws(EmulatorError) -> TLSConfiguration in
            try material.ensure()
            return try material.serverConfiguration()
        }
        do {
            // ALPN offers h2 and http/1.1 (HTTP2UpgradeChannel), as kube-apiserver's
            // listener does; client-go negotiates h2 unless DISABLE_HTTP2 is set.
            security.server = try .http2Upgrade(tlsConfiguration: configuration)
        } catch {
            throw EmulatorError(.configuration, "\(directory): cannot set up TLS: \(error)")
        }
        security.material = material
        return security
    }

    /// Why a bind failed, in words: NIO's `IOError` text names the syscall.
    private static func reason(_ error: any Error) -> String {
        guard let error = error as? IOError else { return "\(error)" }
        switch error.errnoCode {
        case EADDRINUSE: return "the address is already in use by another process"
        case EADDRNOTAVAIL: return "the address is not one of this machine's"
        case EACCES: return "permission denied (ports below 1024 need privileges)"
        default: return String(cString: strerror(error.errnoCode))
        }
    }

    /// Splits `host:port` (or `[v6]:port`).
    static func split(_ listen: String) throws(EmulatorError) -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
              (0...65535).contains(port)
        else {
            throw EmulatorError(.listenFailed, "\(listen): not a host:port listen address. Use for example 127.0.0.1:6443.")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            throw EmulatorError(.listenFailed, "\(listen): the host is missing. Use for example 127.0.0.1:6443.")
        }
        return (host, port)
    }
}
