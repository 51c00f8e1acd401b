import Foundation
import TetherModel

extension KubeConfig {
    /// Where to look for configuration, mirroring kubectl's flags and environment.
    package struct LoadOptions: Sendable {
        /// `--kubeconfig`: only this file is read, and it must exist.
        package var kubeconfigPath: String?
        /// `--context`: overrides `current-context`.
        package var context: String?
        /// `--namespace`: overrides the context's namespace.
        package var namespace: String?
        /// The process environment (`KUBECONFIG`, `HOME`, `KUBERNETES_SERVICE_HOST`, …).
        package var environment: [String: String]
        /// Where the in-cluster service-account files live.
        package var serviceAccountDirectory: String

        package init(kubeconfigPath: String? = nil, context: String? = nil, namespace: String? = nil,
                     environment: [String: String] = ProcessInfo.processInfo.environment,
                     serviceAccountDirectory: String = InClusterConfig.defaultDirectory) {
            self.kubeconfigPath = kubeconfigPath
            self.context = context
            self.namespace = namespace
            self.environment = environment
            self.serviceAccountDirectory = serviceAccountDirectory
        }
    }

    /// Loads configuration the way kubectl does: `--kubeconfig`, else every file in
    /// `KUBECONFIG` (merged, missing files skipped), else `~/.kube/config`, else the
    /// in-cluster service account when `KUBERNETES_SERVICE_HOST` is set.
    /// - Parameter options: flags and environment.
    /// - Returns: the resolved configuration for the chosen context.
    /// - Throws: `KubeError` with code `config` when no configuration is found, a file is
    ///   malformed, or the context, cluster or user it names does not exist.
    package static func load(_ options: LoadOptions = LoadOptions()) throws(KubeError) -> KubeConfig {
        let paths = candidatePaths(options)
        var files: [KubeConfigFile] = []
        for path in paths.paths {
            guard FileManager.default.fileExists(atPath: path) else {
                if paths.mustExist {
                    throw KubeError(.config, "kubeconfig '\(path)' does not exist. Check --kubeconfig.")
                }
                continue
            }
            let bytes = try ConfigFiles.read(path, what: "kubeconfig")
            files.append(try KubeConfigFile.parse(String(decoding: bytes, as: UTF8.self), path: path))
        }
        if files.isEmpty {
            if options.environment["KUBERNETES_SERVICE_HOST"]?.isEmpty == false {
                var config = try InClusterConfig.load(environment: options.environment,
                                                      directory: options.serviceAccountDirectory)
                if let namespace = options.namespace { config.namespace = namespace }
                return config
            }
            throw KubeError(.config, "no kubeconfig found (looked at \(paths.paths.joined(separator: ", "))) and not running in a cluster. Pass --kubeconfig or set KUBECONFIG.")
        }
        return try KubeConfigFile.merged(files).resolve(context: options.context, namespace: options.namespace)
    }

    /// The files to read, highest priority first.
    static func candidatePaths(_ options: LoadOptions) -> (paths: [String], mustExist: Bool) {
        if let explicit = options.kubeconfigPath, !explicit.isEmpty { return ([explicit], true) }
        if let list = options.environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            let paths = list.split(separator: ":").map(String.init).filter { !$0.isEmpty && seen.insert($0).inserted }
            return (paths, false)
        }
        let home = options.environment["HOME"] ?? NSHomeDirectory()
        return ([(home as NSString).appendingPathComponent(".kube/config")], false)
    }
}

extension KubeConfigFile {
    /// Chooses a context and builds the client configuration, reading referenced files.
    /// - Parameters:
    ///   - context: overrides `current-context`.
    ///   - namespace: overrides the context's namespace.
    /// - Throws: `KubeError` with code `config` when the context, its cluster or user is
    ///   missing, or a referenced file cannot be read.
    package func resolve(context: String? = nil, namespace: String? = nil) throws(KubeError) -> KubeConfig {
        let files = sources.joined(separator: ", ")
        guard let contextName = context ?? currentContext else {
            throw KubeError(.config, "\(files): no current-context is set. Pass --context or run kubectl config use-context.")
        }
        guard let entry = contexts[contextName] else {
            throw KubeError(.config, "\(files): context '\(contextName)' does not exist. Choose one of: \(contexts.keys.sorted().joined(separator: ", ")).")
        }
        guard let cluster = clusters[entry.cluster] else {
            throw KubeError(.config, "\(files): context '\(contextName)' refers to cluster '\(entry.cluster)', which does not exist. Add it or fix the context.")
        }
        let server = try ConfigFiles.validatedServer(cluster.server, where: "\(files): the server of cluster '\(entry.cluster)',")
        var tls = KubeConfig.TLSSettings(insecureSkipVerify: cluster.insecureSkipTLSVerify,
                                         serverName: cluster.tlsServerName)
        tls.certificateAuthority = cluster.certificateAuthorityData
        if tls.certificateAuthority == nil, let path = cluster.certificateAuthority {
            tls.certificateAuthority = try ConfigFiles.read(path, what: "certificate-authority")
        }
        var authentication = KubeConfig.Authentication.none
        if !entry.user.isEmpty {
            guard let user = users[entry.user] else {
                throw KubeError(.config, "\(files): context '\(contextName)' refers to user '\(entry.user)', which does not exist. Add it or fix the context.")
            }
            tls.clientCertificate = user.clientCertificateData
            if tls.clientCertificate == nil, let path = user.clientCertificate {
                tls.clientCertificate = try ConfigFiles.read(path, what: "client-certificate")
            }
            tls.clientKey = user.clientKeyData
            if tls.clientKey == nil, let path = user.clientKey {
                tls.clientKey = Redacted(try ConfigFiles.read(path, what: "client-key"))
            }
            if (tls.clientCertificate == nil) != (tls.clientKey == nil) {
                throw KubeError(.config, "\(files): user '\(entry.user)' has a client certificate without a key (or a key without a certificate). Set both.")
            }
            authentication = try user.authentication(name: entry.user, location: files)
        }
        return KubeConfig(server: server, tls: tls, authentication: authentication,
                          namespace: namespace ?? entry.namespace ?? "default",
                          proxyURL: cluster.proxyURL, contextName: contextName)
    }
}

extension KubeConfigFile.User {
    /// kubectl's precedence: token, then tokenFile, then exec, then basic auth. An
    /// `auth-provider` is refused with exec (as client-go does) and for the removed `gcp`
    /// and `azure` providers; an `oidc` id-token is used when no token or password is set
    /// (client-go's oidc transport also leaves an explicit `Authorization` alone).
    /// - Throws: `KubeError` with code `config` for an unusable `auth-provider`.
    func authentication(name: String, location: String) throws(KubeError) -> KubeConfig.Authentication {
        if let authProvider {
            if exec != nil {
                throw KubeError(.config, "\(location): user '\(name)' sets both exec and auth-provider. Keep only exec.")
            }
            let provided = try authProvider.authentication(user: name, location: location)
            if token == nil, tokenFile == nil, username == nil { return provided }
        }
        if let token { return .token(token) }
        if let tokenFile { return .tokenFile(tokenFile) }
        if let exec { return .exec(exec) }
        if let username { return .basic(username: username, password: password ?? Redacted("")) }
        return .none
    }
}
