package import Foundation
import TetherModel

/// A kubeconfig `user.auth-provider` stanza: the in-tree credential providers that
/// client-go had before exec plugins (`gcp`, `azure`, `oidc`).
///
/// kubectl v1.26 removed `gcp` and `azure`; it refuses them with a pointer to the exec
/// plugin that replaced each, and so does Tether. `oidc` is still in kubectl: Tether sends
/// its `id-token` while it is valid but never refreshes it, because kubectl writes a
/// refreshed token (and a rotated refresh token) back into the kubeconfig, and a client
/// that refreshed without writing back would leave that file holding a spent refresh token.
package struct AuthProvider: Sendable, Equatable {
    /// `gcp`, `azure`, `oidc`, or anything else a kubeconfig names.
    package var name: String
    /// `auth-provider.config`; values hold secrets (`id-token`, `refresh-token`,
    /// `client-secret`), so every one is redacted.
    package var config: [String: Redacted<String>]

    package init(name: String, config: [String: Redacted<String>] = [:]) {
        self.name = name
        self.config = config
    }

    /// How requests authenticate for `user`, or why they cannot.
    /// - Parameters:
    ///   - user: the kubeconfig user's name, for messages.
    ///   - location: the kubeconfig file(s), for messages.
    /// - Returns: `.oidc` for the `oidc` provider.
    /// - Throws: `KubeError` with code `config` for `gcp`, `azure` and unknown providers,
    ///   naming the user and the exec plugin to use instead.
    func authentication(user: String, location: String) throws(KubeError) -> KubeConfig.Authentication {
        let prefix = "\(location): user '\(user)'"
        switch name {
        case "gcp":
            throw KubeError(.config, "\(prefix) uses the gcp auth-provider, which kubectl removed in v1.26 and Tether does not support. Install the gke-gcloud-auth-plugin exec plugin and run 'gcloud container clusters get-credentials CLUSTER' to rewrite the user (https://cloud.google.com/blog/products/containers-kubernetes/kubectl-auth-changes-in-gke).")
        case "azure":
            throw KubeError(.config, "\(prefix) uses the azure auth-provider, which kubectl removed in v1.26 and Tether does not support. Install the kubelogin exec plugin and run 'kubelogin convert-kubeconfig' to rewrite the user (https://azure.github.io/kubelogin/).")
        case "oidc":
            let token = config["id-token"].flatMap { $0.value.isEmpty ? nil : $0 }
            return .oidc(OIDCToken(user: user, location: location, idToken: token,
                                   expiry: token.flatMap { Self.jwtExpiry($0.value) },
                                   refreshable: config["refresh-token"]?.value.isEmpty == false
                                       && config["idp-issuer-url"]?.value.isEmpty == false))
        default:
            throw KubeError(.config, "\(prefix) uses the auth-provider '\(name)', which Tether does not support. Configure an exec credential plugin (user.exec) instead.")
        }
    }

    /// The `exp` claim of a JWT, or `nil` when the token is not a JWT or has none. The
    /// signature is not checked: the API server does that, this only avoids sending a
    /// token that is known to be stale.
    static func jwtExpiry(_ token: String) -> Date? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        guard let bytes = Base64.decode(payload), let claims = try? JSONParsing().value(from: bytes),
              let exp = claims["exp"] else { return nil }
        if let seconds = exp.intValue { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
        if let seconds = exp.scalarText.flatMap(Double.init) { return Date(timeIntervalSince1970: seconds) }
        return nil
    }
}

/// The `id-token` of an `oidc` auth-provider user, checked for expiry before each use.
package struct OIDCToken: Sendable, Equatable {
    /// The kubeconfig user's name, for messages.
    package var user: String
    /// The kubeconfig file(s), for messages.
    package var location: String
    package var idToken: Redacted<String>?
    /// The token's `exp` claim.
    package var expiry: Date?
    /// Whether kubectl could refresh it (`refresh-token` and `idp-issuer-url` are set).
    package var refreshable: Bool

    /// The bearer token to send.
    /// - Parameter now: the current time.
    /// - Throws: `KubeError` with code `config` when there is no token or it has expired.
    func bearer(now: Date = Date()) throws(KubeError) -> Redacted<String> {
        let prefix = "\(location): user '\(user)' (auth-provider oidc)"
        let remedy = refreshable
            ? "Run any kubectl command with this context once so that kubectl refreshes the id-token in the kubeconfig, or switch the user to the kubelogin exec plugin (kubectl oidc-login get-token)."
            : "Switch the user to the kubelogin exec plugin (kubectl oidc-login get-token), which refreshes tokens itself."
        guard let idToken else {
            throw KubeError(.config, "\(prefix) has no id-token, and Tether does not run the OIDC login flow. " + remedy)
        }
        if let expiry, expiry <= now {
            throw KubeError(.config, "\(prefix): the id-token expired at \(ISO8601DateFormatter().string(from: expiry)), and Tether does not refresh auth-provider tokens. " + remedy)
        }
        return idToken
    }
}
