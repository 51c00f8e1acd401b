/// Something that reports syncs and drift outside the daemon: Kubernetes Events,
/// notifications, traces. `SyncRecorder` calls it from the reconciler's gate; it must
/// return at once (queue its network work) and never throw.
package protocol SyncReporter: Sendable {
    /// A sync ended.
    func report(_ sync: SyncRecord)
    /// Drift was detected (`endedAt` nil) or its correction ended.
    func report(_ drift: DriftRecord)
}
