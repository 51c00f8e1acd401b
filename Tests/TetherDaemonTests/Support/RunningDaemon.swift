import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization
@testable import TetherDaemon

/// The daemon's pieces wired as `tether run` will wire them, with `SyncRecorder` in place
/// of the engine: a scheduler, a webhook receiver feeding it, status, metrics and the HTTP
/// server on 127.0.0.1 port 0, all in one `ServiceGroup`.
final class RunningDaemon: Sendable {
    let address: String
    let recorder: SyncRecorder
    let status: DaemonStatus
    let registry: PrometheusCollectorRegistry
    let scheduler: SyncScheduler<ContinuousClock>
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var url: String { "http://" + address }

    init(secret: WebhookSecret?, webhook: WebhookReceiver.Configuration = WebhookReceiver.Configuration(),
         scheduler configuration: SyncScheduler<ContinuousClock>.Configuration = RunningDaemon.quietScheduler(),
         staleAfter: Duration = .seconds(60), logger: Logger = quietLogger("test")) async throws {
        let recorder = SyncRecorder()
        let status = DaemonStatus(staleAfter: staleAfter)
        let registry = PrometheusCollectorRegistry()
        let metrics = DaemonMetrics(factory: DaemonMetrics.prometheusFactory(registry: registry))
        let scheduler = SyncScheduler(configuration: configuration, status: status, metrics: metrics, logger: logger,
                                      sync: recorder.sync)
        let receiver = try secret.map { secret throws(DaemonError) in
            try WebhookReceiver(secret: secret, configuration: webhook, metrics: metrics, logger: logger) { scheduler.trigger($0) }
        }
        let server = DaemonHTTPServer(status: status, registry: registry, receiver: receiver, logger: logger)
        let (addresses, addressSink) = AsyncStream.makeStream(of: String.self)
        let app = server.application(listen: try ListenAddress("127.0.0.1:0")) { addressSink.yield($0) }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: app), .init(service: scheduler)], gracefulShutdownSignals: [], logger: logger))
        // Unstructured because the daemon outlives this initialiser; `stop()` ends it.
        task = Task { try await group.run() }
        var iterator = addresses.makeAsyncIterator()
        guard let address = await iterator.next() else { throw TestFailure("the HTTP server did not start") }
        self.address = address
        self.recorder = recorder
        self.status = status
        self.registry = registry
        self.scheduler = scheduler
        self.group = group
    }

    /// No sync on start and timers far away: only webhooks and explicit triggers sync.
    static func quietScheduler() -> SyncScheduler<ContinuousClock>.Configuration {
        var configuration = SyncScheduler<ContinuousClock>.Configuration()
        configuration.syncOnStart = false
        configuration.interval = .seconds(3600)
        configuration.resyncInterval = .seconds(3600)
        configuration.shutdownTimeout = .seconds(5)
        return configuration
    }

    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

/// Signs with the openssl CLI, independently of the HMAC code under test.
func opensslHMAC(key: String, message: [UInt8]) async throws -> String {
    let output = try await runProcess("/usr/bin/openssl", ["dgst", "-sha256", "-hmac", key], input: message)
    guard let hex = output.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines), hex.count == 64 else {
        throw TestFailure("unexpected openssl output: \(output)")
    }
    return hex
}
