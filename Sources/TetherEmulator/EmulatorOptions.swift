/// How an emulator behaves; the defaults suit tests and local runs.
package struct EmulatorOptions: Sendable {
    /// How often a watch that allows bookmarks receives one.
    package var bookmarkInterval: Duration
    /// How many past events a watch can resume from; older resourceVersions get 410 Gone.
    package var watchHistoryLimit: Int
    /// Whether Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and
    /// PersistentVolumeClaims report ready, complete or bound status by
    /// themselves, as their controllers would.
    package var controllers: Bool
    /// How long after a change the simulated controllers write its status.
    package var controllerDelay: Duration
    /// The failures injected from the start (none by default).
    package var faults = FaultPlan()
    /// Serve HTTPS with the CA, certificates and kubeconfig in this
    /// directory (created when missing), requiring a client certificate or
    /// a bearer token.
    package var tlsDirectory: String?
    /// Accept the bearer tokens of this kube-apiserver static token file and
    /// refuse requests without credentials.
    package var tokenFile: String?
    /// Keep the objects in this directory (a write-ahead log and a
    /// snapshot, fsynced) and restore them on start; nil keeps them in memory.
    package var stateDirectory: String?

    package init(bookmarkInterval: Duration = .seconds(30), watchHistoryLimit: Int = 10_000,
                 controllers: Bool = true, controllerDelay: Duration = .milliseconds(100)) {
        self.bookmarkInterval = bookmarkInterval
        self.watchHistoryLimit = watchHistoryLimit
        self.controllers = controllers
        self.controllerDelay = controllerDelay
    }
}

extension EmulatorOptions {
    /// Reads a duration written as Go does: `250ms`, `2s`, `1m`, `1.5s`; a
    /// bare number is milliseconds, and `0` is zero.
    ///
    /// - Returns: `nil` for text that is not a duration.
    package static func duration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        var number = Substring(text)
        var scale = 1.0
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let head = text.dropLast(suffix.count)
            // `ms` also ends in `s`: take the longest suffix whose head is a number.
            if Double(head) != nil {
                number = head
                scale = factor
                break
            }
        }
        guard let value = Double(number), value >= 0, value.isFinite else { return nil }
        return .microseconds(Int64((value * scale * 1000).rounded()))
    }
}
