/// Leader election over a `coordination.k8s.io/v1` Lease, with controller-runtime's
/// defaults and meaning.
package struct LeaderElectionConfiguration: Sendable, Equatable {
    /// The Lease's name, e.g. `tether-aws`.
    package var leaseName: String
    /// The Lease's namespace, e.g. `tether-system`.
    package var namespace: String
    /// This replica's identity, unique among replicas (the Pod name in-cluster).
    package var identity: String
    /// How long a standby waits, from when it last saw the Lease change, before it takes
    /// the Lease over. Also what the leader writes into `spec.leaseDurationSeconds`.
    package var leaseDuration: Duration = .seconds(15)
    /// How long the leader keeps trying to renew before it gives up leading.
    package var renewDeadline: Duration = .seconds(10)
    /// Time between attempts to acquire or renew.
    package var retryPeriod: Duration = .seconds(2)
    /// Whether stopping (cancellation or the work returning) releases the Lease, so a
    /// standby takes over within about a retry period instead of a lease duration.
    package var releaseOnStop = true

    /// - Parameters: see the properties.
    package init(leaseName: String, namespace: String, identity: String) {
        self.leaseName = leaseName
        self.namespace = namespace
        self.identity = identity
    }

    /// client-go's jitter factor on the retry period.
    static let jitterFactor = 1.2

    /// Checks the same constraints client-go's `NewLeaderElector` does.
    /// - Throws: `DaemonError` `.invalidConfiguration` naming the value and the rule.
    package func validate() throws(DaemonError) {
        guard !leaseName.isEmpty, !namespace.isEmpty else {
            throw DaemonError(.invalidConfiguration, "leader election needs a Lease name and namespace. Set --name (the Lease is tether-NAME) and --lease-namespace.")
        }
        guard !identity.isEmpty else {
            throw DaemonError(.invalidConfiguration, "leader election needs a non-empty identity. Set the POD_NAME environment variable (from the downward API in a Deployment).")
        }
        guard leaseDuration > renewDeadline else {
            throw DaemonError(.invalidConfiguration, "the lease duration (\(leaseDuration)) must be greater than the renew deadline (\(renewDeadline)).")
        }
        guard renewDeadline > retryPeriod * Self.jitterFactor else {
            throw DaemonError(.invalidConfiguration, "the renew deadline (\(renewDeadline)) must be greater than 1.2 × the retry period (\(retryPeriod)).")
        }
        guard leaseDuration >= .seconds(1), retryPeriod > .zero else {
            throw DaemonError(.invalidConfiguration, "the lease duration must be at least 1 s and the retry period positive.")
        }
    }
}
