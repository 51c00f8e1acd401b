import Foundation
import Logging
import TetherModel

/// Runs a `client.authentication.k8s.io` credential plugin and caches its
/// `ExecCredential` until `status.expirationTimestamp` (or until `invalidate()`, called
/// after a 401).
actor ExecCredentialProvider {
    static let supportedVersions: Set<String> = [
        "client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1",
    ]

    private let config: KubeConfig.ExecConfig
    private let server: String
    private let certificateAuthority: [UInt8]?
    private let logger: Logger
    private var cached: (credential: Credential, expiry: Date?)?
    private var inFlight: Task<Result<(Credential, Date?), KubeError>, Never>?

    init(config: KubeConfig.ExecConfig, server: String, certificateAuthority: [UInt8]?, logger: Logger) {
        self.config = config
        self.server = server
        self.certificateAuthority = certificateAuthority
        self.logger = logger
    }

    func invalidate() {
        cached = nil
        inFlight = nil
    }

    func credential() async throws(KubeError) -> Credential {
        if let cached, cached.expiry.map({ $0.timeIntervalSinceNow > 10 }) ?? true {
            return cached.credential
        }
        // Concurrent requests share one plugin run instead of each starting their own.
        let run: Task<Result<(Credential, Date?), KubeError>, Never>
        if let inFlight {
            run = inFlight
        } else {
            run = Task { await self.runAndParse() }
            inFlight = run
        }
        let result = await run.value
        // Re-check after the await: only the first waiter clears the shared run.
        if inFlight == run { inFlight = nil }
        let (credential, expiry) = try result.get()
        cached = (credential, expiry)
        return credential
    }

    private func runAndParse() async -> Result<(Credential, Date?), KubeError> {
        do throws(KubeError) {
            let parsed = try parse(try await run())
            logger.debug("exec credential plugin ran", metadata: [
                "kube.exec.command": "\(config.command)",
                "kube.exec.expires": "\(parsed.1.map { "\($0)" } ?? "never")",
            ])
            return .success(parsed)
        } catch {
            return .failure(error)
        }
    }

    private func execInfo() -> String {
        var spec = OrderedMap()
        spec.append(key: "interactive", value: .bool(false))
        if config.provideClusterInfo {
            var cluster = OrderedMap()
            cluster.append(key: "server", value: .string(server))
            if let certificateAuthority {
                cluster.append(key: "certificate-authority-data", value: .string(Base64.encode(certificateAuthority)))
            }
            spec.append(key: "cluster", value: .map(cluster))
        }
        var root = OrderedMap()
        root.append(key: "apiVersion", value: .string(config.apiVersion))
        root.append(key: "kind", value: "ExecCredential")
        root.append(key: "spec", value: .map(spec))
        return (try? JSONEncoding().string(.map(root))) ?? "{}"
    }

    private func run() async throws(KubeError) -> [UInt8] {
        let process = Process()
        if config.command.contains("/") {
            process.executableURL = URL(fileURLWithPath: config.command)
            process.arguments = config.arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [config.command] + config.arguments
        }
        var environment = ProcessInfo.processInfo.environment
        for item in config.environment { environment[item.name] = item.value }
        environment["KUBERNETES_EXEC_INFO"] = execInfo()
        process.environment = environment
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = FileHandle.nullDevice
        // stderr stays the plugin's own: plugins print login prompts and hints there.
        do {
            try process.run()
        } catch {
            throw KubeError(.config, "exec credential plugin '\(config.command)' could not be started. Install it or fix user.exec.command.", cause: error)
        }
        let handle = stdout.fileHandleForReading
        let data = await runOnDedicatedThread(name: "tether-exec") { () -> Data in
            let data = handle.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }
        guard process.terminationStatus == 0 else {
            throw KubeError(.config, "exec credential plugin '\(config.command)' exited with status \(process.terminationStatus). Run it by hand to see why.")
        }
        return [UInt8](data)
    }

    private func parse(_ output: [UInt8]) throws(KubeError) -> (Credential, Date?) {
        let where_ = "exec credential plugin '\(config.command)'"
        // Never quote the output: it holds the credential.
        guard let value = try? JSONParsing().value(from: output), value["kind"]?.stringValue == "ExecCredential" else {
            throw KubeError(.config, "\(where_) did not print an ExecCredential as JSON. Check the plugin.")
        }
        let status = value["status"]
        var credential = Credential()
        if let token = status?["token"]?.stringValue, !token.isEmpty {
            credential.authorization = Redacted("Bearer " + token)
        }
        if let cert = status?["clientCertificateData"]?.stringValue, let key = status?["clientKeyData"]?.stringValue {
            credential.clientCertificate = Array(cert.utf8)
            credential.clientKey = Redacted(Array(key.utf8))
        }
        guard credential.authorization != nil || credential.clientCertificate != nil else {
            throw KubeError(.config, "\(where_) returned neither status.token nor clientCertificateData/clientKeyData. Check the plugin.")
        }
        var expiry: Date?
        if let text = status?["expirationTimestamp"]?.stringValue {
            guard let date = RFC3339.date(from: text) else {
                throw KubeError(.config, "\(where_): expirationTimestamp '\(text)' is not RFC 3339. Check the plugin.")
            }
            expiry = date
        }
        return (credential, expiry)
    }
}

/// RFC 3339 timestamps as Kubernetes writes them, with or without fractional seconds.
enum RFC3339 {
    static func date(from text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
