import Foundation
import TetherModel

/// Configuration from inside a pod: the service-account token, CA and namespace files and
/// the `KUBERNETES_SERVICE_HOST`/`PORT` variables.
package enum InClusterConfig {
    /// Where Kubernetes mounts the service account.
    package static let defaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Builds the in-cluster configuration. The token is used as a `tokenFile`, so a
    /// rotated (projected) token is picked up without a restart.
    /// - Parameters:
    ///   - environment: must hold `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT`.
    ///   - directory: the service-account directory (overridable for tests).
    /// - Throws: `KubeError` with code `config` when a variable or file is missing.
    package static func load(environment: [String: String] = ProcessInfo.processInfo.environment,
                             directory: String = defaultDirectory) throws(KubeError) -> KubeConfig {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else {
            throw KubeError(.config, "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set. Use a kubeconfig instead.")
        }
        let tokenPath = (directory as NSString).appendingPathComponent("token")
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw KubeError(.config, "in-cluster token '\(tokenPath)' is not readable. Mount the service-account token (automountServiceAccountToken).")
        }
        let ca = try ConfigFiles.read((directory as NSString).appendingPathComponent("ca.crt"), what: "in-cluster ca.crt")
        let namespacePath = (directory as NSString).appendingPathComponent("namespace")
        let namespace = FileManager.default.contents(atPath: namespacePath)
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        // An IPv6 service host needs brackets in a URL.
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return KubeConfig(server: "https://\(hostPart):\(port)",
                          tls: KubeConfig.TLSSettings(certificateAuthority: ca),
                          authentication: .tokenFile(tokenPath), namespace: namespace)
    }
}
