/// Something the client did on the wire, for metrics: handed to
/// `KubeClient.Options.observer` as it happens.
package enum RequestEvent: Sendable, Equatable {
    /// One HTTP request ended: `status` is the HTTP status, or 0 when no response arrived
    /// (connection failed, timed out). Every attempt counts, retries included; a watch
    /// counts when it ends. Cancelled requests are not reported.
    case response(method: String, status: Int)
    /// A watch ended and is being started again.
    case watchRestarted(WatchRestart)

    /// Why a watch was started again.
    package enum WatchRestart: String, Sendable, Equatable {
        /// 410 Gone: the resourceVersion expired, so the kind was listed again.
        case expired
        /// The watch request failed (error status or connection lost) and is retried.
        case failed
        /// The server ended the watch cleanly before its `timeoutSeconds` (a load balancer
        /// or an API server restart); it resumes from the last resourceVersion.
        case closedEarly
    }
}
