import ArgumentParser
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization
import TetherDaemon
import TetherEngine
import TetherGit
import TetherEmulator
import TetherKube
import UnixSignals

/// `tether run`: the daemon — sync on start, on every poll interval (cheap when
/// nothing changed), on signed webhooks and on the full-resync timer, and correct drift
/// between syncs.
struct RunCommand: AsyncParsableCommand, PipelineCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Keep the cluster equal to the source: poll, webhooks, periodic resync and drift correction.",
        discussion: """
            Takes the source, cluster, prune and SOPS key flags of `tether sync`. Serves /healthz, \
            /readyz, /metrics (Prometheus), /status and the webhook endpoints \
            /hooks/github, /hooks/gitlab, /hooks/generic on --listen. Failures (Git \
            unreachable, render errors, API errors) never prune and never stop the \
            daemon: it keeps the last applied revision and retries with backoff. \
            SIGTERM or SIGINT lets a running sync finish (up to --shutdown-timeout).
            """)

    @OptionGroup var pipelineOptions: PipelineOptions
    @OptionGroup var dashboard: DashboardOptions
    @OptionGroup var reports: ReportingOptions

    @Option(name: .long, help: ArgumentHelp("Poll the source this often (90s, 1m, 1h; a bare number is seconds).", valueName: "duration"),
            transform: DurationFlag.wholeSeconds)
    var interval = 60

    @Option(name: .long, help: ArgumentHelp("Full resync this often even without changes (e.g. 10m, 1h).", valueName: "duration"),
            transform: DurationFlag.wholeSeconds)
    var resync = 600

    @Option(name: .long, help: ArgumentHelp("Address for health, metrics, status and webhooks.", valueName: "host:port"))
    var listen = "127.0.0.1:9473"

    @Option(name: .long, help: ArgumentHelp("File holding the webhook secret; without it the hook endpoints are off.", valueName: "file"))
    var webhookSecretFile: String?

    @Option(name: .long, help: ArgumentHelp("Correct drift (true) or only report it (false).", valueName: "bool"))
    var selfHeal = true

    @Flag(name: .long, help: "After each sync that applied, wait until the applied workloads, Jobs, CRDs and PVCs are ready; not ready within --timeout fails the sync.")
    var wait = false

    @Option(name: .long, help: ArgumentHelp("How long --wait waits (e.g. 90s, 5m; a bare number is seconds).", valueName: "duration"),
            transform: DurationFlag.wholeSeconds)
    var timeout = 300

    @Option(name: .long, help: ArgumentHelp("How long a running sync may take to finish after SIGTERM (e.g. 30s).", valueName: "duration"),
            transform: DurationFlag.wholeSeconds)
    var shutdownTimeout = 30

    @Flag(name: .long, help: "Elect a leader through a coordination.k8s.io Lease; only the leader reconciles.")
    var leaderElect = false

    @Option(name: .long, help: ArgumentHelp("Namespace of the leader-election Lease (default: --parent-namespace).", valueName: "namespace"))
    var leaseNamespace: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --leader-elect: how long a standby waits after the Lease last changed before taking it over.", valueName: "duration"),
        transform: DurationFlag.seconds)
    var leaseDuration: Double = 15

    @Option(name: .long, help: ArgumentHelp(
        "With --leader-elect: how long the leader keeps trying to renew before it stops reconciling.", valueName: "duration"),
        transform: DurationFlag.seconds)
    var renewDeadline: Double = 10

    @Option(name: .long, help: ArgumentHelp("With --leader-elect: time between attempts to acquire or renew the Lease.", valueName: "duration"),
        transform: DurationFlag.seconds)
    var retryPeriod: Double = 2

    @Option(name: .long, help: ArgumentHelp(
        "/readyz turns 503 when the last successful sync is older than this (default: 3 × --interval + 60s).", valueName: "duration"),
        transform: DurationFlag.wholeSeconds)
    var staleAfter: Int?

    func validate() throws {
        if interval < 1 || resync < 1 { throw ValidationError("--interval and --resync must be at least 1 second.") }
        if shutdownTimeout < 1 { throw ValidationError("--shutdown-timeout must be at least 1 second.") }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second.") }
        if let staleAfter, staleAfter < 1 { throw ValidationError("--stale-after must be at least 1 second.") }
        if leaseDuration <= renewDeadline || renewDeadline <= retryPeriod * 1.2 || retryPeriod <= 0 {
            throw ValidationError("--lease-duration must be greater than --renew-deadline, which must be greater than 1.2 × --retry-period (> 0).")
        }
    }

    func run() async throws {
        MemoryTrim.limitArenas(to: 2)
        let logger = global.bootstrapLogging()
        GitLibrary.initialize()
        do {
            try await serve(logger: logger)
        } catch {
            throw report(error)
        }
    }

    private func serve(logger: Logger) async throws {
        let (source, sourceOptions) = try git.resolved()
        try ListenCheck.check(try ListenAddress(listen))
        let notifications = try reports.notifications()
        if source.kind == .localDirectory,
           let warning = UncommittedWarning.text(try await GitRepositoryCache(logger: logger).sync(source, options: sourceOptions).revision, source: source) {
            printError(warning)
        }
        let registry = PrometheusCollectorRegistry()
        let metrics = DaemonMetrics(factory: DaemonMetrics.prometheusFactory(registry: registry))
        let (connected, emulator) = try await cluster.connect(logger: logger)
        // The same client with an observer that feeds tether_api_requests_total and
        // tether_watch_restarts_total (`connect` made one with default options; it has
        // sent nothing yet).
        var clientOptions = connected.options
        clientOptions.observer = { metrics.record($0) }
        let identity = ProcessInfo.processInfo.environment["POD_NAME"] ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        // Replicas share a ServiceAccount; the identity in the User-Agent tells their
        // requests apart in the API server's audit log.
        if leaderElect { clientOptions.userAgent += " (\(identity))" }
        let client = KubeClient(config: connected.config, options: clientOptions, logger: logger)
        // The set is named after the overlay overlays/auto detects, as in `tether sync`.
        let namePath = reconcile.name == nil ? try await CloudDetection.resolve(path: reconcile.path, client: client) : reconcile.path
        var engine = reconcile.engineOptions(defaultNamespace: client.config.namespace, resolvedPath: namePath)
        pruning.apply(to: &engine)
        var configuration = ContinuousReconciler.Configuration(source: source, sourceOptions: sourceOptions, path: reconcile.path, engine: engine)
        configuration.selfHeal = selfHeal
        configuration.waitTimeout = wait ? .seconds(timeout) : nil
        configuration.decrypter = try decryption.fileDecrypter()
        configuration.charts = HelmChartRenderer.factory
        var limits = DashboardRecorder.Limits()
        limits.history = dashboard.uiHistory
        let recorder = DashboardRecorder(limits: limits)

        let status = DaemonStatus(staleAfter: .seconds(staleAfter ?? interval * 3 + 60))
        var elector: LeaderElector?
        if leaderElect {
            var lease = LeaderElectionConfiguration(leaseName: "tether-" + engine.name, namespace: leaseNamespace ?? engine.parentNamespace,
                                                    identity: identity)
            lease.leaseDuration = .seconds(leaseDuration)
            lease.renewDeadline = .seconds(renewDeadline)
            lease.retryPeriod = .seconds(retryPeriod)
            elector = try LeaderElector(client: client, configuration: lease, metrics: metrics, status: status, logger: logger)
        }
        // Events, notifications and traces (docs/notifications.md), beside the dashboard.
        let reporting = reports.reporting(engine: engine, notifications: notifications, instance: identity,
                                          client: elector?.memberClient(client) ?? client, logger: logger)
        configuration.observer = reporting.observer(dashboard.dashboard ? recorder : nil)
        // With leader election every write of the reconciler is sent only while the Lease
        // is held (the elector renews it through the ungated client).
        let reconciler = ContinuousReconciler(configuration: configuration, client: elector?.memberClient(client) ?? client,
                                              metrics: metrics, logger: logger)
        var schedule = SyncScheduler<ContinuousClock>.Configuration()
        schedule.interval = .seconds(interval)
        schedule.resyncInterval = .seconds(resync)
        schedule.shutdownTimeout = .seconds(shutdownTimeout)
        let scheduler = SyncScheduler(configuration: schedule, status: status, metrics: metrics, logger: logger) { trigger in
            await reconciler.sync(trigger)
        }
        // Pushes to the branch --ref names trigger a sync; pushes elsewhere are answered "ignored".
        var hooks = WebhookReceiver.Configuration()
        hooks.refFilter = RefFilter(trackedRef: git.ref)
        let receiver = try webhookSecretFile.map { path in
            try WebhookReceiver(secret: try WebhookSecret.load(path: path), configuration: hooks, metrics: metrics, logger: logger) {
                scheduler.trigger($0)
            }
        }
        var server = DaemonHTTPServer(status: status, registry: registry, receiver: receiver, logger: logger)
        if dashboard.dashboard {
            let target = Dashboard.Target(name: engine.name, source: source.redactedURL, ref: git.ref, path: reconcile.path,
                                          parent: "ConfigMap/\(engine.parentNamespace)/\(engine.parentName)")
            server.dashboard = Dashboard(target: target, recorder: recorder, fieldManager: engine.fieldManager, access: try dashboard.access(),
                                         trigger: { scheduler.trigger($0) }, liveView: { reconciler.liveView() })
        }
        let http = server.application(listen: try ListenAddress(listen)) { address in
                printError("tether run: serving /healthz, /readyz, /metrics, /status\(receiver == nil ? "" : " and /hooks/*") on http://\(address)\(dashboard.dashboard ? " (dashboard at /)" : "")")
            }
        var services: [any Service] = [http]
        if let elector {
            services.append(LeaderService(elector: elector, scheduler: scheduler, reconciler: reconciler))
        } else {
            services.append(scheduler)
        }
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        recorder.finishStreams()
        await reconciler.stop()
        await reporting.finish(within: .seconds(1))
        await emulator?.stop()
    }
}
