import Foundation
import TestSupport

/// `git daemon` exporting a base path on 127.0.0.1.
final class GitDaemon: Sendable {
    let port: Int
    let server: ServerProcess

    init(basePath: String) async throws {
        port = freePort()
        server = try ServerProcess(["/usr/lib/git-core/git-daemon", "--export-all", "--base-path=\(basePath)",
                                    "--port=\(port)", "--listen=127.0.0.1", "--reuseaddr", "--enable=receive-pack", basePath])
        try await waitForPort(port)
    }

    func url(_ name: String = "repo.git") -> String { "git://127.0.0.1:\(port)/\(name)" }
    func stop() { server.stop() }
}

/// Smart HTTP: lighttpd runs `git http-backend` through a CGI wrapper that enforces either a
/// bearer token or basic auth (or nothing), over plain HTTP or TLS, and logs every request
/// with the `Authorization` header it carried.
final class HTTPGitServer: Sendable {
    enum Auth { case none, bearer(String), basic(String, String) }
    let port: Int
    let host: String
    let tls: Bool
    let server: ServerProcess
    let directory: TemporaryDirectory

    /// - Parameters:
    ///   - host: the loopback address to bind (127.0.0.2 serves as "another host").
    ///   - identity: serve HTTPS with this certificate instead of plain HTTP.
    init(basePath: String, auth: Auth, host: String = "127.0.0.1", identity: TLSIdentity? = nil) async throws {
        directory = TemporaryDirectory("lighttpd")
        let expected: String
        switch auth {
        case .none: expected = ""
        case .bearer(let token): expected = "Bearer \(token)"
        case .basic(let user, let password): expected = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        }
        let script = """
            \(HTTPGitServer.logRequest(directory))
            if [ -n "$EXPECTED_AUTH" ] && [ "$HTTP_AUTHORIZATION" != "$EXPECTED_AUTH" ]; then
              \(HTTPGitServer.unauthorized)
              exit 0
            fi
            export GIT_PROJECT_ROOT='\(basePath)' GIT_HTTP_EXPORT_ALL=1
            exec /usr/lib/git-core/git-http-backend
            """
        (self.host, self.tls) = (host, identity != nil)
        (port, server) = try await HTTPGitServer.start(directory, host: host, script: script,
                                                        environment: ["EXPECTED_AUTH": expected], identity: identity)
    }

    func url(_ name: String = "repo.git") -> String { "\(tls ? "https" : "http")://\(host):\(port)/git/\(name)" }

    /// Every request so far, one line each: `METHOD URI auth=[<Authorization header>]`.
    func requests() -> [String] { HTTPGitServer.requests(directory) }

    /// Starts lighttpd on `host` with `script` as the CGI handler of `/git/`.
    static func start(_ directory: TemporaryDirectory, host: String, script: String, environment: [String: String],
                      identity: TLSIdentity?) async throws -> (Int, ServerProcess) {
        let port = freePort()
        let wrapper = directory.sub("git.cgi")
        try "#!/bin/sh\n\(script)\n".write(toFile: wrapper, atomically: true, encoding: .utf8)
        try shell(["chmod", "755", wrapper])
        let variables = environment.sorted { $0.key < $1.key }.map { "\"\($0.key)\" => \"\($0.value)\"" }.joined(separator: ", ")
        var config = """
            server.modules = ("mod_cgi", "mod_alias", "mod_setenv"\(identity == nil ? "" : ", \"mod_openssl\""))
            server.document-root = "\(directory.path)"
            server.bind = "\(host)"
            server.port = \(port)
            server.errorlog = "\(directory.sub("error.log"))"
            alias.url = ("/git/" => "\(wrapper)/")
            cgi.assign = ("" => "")
            setenv.add-environment = (\(variables))

            """
        if let identity {
            config += """
                ssl.engine = "enable"
                ssl.pemfile = "\(identity.certificate)"
                ssl.privkey = "\(identity.privateKey)"

                """
        }
        try config.write(toFile: directory.sub("lighttpd.conf"), atomically: true, encoding: .utf8)
        let server = try ServerProcess(["/usr/sbin/lighttpd", "-D", "-f", directory.sub("lighttpd.conf")], log: directory.sub("stdout.log"))
        try await waitForPort(port, host: host)
        return (port, server)
    }

    /// The shell line that answers `401 Unauthorized` with a basic-auth challenge.
    static let unauthorized = #"printf 'Status: 401 Unauthorized\r\nWWW-Authenticate: Basic realm="git"\r\nContent-Type: text/plain\r\n\r\nunauthorized\n'"#

    /// The shell line that appends the current CGI request to `requests.log`.
    static func logRequest(_ directory: TemporaryDirectory) -> String {
        "printf '%s %s auth=[%s]\\n' \"$REQUEST_METHOD\" \"$REQUEST_URI\" \"$HTTP_AUTHORIZATION\" >> '\(directory.sub("requests.log"))'"
    }

