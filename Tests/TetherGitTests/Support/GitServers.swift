import Foundation

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
/// bearer token or basic auth (or nothing).
final class HTTPGitServer: Sendable {
    enum Auth { case none, bearer(String), basic(String, String) }
    let port: Int
    let server: ServerProcess
    let directory: TemporaryDirectory

    init(basePath: String, auth: Auth) async throws {
        directory = TemporaryDirectory("lighttpd")
        port = freePort()
        let expected: String
        switch auth {
        case .none: expected = ""
        case .bearer(let token): expected = "Bearer \(token)"
        case .basic(let user, let password): expected = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        }
        let wrapper = directory.sub("git.cgi")
        try """
        #!/bin/sh
        if [ -n "$EXPECTED_AUTH" ] && [ "$HTTP_AUTHORIZATION" != "$EXPECTED_AUTH" ]; then
          printf 'Status: 401 Unauthorized\\r\\nWWW-Authenticate: Basic realm="git"\\r\\nContent-Type: text/plain\\r\\n\\r\\nunauthorized\\n'
          exit 0
        fi
        export GIT_PROJECT_ROOT='\(basePath)' GIT_HTTP_EXPORT_ALL=1
        exec /usr/lib/git-core/git-http-backend
        """.write(toFile: wrapper, atomically: true, encoding: .utf8)
        try shell(["chmod", "755", wrapper])
        let config = directory.sub("lighttpd.conf")
        try """
        server.modules = ("mod_cgi", "mod_alias", "mod_setenv")
        server.document-root = "\(directory.path)"
        server.bind = "127.0.0.1"
        server.port = \(port)
        server.errorlog = "\(directory.sub("error.log"))"
        alias.url = ("/git/" => "\(wrapper)/")
        cgi.assign = ("" => "")
        setenv.add-environment = ("EXPECTED_AUTH" => "\(expected)")
        """.write(toFile: config, atomically: true, encoding: .utf8)
        server = try ServerProcess(["/usr/sbin/lighttpd", "-D", "-f", config], log: directory.sub("stdout.log"))
        try await waitForPort(port)
    }

    func url(_ name: String = "repo.git") -> String { "http://127.0.0.1:\(port)/git/\(name)" }
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
