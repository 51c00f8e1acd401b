import TetherModel

/// Everything the client needs to reach one API server: the result of loading a
/// kubeconfig, the in-cluster service account, or `server(url:tokenFile:certificateAuthority:)`.
package struct KubeConfig: Sendable {
    /// The API server base URL, e.g. `https://127.0.0.1:6443`, without userinfo.
    package var server: String
    /// TLS settings for `server`.
    package var tls: TLSSettings
    /// How the client proves who it is.
    package var authentication: Authentication
    /// The namespace requests use when the caller gives none.
    package var namespace: String
    /// An HTTP(S) or SOCKS proxy for every request, from the cluster's `proxy-url`.
    package var proxyURL: String?
    /// The kubeconfig context this came from, if any (`nil` for in-cluster).
    package var contextName: String?

    package init(server: String, tls: TLSSettings = TLSSettings(), authentication: Authentication = .none,
                 namespace: String = "default", proxyURL: String? = nil, contextName: String? = nil) {
        self.server = server
        self.tls = tls
        self.authentication = authentication
        self.namespace = namespace
        self.proxyURL = proxyURL
        self.contextName = contextName
    }

    /// TLS settings for a cluster.
    package struct TLSSettings: Sendable, Equatable {
        /// PEM bundle of trusted CAs; `nil` uses the system store.
        package var certificateAuthority: [UInt8]?
        /// Skips server verification. Never the default.
        package var insecureSkipVerify: Bool
        /// The name to verify the server certificate against (and send as SNI) instead of the URL's host.
        package var serverName: String?
        /// PEM client certificate for mutual TLS.
        package var clientCertificate: [UInt8]?
        /// PEM private key of `clientCertificate`.
        package var clientKey: Redacted<[UInt8]>?

        package init(certificateAuthority: [UInt8]? = nil, insecureSkipVerify: Bool = false,
                     serverName: String? = nil, clientCertificate: [UInt8]? = nil,
                     clientKey: Redacted<[UInt8]>? = nil) {
            self.certificateAuthority = certificateAuthority
            self.insecureSkipVerify = insecureSkipVerify
            self.serverName = serverName
            self.clientCertificate = clientCertificate
            self.clientKey = clientKey
        }
    }

    /// How requests are authenticated (client certificates live in `TLSSettings`).
    package enum Authentication: Sendable, Equatable {
        case none
        /// A static bearer token.
        case token(Redacted<String>)
        /// A bearer token read from a file, re-read when the file changes (projected
        /// service-account tokens rotate).
        case tokenFile(String)
        /// HTTP basic authentication.
        case basic(username: String, password: Redacted<String>)
        /// A `client.authentication.k8s.io` credential plugin.
        case exec(ExecConfig)
        /// The `id-token` of a legacy `auth-provider: oidc` user, used until it expires.
        case oidc(OIDCToken)
    }

    /// A kubeconfig `user.exec` stanza.
    package struct ExecConfig: Sendable, Equatable {
        package var command: String
        package var arguments: [String]
        /// Extra environment variables, in file order.
        package var environment: [(name: String, value: String)]
        /// `client.authentication.k8s.io/v1` or `v1beta1`.
        package var apiVersion: String
        /// Whether the plugin wants the cluster in `KUBERNETES_EXEC_INFO`.
        package var provideClusterInfo: Bool

        package init(command: String, arguments: [String] = [], environment: [(name: String, value: String)] = [],
                     apiVersion: String = "client.authentication.k8s.io/v1", provideClusterInfo: Bool = false) {
            self.command = command
            self.arguments = arguments
            self.environment = environment
            self.apiVersion = apiVersion
            self.provideClusterInfo = provideClusterInfo
        }

        package static func == (a: ExecConfig, b: ExecConfig) -> Bool {
            a.command == b.command && a.arguments == b.arguments && a.apiVersion == b.apiVersion
                && a.provideClusterInfo == b.provideClusterInfo
                && a.environment.map(\.name) == b.environment.map(\.name)
                && a.environment.map(\.value) == b.environment.map(\.value)
        }
    }

    /// A configuration for one server without any kubeconfig file.
    /// - Parameters:
    ///   - url: the API server base URL.
    ///   - tokenFile: a bearer-token file, re-read when it changes.
    ///   - certificateAuthority: a PEM CA bundle file; `nil` uses the system store.
    ///   - location: how the URL was given, for the error when it is not one (`--server`).
    /// - Returns: the configuration, namespace `default`.
    /// - Throws: `KubeError` with code `config` when the URL is not an http(s) URL or the CA
    ///   file cannot be read.
    package static func server(url: String, tokenFile: String? = nil,
                               certificateAuthority: String? = nil, location: String = "server") throws(KubeError) -> KubeConfig {
        var tls = TLSSettings()
        if let certificateAuthority {
            tls.certificateAuthority = try ConfigFiles.read(certificateAuthority, what: "certificate-authority")
        }
        return KubeConfig(server: try ConfigFiles.validatedServer(url, where: location), tls: tls,
                          authentication: tokenFile.map { .tokenFile($0) } ?? .none)
    }
}
