import Foundation
import TetherModel

/// One kubeconfig file (or several merged), before a context is chosen.
///
/// Paths inside the file (`certificate-authority`, `client-certificate`, `client-key`,
/// `tokenFile`, a relative exec `command`) are resolved against the file's directory when
/// it is parsed, as kubectl does, so merged files keep pointing at the right place.
package struct KubeConfigFile: Sendable {
    package struct Cluster: Sendable, Equatable {
        package var server = ""
        package var certificateAuthority: String?
        package var certificateAuthorityData: [UInt8]?
        package var insecureSkipTLSVerify = false
        package var tlsServerName: String?
        package var proxyURL: String?
        package init() {}
    }

    package struct User: Sendable, Equatable {
        package var clientCertificate: String?
        package var clientCertificateData: [UInt8]?
        package var clientKey: String?
        package var clientKeyData: Redacted<[UInt8]>?
        package var token: Redacted<String>?
        package var tokenFile: String?
        package var username: String?
        package var password: Redacted<String>?
        package var exec: KubeConfig.ExecConfig?
        /// The legacy `auth-provider` stanza (`gcp`, `azure`, `oidc`).
        package var authProvider: AuthProvider?
        package init() {}
    }

    package struct Context: Sendable, Equatable {
        package var cluster = ""
        package var user = ""
        package var namespace: String?
        package init() {}
    }

    package var clusters: [String: Cluster] = [:]
    package var users: [String: User] = [:]
    package var contexts: [String: Context] = [:]
    package var currentContext: String?
    /// The files this was read from, for messages.
    package var sources: [String] = []

    package init() {}

    /// Parses kubeconfig YAML.
    /// - Parameters:
    ///   - text: the file contents.
    ///   - path: the file's path, for messages and for resolving relative paths.
    /// - Throws: `KubeError` with code `config` for YAML errors or malformed entries. The
    ///   message never quotes credential values.
    package static func parse(_ text: String, path: String) throws(KubeError) -> KubeConfigFile {
        let documents: [YAMLDocument]
        do {
            documents = try YAMLDecoder().decode(text, file: path)
        } catch {
            throw KubeError(.config, "\(path): not a valid kubeconfig. Fix the YAML.", cause: error)
        }
        var file = KubeConfigFile()
        file.sources = [path]
        guard let root = documents.first?.value, !root.isNull else { return file }
        guard root.mapValue != nil else {
            throw KubeError(.config, "\(path): a kubeconfig must be a mapping. Fix the file.")
        }
        let directory = (path as NSString).deletingLastPathComponent
        let reader = EntryReader(path: path, directory: directory)
        file.currentContext = root["current-context"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        for (name, body) in try reader.named(root["clusters"], section: "clusters", field: "cluster") {
            file.clusters[name] = try reader.cluster(body, name: name)
        }
        for (name, body) in try reader.named(root["users"], section: "users", field: "user") {
            file.users[name] = try reader.user(body, name: name)
        }
        for (name, body) in try reader.named(root["contexts"], section: "contexts", field: "context") {
            var context = Context()
            context.cluster = body["cluster"]?.stringValue ?? ""
            context.user = body["user"]?.stringValue ?? ""
            context.namespace = body["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            file.contexts[name] = context
        }
        return file
    }

    /// Merges files in `KUBECONFIG` order, as kubectl does: the first file that defines a
    /// cluster, user or context name wins (entries are never merged field by field), and
    /// `current-context` comes from the first file that sets it.
    /// - Parameter files: the parsed files, highest priority first.
    /// - Returns: the merged view.
    package static func merged(_ files: [KubeConfigFile]) -> KubeConfigFile {
        var result = KubeConfigFile()
        for file in files {
            result.sources += file.sources
            if result.currentContext == nil { result.currentContext = file.currentContext }
            result.clusters.merge(file.clusters) { first, _ in first }
            result.users.merge(file.users) { first, _ in first }
            result.contexts.merge(file.contexts) { first, _ in first }
        }
        return result
    }
}

/// Reads the named-list sections of a kubeconfig, with the file path in every error.
private struct EntryReader {
    let path: String
    let directory: String

    func named(_ list: Value?, section: String, field: String) throws(KubeError) -> [(String, Value)] {
        guard let list, !list.isNull else { return [] }
        guard let items = list.listValue else {
            throw KubeError(.config, "\(path): '\(section)' must be a list. Fix the file.")
        }
        var result: [(String, Value)] = []
        for (index, item) in items.enumerated() {
            guard let name = item["name"]?.stringValue, !name.isEmpty else {
                throw KubeError(.config, "\(path): \(section)[\(index)] has no name. Add one.")
            }
            let body = item[field] ?? .map(OrderedMap())
            guard body.mapValue != nil || body.isNull else {
                throw KubeError(.config, "\(path): \(section)[\(index)] '\(name)': '\(field)' must be a mapping. Fix the file.")
            }
            result.append((name, body.isNull ? .map(OrderedMap()) : body))
        }
        return result
    }

    func path(_ value: Value?) -> String? {
        guard let text = value?.stringValue, !text.isEmpty else { return nil }
        return ConfigFiles.resolve(text, relativeTo: directory)
    }

    func base64(_ value: Value?, field: String, entry: String) throws(KubeError) -> [UInt8]? {
        guard let text = value?.stringValue, !text.isEmpty else { return nil }
        let compact = text.filter { !$0.isWhitespace }
        guard let bytes = Base64.decode(compact) else {
            throw KubeError(.config, "\(path): '\(entry)': \(field) is not valid base64. Re-encode it with base64 -w0.")
        }
        return bytes
    }

    func cluster(_ body: Value, name: String) throws(KubeError) -> KubeConfigFile.Cluster {
        var cluster = KubeConfigFile.Cluster()
        cluster.server = body["server"]?.stringValue ?? ""
        cluster.certificateAuthority = path(body["certificate-authority"])
        cluster.certificateAuthorityData = try base64(body["certificate-authority-data"],
                                                      field: "certificate-authority-data", entry: name)
        cluster.insecureSkipTLSVerify = body["insecure-skip-tls-verify"]?.boolValue ?? false
        cluster.tlsServerName = body["tls-server-name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        cluster.proxyURL = body["proxy-url"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        return cluster
    }

    func user(_ body: Value, name: String) throws(KubeError) -> KubeConfigFile.User {
        var user = KubeConfigFile.User()
        user.clientCertificate = path(body["client-certificate"])
        user.clientCertificateData = try base64(body["client-certificate-data"], field: "client-certificate-data", entry: name)
        user.clientKey = path(body["client-key"])
        user.clientKeyData = try base64(body["client-key-data"], field: "client-key-data", entry: name).map { Redacted($0) }
        user.token = body["token"]?.stringValue.flatMap { $0.isEmpty ? nil : Redacted($0) }
        user.tokenFile = path(body["tokenFile"])
        user.username = body["username"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        user.password = body["password"]?.stringValue.map { Redacted($0) }
        if let exec = body["exec"], !exec.isNull {
            user.exec = try execConfig(exec, name: name)
        }
        if let provider = body["auth-provider"], !provider.isNull {
            guard let providerName = provider["name"]?.stringValue, !providerName.isEmpty else {
                throw KubeError(.config, "\(path): user '\(name)': auth-provider has no name. Remove the stanza or use an exec plugin.")
            }
            var config: [String: Redacted<String>] = [:]
            for entry in provider["config"]?.mapValue ?? OrderedMap() {
                config[entry.key] = Redacted(entry.value.scalarText ?? "")
            }
            user.authProvider = AuthProvider(name: providerName, config: config)
        }
        return user
    }

    func execConfig(_ exec: Value, name: String) throws(KubeError) -> KubeConfig.ExecConfig {
        guard var command = exec["command"]?.stringValue, !command.isEmpty else {
            throw KubeError(.config, "\(path): user '\(name)': exec has no command. Add exec.command.")
        }
        // kubectl resolves a command containing a path separator against the file's directory;
        // a bare name is looked up on PATH.
        if command.contains("/") { command = ConfigFiles.resolve(command, relativeTo: directory) }
        let apiVersion = exec["apiVersion"]?.stringValue ?? ""
        guard ExecCredentialProvider.supportedVersions.contains(apiVersion) else {
            throw KubeError(.config, "\(path): user '\(name)': exec apiVersion '\(apiVersion)' is not supported. Use client.authentication.k8s.io/v1 or v1beta1.")
        }
        var environment: [(name: String, value: String)] = []
        for item in exec["env"]?.listValue ?? [] {
            guard let key = item["name"]?.stringValue else { continue }
            environment.append((key, item["value"]?.scalarText ?? ""))
        }
        return KubeConfig.ExecConfig(
            command: command, arguments: (exec["args"]?.listValue ?? []).compactMap(\.scalarText),
            environment: environment, apiVersion: apiVersion,
            provideClusterInfo: exec["provideClusterInfo"]?.boolValue ?? false)
    }
}
