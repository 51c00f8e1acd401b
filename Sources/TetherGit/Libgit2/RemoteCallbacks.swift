internal import CGit2
import Foundation
import Logging

/// State shared by the libgit2 callbacks of one network operation (passed as `payload`).
/// Used only on the operation's own thread; the watchdog touches only `context`.
final class CallbackState {
    let context: OperationContext
    let source: GitSource
    let credentials: LoadedCredentials
    let knownHosts: KnownHosts?
    let insecureSkipHostKeyCheck: Bool
    /// The CA file trusted for HTTPS instead of the system store, if any.
    let caFile: String?
    let logger: Logger
    var credentialAttempts = 0
    /// A precise failure recorded by a callback; preferred over libgit2's generic message.
    var failure: GitError?

    init(context: OperationContext, source: GitSource, credentials: LoadedCredentials,
         knownHosts: KnownHosts?, insecureSkipHostKeyCheck: Bool, caFile: String?, logger: Logger) {
        self.context = context
        self.source = source
        self.credentials = credentials
        self.knownHosts = knownHosts
        self.insecureSkipHostKeyCheck = insecureSkipHostKeyCheck
        self.caFile = caFile
        self.logger = logger
    }

    /// Whether this operation carries credentials: configured ones, or user information in
    /// the URL (libgit2 sends those itself when the server asks).
    var sendsCredentials: Bool {
        if case .none = credentials { return source.user != nil }
        return true
    }

    /// Turns a failed libgit2 call into the most precise `GitError` known.
    func error(for failure: Libgit2Failure, doing action: String) -> GitError {
        let url = source.redactedURL
        let seconds = { (duration: Duration) in duration.components.seconds }
        switch context.abortReason {
        case .connectTimeout?:
            return GitError(.timeout, "\(action): could not connect within \(seconds(context.timeouts.connect))s. Check the host and port, or raise the connect timeout.", url: url, cause: failure)
        case .idleTimeout?:
            return GitError(.timeout, "\(action): the server sent nothing for \(seconds(context.timeouts.idle))s. Check the server, or raise the idle timeout.", url: url, cause: failure)
        case .totalTimeout?:
            return GitError(.timeout, "\(action): did not finish within \(seconds(context.timeouts.total))s. Raise the total timeout for large repositories.", url: url, cause: failure)
        case .cancelled?:
            return GitError(.cancelled, "\(action): cancelled.", url: url)
        case nil:
            break
        }
        if var recorded = self.failure {
            recorded.cause = recorded.cause ?? failure
            return recorded
        }
        if failure.message.hasPrefix("cannot redirect from") {
            // libgit2 refused a Location on another host (see RemoteSession.redirectPolicy).
            let code: GitError.Code = sendsCredentials ? .authentication : .unreachable
            let why = sendsCredentials ? "credentials are only sent to '\(source.host ?? "")', so the redirect was not followed"
                                       : "only the first request of an anonymous source may be redirected to another host"
            return GitError(code, "\(action): the server redirected to another host (\(failure.message)); \(why). Point the source at the final URL.", url: url, cause: failure)
        }
        let code = failure.suggestedCode
        let hint: String
        switch code {
        case .authentication: hint = "Check the configured credentials."
        case .unreachable: hint = "Check the URL and that the server is running."
        case .diskWrite: hint = "Free disk space in the cache directory or fix its permissions."
        default: hint = "See the cause for details."
        }
        return GitError(code, "\(action) failed: \(failure.message). \(hint)", url: url, cause: failure)
    }

    /// Fills libgit2's callback table with this state as payload.
    func install(into callbacks: inout git_remote_callbacks) {
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.credentials = { out, url, userFromURL, allowed, payload in
            guard let out, let payload else { return -1 }
            let state = Unmanaged<CallbackState>.fromOpaque(payload).takeUnretainedValue()
            return state.acquireCredential(out, url.map { String(cString: $0) }, userFromURL.map { String(cString: $0) }, allowed)
        }
        callbacks.certificate_check = { cert, valid, host, payload in
            guard let cert, let payload else { return -1 }
            let state = Unmanaged<CallbackState>.fromOpaque(payload).takeUnretainedValue()
            return state.checkCertificate(cert, valid != 0, host.map { String(cString: $0) } ?? "")
        }
        callbacks.transfer_progress = { _, payload in
            guard let payload else { return 0 }
            let state = Unmanaged<CallbackState>.fromOpaque(payload).takeUnretainedValue()
            state.context.touch()
            return state.context.checkDeadlines() ? -1 : 0
        }
        callbacks.sideband_progress = { _, _, payload in
            guard let payload else { return 0 }
            let state = Unmanaged<CallbackState>.fromOpaque(payload).takeUnretainedValue()
            state.context.touch()
            return state.context.checkDeadlines() ? -1 : 0
        }
    }

    // MARK: Credentials

