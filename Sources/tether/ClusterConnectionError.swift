import Foundation
import TetherEngine
import TetherKube

/// The cluster as the user named it, so that an error about reaching it says it back in
/// their words and names the flag (or `tether.yaml` field) that changes it.
struct ClusterNaming: Sendable {
    /// The cluster, e.g. `the API server http://127.0.0.1:1 (--server)` or
    /// `context 'prod' (--context; server https://10.0.0.1:6443)`.
    var cluster: String
    /// How to fix a cluster that cannot be reached or does not answer in time.
    var unreachable: String
    /// How to fix a failed TLS handshake or certificate check.
    var tls: String
    /// How to fix refused credentials.
    var unauthorized: String
}

extension ClusterOptions {
    /// How these options named the cluster that `config` was made from.
    /// - Parameter target: for a `tether.yaml` target that sets its own cluster, the target
    ///   as `target 'prod' (tether.yaml:3)`; its fields are named instead of the flags.
    func naming(_ config: KubeConfig, target: String? = nil) -> ClusterNaming {
        func setting(_ name: String) -> String { target.map { "\(name): of \($0)" } ?? "--" + name }
        if let emulator {
            return ClusterNaming(
                cluster: "the embedded emulator at \(config.server) (--emulator \(emulator))",
                unreachable: "Give --emulator a free loopback address, or leave the address out.",
                tls: "The embedded emulator serves plain HTTP.", unauthorized: "The embedded emulator takes no credentials.")
        }
        if server != nil {
            let token = clusterTokenFile.map { "Check the token in --cluster-token-file \($0)" }
                ?? "No token was sent: pass a file holding a bearer token with --cluster-token-file"
            return ClusterNaming(
                cluster: "the API server \(config.server) (\(setting("server")))",
                unreachable: "Check that the API server is running and reachable from here, and that \(setting("server")) is right.",
                tls: certificateAuthority.map { "Check that --certificate-authority \($0) holds the CA that signed the server's certificate." }
                    ?? "Pass the CA bundle that signed the server's certificate with --certificate-authority.",
                unauthorized: token + ".")
        }
        guard let contextName = config.contextName else {
            return ClusterNaming(
                cluster: "the in-cluster API server \(config.server) (service account; no kubeconfig was found)",
                unreachable: "Check the cluster's network policy for the API server, or pass --kubeconfig or --server.",
                tls: "Check the service account's ca.crt.", unauthorized: "Check that the service account token is mounted and valid.")
        }
        let files = kubeconfig ?? ProcessInfo.processInfo.environment["KUBECONFIG"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "~/.kube/config"
        let chosen = context != nil ? setting("context") : "the current-context of \(files)"
        return ClusterNaming(
            cluster: "context '\(contextName)' (\(chosen); server \(config.server))",
            unreachable: "Check that the cluster is up and that the context's server in \(files) is right, or choose another context with \(setting("context")).",
            tls: "Check certificate-authority and tls-server-name of the context's cluster in \(files).",
            unauthorized: "Check the credentials of the context's user in \(files) (token, client certificate or exec plugin), or choose another context with \(setting("context")).")
    }
}

/// A cluster that cannot be reached, or that refuses the credentials: the first request of
/// a sync (reading the ApplySet parent, listing Nodes) fails this way whatever it was, so
/// the error opens with the cluster the user named, then says what failed and which flag
/// fixes it. The exit code is the underlying `KubeError`'s (3).
struct ClusterConnectionError: Error, CustomStringConvertible {
    var naming: ClusterNaming
    var failure: KubeError

    var description: String {
        let what = failure.message.hasSuffix(".") ? String(failure.message.dropLast()) : failure.message
        switch failure.code {
        case .tls:
            // OpenSSL's words for a server that answered the handshake in plain HTTP.
            let plain = what.contains("wrong version number") ? " The server seems to speak plain HTTP: use http:// if that is expected." : ""
            return "TLS with \(naming.cluster) failed: \(what).\(plain) \(naming.tls)"
        case .unauthorized:
            let detail = what.lowercased() == "unauthorized" ? "" : ": " + what
            return "\(naming.cluster) refused the credentials (401 Unauthorized)\(detail). \(naming.unauthorized)"
        case .timeout: return "\(naming.cluster) did not answer in time: \(what). \(naming.unreachable)"
        default: return "cannot reach \(naming.cluster): \(what). \(naming.unreachable)"
        }
    }

    /// `error` told as a connection failure when a request to the cluster failed to connect,
    /// to complete TLS, in time or with accepted credentials; any other error unchanged.
    static func explaining(_ error: any Error, naming: ClusterNaming) -> any Error {
        guard let failure = connectionFailure(in: error) else { return error }
        return ClusterConnectionError(naming: naming, failure: failure)
    }

    /// The `KubeError` of that kind in `error` or its chain of `EngineError` causes.
    private static func connectionFailure(in error: any Error) -> KubeError? {
        var current: (any Error)? = error
        for _ in 0..<4 {
            if let kube = current as? KubeError {
                return [.transport, .tls, .timeout, .unauthorized].contains(kube.code) ? kube : nil
            }
            guard let engine = current as? EngineError, engine.code != .cancelled, engine.partial == nil else { return nil }
            current = engine.cause
        }
        return nil
    }
}