    static func requests(_ directory: TemporaryDirectory) -> [String] {
        let text = (try? String(contentsOfFile: directory.sub("requests.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }
}

/// An HTTP server that answers every `/git/` request with `302 Found` to the same path on
/// `target`, after demanding basic credentials first when `challenge` is set, and logs
/// every request like `HTTPGitServer`.
final class RedirectingServer: Sendable {
    let port: Int
    let server: ServerProcess
    let directory: TemporaryDirectory

    init(to target: String, challenge: Bool) async throws {
        directory = TemporaryDirectory("redirect")
        let script = """
            \(HTTPGitServer.logRequest(directory))
            if [ -n "$CHALLENGE" ] && [ -z "$HTTP_AUTHORIZATION" ]; then
              \(HTTPGitServer.unauthorized)
              exit 0
            fi
            printf 'Status: 302 Found\\r\\nLocation: %s%s\\r\\nContent-Type: text/plain\\r\\n\\r\\nmoved\\n' "$TARGET" "$REQUEST_URI"
            """
        (port, server) = try await HTTPGitServer.start(directory, host: "127.0.0.1", script: script,
                                                        environment: ["TARGET": target, "CHALLENGE": challenge ? "1" : ""], identity: nil)
    }

    func url(_ name: String = "repo.git") -> String { "http://127.0.0.1:\(port)/git/\(name)" }
    func requests() -> [String] { HTTPGitServer.requests(directory) }
}

/// A throwaway certificate authority and a server certificate for 127.0.0.1 and localhost,
/// made with the `openssl` CLI at test time.
struct TLSIdentity: Sendable {
    /// PEM certificate of the issuing CA (what a client is told to trust).
    let caCertificate: String
    /// PEM server certificate and its private key.
    let certificate: String
    let privateKey: String

    init(in directory: TemporaryDirectory, name: String) throws {
        let ca = directory.sub("\(name)-ca"), server = directory.sub("\(name)-server")
        try shell(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                   "-keyout", ca + ".key", "-out", ca + ".pem", "-days", "2", "-subj", "/CN=Tether test CA \(name)",
                   "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try shell(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                   "-keyout", server + ".key", "-out", server + ".csr", "-subj", "/CN=127.0.0.1"])
        try "subjectAltName=DNS:localhost,DNS:127.0.0.1,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(toFile: server + ".ext", atomically: true, encoding: .utf8)
        try shell(["openssl", "x509", "-req", "-in", server + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
                   "-CAcreateserial", "-out", server + ".pem", "-days", "2", "-extfile", server + ".ext"])
        caCertificate = ca + ".pem"
        certificate = server + ".pem"
        privateKey = server + ".key"
    }
}

/// A TCP listener that accepts connections and never sends a byte.
final class SilentServer: @unchecked Sendable {  // `fd` is written once in init; closed in stop
    let port: Int
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                _ = bind(fd, pointer, length)
                _ = getsockname(fd, pointer, &length)
            }
        }
        listen(fd, 16)  // the kernel completes handshakes; nobody ever reads or writes
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func stop() { close(fd) }
    deinit { close(fd) }
}

/// `sshd` on 127.0.0.1 with a generated host key, accepting one user key for the current user.
final class SSHServer: Sendable {
    let port: Int
    let server: ServerProcess
    let directory: TemporaryDirectory
    var userKey: String { directory.sub("user_key") }
    var hostPublicKey: String { directory.sub("host_key.pub") }
    let user: String

    init(port requested: Int? = nil) async throws {
        directory = TemporaryDirectory("sshd")
        port = requested ?? freePort()
        user = try shell(["id", "-un"])
        try shell(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory.sub("host_key")])
        try shell(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tether-test", "-f", directory.sub("user_key")])
        try FileManager.default.copyItem(atPath: directory.sub("user_key.pub"), toPath: directory.sub("authorized_keys"))
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        try """
        HostKey \(directory.sub("host_key"))
        ListenAddress 127.0.0.1
        AuthorizedKeysFile \(directory.sub("authorized_keys"))
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        UsePAM no
        StrictModes no
        PermitRootLogin prohibit-password
        PidFile \(directory.sub("sshd.pid"))
        """.write(toFile: directory.sub("sshd_config"), atomically: true, encoding: .utf8)
        server = try ServerProcess(["/usr/sbin/sshd", "-D", "-e", "-f", directory.sub("sshd_config"), "-p", "\(port)"],
                                   log: directory.sub("sshd.log"))
        try await waitForPort(port)
    }

    func url(_ path: String) -> String { "ssh://\(user)@127.0.0.1:\(port)\(path)" }

    /// A known_hosts file that trusts this server's host key.
    func knownHosts(in directory: TemporaryDirectory) throws -> String {
        let key = try String(contentsOfFile: hostPublicKey, encoding: .utf8).split(separator: " ")
        let name = port == 22 ? "127.0.0.1" : "[127.0.0.1]:\(port)"
        let file = directory.sub("known_hosts-\(port)")
        try "\(name) \(key[0]) \(key[1])\n".write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The OpenSSH fingerprint of the host key (`SHA256:...`).
    func hostFingerprint() throws -> String {
        try shell(["ssh-keygen", "-l", "-E", "sha256", "-f", hostPublicKey]).split(separator: " ")[1].description
    }
}