    private func acquireCredential(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>,
                                   _ url: String?, _ userFromURL: String?, _ allowed: UInt32) -> Int32 {
        context.touch()
        if context.checkDeadlines() { return -1 }
        let action = "authenticating"
        if let url, let requested = try? GitSource(url), let expected = source.host,
           requested.host?.lowercased() != expected.lowercased() {
            failure = GitError(.authentication, "\(action): the server redirected to host '\(requested.host ?? "?")'; credentials are only sent to '\(expected)'. Point the source at the final URL.", url: source.redactedURL)
            return -1
        }
        let allows = { (type: git_credential_t) in allowed & type.rawValue != 0 }
        if allows(GIT_CREDENTIAL_USERNAME), case .sshKey(let user, _, _, _) = credentials {
            return git_credential_username_new(out, user)
        }
        credentialAttempts += 1
        if credentialAttempts > 1 {
            failure = GitError(.authentication, "\(action): the server rejected the credentials. Check the \(credentialKind) and that it grants read access.", url: source.redactedURL)
            return GIT_EAUTH.rawValue
        }
        switch credentials {
        case .basic(let user, let password) where allows(GIT_CREDENTIAL_USERPASS_PLAINTEXT):
            return git_credential_userpass_plaintext_new(out, user, password.reveal())
        case .sshKey(let user, let key, let publicKey, let passphrase) where allows(GIT_CREDENTIAL_SSH_KEY):
            return git_credential_ssh_key_new(out, userFromURL ?? user, publicKey, key, passphrase?.reveal())
        case .bearer:
            failure = GitError(.authentication, "\(action): the server rejected the bearer token. Check the token and its scopes.", url: source.redactedURL)
        case .none:
            failure = GitError(.authentication, "\(action): the server requires credentials and none are configured. Configure a token, username/password or SSH key.", url: source.redactedURL)
        default:
            failure = GitError(.authentication, "\(action): the server does not accept the configured \(credentialKind).", url: source.redactedURL)
        }
        return GIT_EAUTH.rawValue
    }

    private var credentialKind: String {
        switch credentials {
        case .none: return "credentials"
        case .bearer: return "bearer token"
        case .basic: return "username and password"
        case .sshKey: return "SSH key"
        }
    }

    // MARK: Host keys and certificates

    private func checkCertificate(_ cert: UnsafeMutablePointer<git_cert>, _ valid: Bool, _ host: String) -> Int32 {
        context.touch()
        if context.checkDeadlines() { return -1 }
        guard cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
            if valid { return 0 }
            let trust = caFile.map { "CA file '\($0)'" } ?? "the system CA store"
            failure = GitError(.hostKey, "the TLS certificate of '\(host)' is not trusted by \(trust) (unknown issuer, expired, or issued for another name). Pass the PEM file of the CA that issued it with --ca-file.", url: source.redactedURL)
            return GIT_ECERTIFICATE.rawValue
        }
        let hostkey = UnsafeMutableRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        let fingerprint = withUnsafeBytes(of: hostkey.hash_sha256) { KnownHosts.fingerprint(sha256: Array($0)) }
        if insecureSkipHostKeyCheck {
            logger.warning("SSH host key check is DISABLED (insecureSkipHostKeyCheck); the connection can be intercepted",
                           metadata: ["git.url": "\(source.redactedURL)", "git.hostkey": "\(fingerprint)"])
            return 0
        }
        guard let knownHosts else {
            failure = GitError(.hostKey, "no known_hosts file is configured, so the host key \(fingerprint) of '\(host)' cannot be checked. Pass --known-hosts FILE holding that key (ssh-keyscan -p PORT HOST > FILE) if it is the server's.", url: source.redactedURL)
            return GIT_ECERTIFICATE.rawValue
        }
        guard hostkey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostkey.hostkey else {
            failure = GitError(.hostKey, "libgit2 did not provide the raw host key of '\(host)', so it cannot be checked.", url: source.redactedURL)
            return GIT_ECERTIFICATE.rawValue
        }
        let key = [UInt8](UnsafeRawBufferPointer(start: raw, count: hostkey.hostkey_len))
        switch knownHosts.verdict(host: source.host ?? host, port: source.port, key: key) {
        case .trusted:
            return 0
        case .unknown:
            failure = GitError(.hostKey, "host '\(host)' is not in known_hosts; it presented \(KnownHosts.keyType(of: key) ?? "a") key \(fingerprint). Add the key to the --known-hosts file if you trust it.", url: source.redactedURL)
        case .changed:
            failure = GitError(.hostKey, "the host key of '\(host)' CHANGED: it presented \(fingerprint), which does not match known_hosts. Someone may be intercepting the connection; update known_hosts only if the change is expected.", url: source.redactedURL)
        case .revoked:
            failure = GitError(.hostKey, "host '\(host)' presented a revoked key \(fingerprint). Refusing to connect.", url: source.redactedURL)
        }
        return GIT_ECERTIFICATE.rawValue
    }
}
