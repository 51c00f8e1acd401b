import Foundation
import Logging
import TetherModel

/// What a request presents to authenticate: an `Authorization` header value and, from an
/// exec plugin, possibly a client certificate.
struct Credential: Sendable {
    var authorization: Redacted<String>?
    var clientCertificate: [UInt8]?
    var clientKey: Redacted<[UInt8]>?
}

/// Produces credentials for requests, caching what is expensive to obtain: exec plugin
/// output until its `expirationTimestamp`, token files until they change on disk.
/// `invalidate()` after a 401 forces the next call to re-read or re-exec.
actor CredentialSource {
    private let authentication: KubeConfig.Authentication
    private let exec: ExecCredentialProvider?
    private var tokenFileCache: (modified: Date?, size: Int, token: Redacted<String>)?

    init(config: KubeConfig, logger: Logger) {
        authentication = config.authentication
        if case .exec(let execConfig) = config.authentication {
            exec = ExecCredentialProvider(config: execConfig, server: config.server,
                                          certificateAuthority: config.tls.certificateAuthority, logger: logger)
        } else {
            exec = nil
        }
    }

    /// Whether a 401 may be cured by fetching the credential again.
    var isRefreshable: Bool {
        switch authentication {
        case .tokenFile, .exec: return true
        default: return false
        }
    }

    func current() async throws(KubeError) -> Credential {
        switch authentication {
        case .none:
            return Credential()
        case .token(let token):
            return Credential(authorization: Redacted("Bearer " + token.value))
        case .basic(let username, let password):
            let encoded = Base64.encode(Array((username + ":" + password.value).utf8))
            return Credential(authorization: Redacted("Basic " + encoded))
        case .tokenFile(let path):
            return Credential(authorization: Redacted("Bearer " + (try readTokenFile(path)).value))
        case .exec:
            guard let exec else { return Credential() }
            return try await exec.credential()
        case .oidc(let oidc):
            return Credential(authorization: Redacted("Bearer " + (try oidc.bearer()).value))
        }
    }

    /// Drops cached credentials after the server answered 401.
    func invalidate() async {
        tokenFileCache = nil
        await exec?.invalidate()
    }

    /// Re-reads the file whenever its modification time or size changes: kubelet rotates
    /// projected service-account tokens by replacing the file.
    private func readTokenFile(_ path: String) throws(KubeError) -> Redacted<String> {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let modified = attributes?[.modificationDate] as? Date
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
        if let cache = tokenFileCache, cache.modified == modified, cache.size == size, modified != nil {
            return cache.token
        }
        let bytes = try ConfigFiles.read(path, what: "token")
        let token = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw KubeError(.config, "token file '\(path)' is empty. Write a bearer token into it.")
        }
        tokenFileCache = (modified, size, Redacted(token))
        return Redacted(token)
    }
}
