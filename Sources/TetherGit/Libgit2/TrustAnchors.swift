internal import CGit2
import Foundation

/// The certificate authorities libgit2 trusts for HTTPS, shared by the whole process.
///
/// libgit2 keeps one TLS configuration for every connection in the process, and
/// `GIT_OPT_SET_SSL_CERT_LOCATIONS` changes it for all of them. With mbedTLS (Debian's
/// libgit2) the call *replaces* the trusted CAs and frees the old list, so swapping it while
/// another thread is in a TLS handshake would be a use-after-free. Every HTTP(S) operation
/// therefore holds a lease on the anchors it needs for its whole duration. Leases are granted
/// in arrival order: one for the anchors already installed joins the current holders, one for
/// other anchors waits until they finish and then installs its own (later arrivals queue
/// behind it, so a steady stream of one kind cannot starve another). The system store is
/// `/etc/ssl/certs/ca-certificates.crt` (or the first of the usual bundle paths that exists).
///
/// `@unchecked Sendable`: every mutable field is read and written only while `condition` is
/// locked.
final class TrustAnchors: @unchecked Sendable {
    /// The one instance: libgit2's trust store is process-wide.
    static let shared = TrustAnchors()

    /// A set of anchors: the system store, or a CA file as of its modification time (so a
    /// rotated file is loaded again).
    private enum Anchors: Equatable {
        case system
        case file(String, modified: Date?)
        /// After a failed swap: nobody knows, so the next lease installs again.
        case unknown
    }

    fileprivate let condition = NSCondition()
    /// What libgit2 trusts now; libgit2 loads the system store at start-up.
    private var installed = Anchors.system
    fileprivate var holders = 0
    /// Arrival-order admission: the ticket handed to the next request, the one admitted next,
    /// and tickets whose requests gave up while waiting.
    private var nextTicket = 0
    private var nowServing = 0
    private var abandoned: Set<Int> = []

    private static let systemBundles = [
        "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem",
    ]

    /// A held lease; `release` (or deinit) gives it back.
    /// `@unchecked Sendable`: `released` is only touched by the owning session's thread.
    final class Lease: @unchecked Sendable {
        private let anchors: TrustAnchors
        private var released = false
        fileprivate init(_ anchors: TrustAnchors) { self.anchors = anchors }
        deinit { release() }

        /// Gives the lease back; later calls do nothing.
        func release() {
            guard !released else { return }
            released = true
            anchors.condition.lock()
            anchors.holders -= 1
            anchors.condition.broadcast()
            anchors.condition.unlock()
        }
    }

    /// Waits until libgit2 trusts exactly `caFile` (or the system store when nil) and keeps
    /// it so until the lease is released. Release it before asking for another one: leases
    /// are granted in arrival order, so a second request while holding the first can wait
    /// for ever behind a request for other anchors.
    /// - Parameters:
    ///   - caFile: a PEM file of CA certificates, or nil for the system store.
    ///   - context: the operation's deadlines; waiting counts against the total deadline
    ///     (not the idle one: the server is not being silent).
    ///   - failure: builds the error to throw when the deadline passes while waiting.
    /// - Returns: the lease.
    /// - Throws: `GitError` `.invalidInput` when the CA file cannot be loaded, or the deadline
    ///   error from `failure`.
    func lease(caFile: String?, context: OperationContext, failure: (Libgit2Failure) -> GitError) throws(GitError) -> Lease {
        let wanted = caFile.map { Anchors.file($0, modified: Self.modificationDate(of: $0)) } ?? .system
        try acquire(wanted, context: context, failure: failure)
        return Lease(self)
    }

    private func acquire(_ wanted: Anchors, context: OperationContext, failure: (Libgit2Failure) -> GitError) throws(GitError) {
        condition.lock()
        defer { condition.unlock() }
        let ticket = nextTicket
        nextTicket += 1
        while ticket != nowServing || (holders > 0 && installed != wanted) {
            _ = condition.wait(until: Date().addingTimeInterval(0.05))
            context.touch()
            if context.checkDeadlines() {
                abandoned.insert(ticket)
                advance()
                throw failure(Libgit2Failure(result: -1, errorClass: 0, message: "waiting for HTTPS operations that trust other CAs"))
            }
        }
        advance(past: ticket)
        if installed != wanted {
            do throws(GitError) {
                try Self.install(wanted)
                installed = wanted
            } catch {
                installed = .unknown
                throw error
            }
        }
        holders += 1
    }

    /// Moves `nowServing` past `ticket` (when given) and past abandoned tickets; wakes waiters.
    private func advance(past ticket: Int? = nil) {
        if let ticket, ticket == nowServing { nowServing += 1 }
        while abandoned.remove(nowServing) != nil { nowServing += 1 }
        condition.broadcast()
    }

    private static func install(_ anchors: Anchors) throws(GitError) {
        git_error_clear()
        let result: Int32
        var what = "the system CA store"
        if case .file(let file, _) = anchors {
            what = "CA file '\(file)'"
            result = tether_git_set_ssl_cert_locations(file, nil)
        } else if let bundle = systemBundles.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            result = tether_git_set_ssl_cert_locations(bundle, nil)
        } else {
            result = tether_git_set_ssl_cert_locations(nil, "/etc/ssl/certs")
        }
        guard result < 0 else { return }
        throw GitError(.invalidInput, "cannot load \(what): \(lastFailure(result).message). Give a PEM file of CA certificates.")
    }

    private static func modificationDate(of path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
