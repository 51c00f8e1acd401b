import Hummingbird
import NIOCore
import NIOSSL

/// Decides who a request comes from: the subject of a client certificate
/// the TLS handshake verified against the emulator's CA, else a bearer token
/// from the token file. With neither `--tls` nor `--token-file` every
/// request is `system:anonymous`.
struct Authenticator: Sendable {
    /// Whether requests without credentials are refused with 401.
    let required: Bool
    let tokens: TokenFile?
    let tls: Bool

    static let open = Authenticator(required: false, tokens: nil, tls: false)

    /// - Returns: the user, or `nil` when the request must be refused.
    func user(for request: Request, channel: any Channel) async -> UserInfo? {
        guard required else { return .anonymous }
        if tls, let user = await Self.certificateUser(channel) { return user }
        if let header = request.headers[.authorization], header.hasPrefix("Bearer "),
           let user = tokens?.users[String(header.dropFirst("Bearer ".count)).trimmed] {
            return user
        }
        return nil
    }

    /// The verified client certificate's subject, read on the channel's event loop.
    private static func certificateUser(_ channel: any Channel) async -> UserInfo? {
        let der = try? await channel.eventLoop.submit { () throws -> [UInt8]? in
            // Over HTTP/2 the request arrives on a stream channel; TLS is on its parent, the connection.
            let connection = (try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)) != nil
                ? channel : channel.parent ?? channel
            return try connection.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate?.toDERBytes()
        }.get()
        guard let certificate = der ?? nil else { return nil }
        return CertificateSubject.user(fromDER: certificate)
    }

    /// The API server's answer to a request without valid credentials.
    static let unauthorized = EmulatorError(.unauthorized, "Unauthorized")
}
