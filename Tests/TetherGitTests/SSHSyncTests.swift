import Foundation
import TestSupport
import Logging
import Testing
@testable import TetherGit

@Suite("sync over SSH", .timeLimit(.minutes(1)), .enabled(if: GitLibrary.supportsSSH, "libgit2 built without libssh2"))
struct SSHSyncTests {
    @Test("clones with a private key and a strict known_hosts file")
    func keyAuth() async throws {
        let fixture = try FixtureRepository()
        let sshd = try await SSHServer()
        let files = TemporaryDirectory("ssh-client")
        let (cache, _) = makeCache()
        let options = GitSourceOptions(cacheDirectory: files.sub("cache"), timeouts: testTimeouts,
                                       auth: .sshKey(privateKeyFile: sshd.userKey), knownHostsFile: try sshd.knownHosts(in: files))
        let checkout = try await cache.sync(try GitSource(sshd.url(fixture.served)), options: options)
        #expect(checkout.revision?.sha == (try fixture.head()))
        try fixture.commit(files: ["app/config.yaml": "revision: 2\n"], message: "second")
        try fixture.push()
        let updated = try await cache.sync(try GitSource(sshd.url(fixture.served)), options: options)
        #expect(read(updated, "app/config.yaml") == "revision: 2\n")
    }

    @Test("a passphrase-protected key with the passphrase in a file")
    func passphrase() async throws {
        let fixture = try FixtureRepository()
        let sshd = try await SSHServer()
        let files = TemporaryDirectory("ssh-client")
        try shell(["ssh-keygen", "-q", "-p", "-P", "", "-N", "open-sesame", "-f", sshd.userKey])
        try "open-sesame\n".write(toFile: files.sub("passphrase"), atomically: true, encoding: .utf8)
        let (cache, log) = makeCache()
        let options = GitSourceOptions(cacheDirectory: files.sub("cache"), timeouts: testTimeouts,
                                       auth: .sshKey(privateKeyFile: sshd.userKey, passphrase: .file(files.sub("passphrase"))),
                                       knownHostsFile: try sshd.knownHosts(in: files))
        let checkout = try await cache.sync(try GitSource(sshd.url(fixture.served)), options: options)
        #expect(checkout.revision?.sha == (try fixture.head()))
        #expect(!log.allText.contains("open-sesame"))
    }

    @Test("a key the server does not accept is an authentication error")
    func wrongKey() async throws {
        let fixture = try FixtureRepository()
        let sshd = try await SSHServer()
        let files = TemporaryDirectory("ssh-client")
        try shell(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", files.sub("stranger")])
        let (cache, _) = makeCache()
        let options = GitSourceOptions(cacheDirectory: files.sub("cache"), timeouts: testTimeouts,
                                       auth: .sshKey(privateKeyFile: files.sub("stranger")), knownHostsFile: try sshd.knownHosts(in: files))
        let error = await #expect(throws: GitError.self) { try await cache.sync(try GitSource(sshd.url(fixture.served)), options: options) }
        #expect(error?.code == .authentication, "\(String(describing: error))")
    }

    @Test("an unknown host key is refused, showing its SHA256 fingerprint")
    func unknownHost() async throws {
        let fixture = try FixtureRepository()
        let sshd = try await SSHServer()
        let files = TemporaryDirectory("ssh-client")
        try "[127.0.0.1]:1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n".write(toFile: files.sub("known_hosts"), atomically: true, encoding: .utf8)
        let (cache, _) = makeCache()
        let options = GitSourceOptions(cacheDirectory: files.sub("cache"), timeouts: testTimeouts,
                                       auth: .sshKey(privateKeyFile: sshd.userKey), knownHostsFile: files.sub("known_hosts"))
        let error = await #expect(throws: GitError.self) { try await cache.sync(try GitSource(sshd.url(fixture.served)), options: options) }
        #expect(error?.code == .hostKey)
        #expect(error?.message.contains(try sshd.hostFingerprint()) == true, "\(String(describing: error))")
        #expect(error?.message.contains("not in known_hosts") == true)
    }

    @Test("a changed host key is refused")
    func changedHostKey() async throws {
        let fixture = try FixtureRepository()
        let sshd = try await SSHServer()
        let files = TemporaryDirectory("ssh-client")
        try shell(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", files.sub("impostor")])
        let impostor = try String(contentsOfFile: files.sub("impostor.pub"), encoding: .utf8).split(separator: " ")
        try "[127.0.0.1]:\(sshd.port) \(impostor[0]) \(impostor[1])\n".write(toFile: files.sub("known_hosts"), atomically: true, encoding: .utf8)
        let (cache, _) = makeCache()
        let options = GitSourceOptions(cacheDirectory: files.sub("cache"), timeouts: testTimeouts,
                                       auth: .sshKey(privateKeyFile: sshd.userKey), knownHostsFile: files.sub("known_hosts"))
        let error = await #expect(throws: GitError.self) { try await cache.sync(try GitSource(sshd.url(fixture.served)), options: options) }
        #expect(error?.code == .hostKey)
        #expect(error?.message.contains("CHANGED") == true)
        #expect(error?.message.contains(try sshd.hostFingerprint()) == true)
    }

    @Test("insecureSkipHostKeyCheck connects and logs a warning")
    func insecureSkip() async throws {
        let fixture = try FixtureRepository()
        let sshd = try await SSHServer()
        let files = TemporaryDirectory("ssh-client")
        let (cache, log) = makeCache()
        let options = GitSourceOptions(cacheDirectory: files.sub("cache"), timeouts: testTimeouts,
                                       auth: .sshKey(privateKeyFile: sshd.userKey), insecureSkipHostKeyCheck: true)
        _ = try await cache.sync(try GitSource(sshd.url(fixture.served)), options: options)
        #expect(log.records.contains { $0.level == .warning && $0.message.contains("DISABLED") })
    }

    @Test("SSH without a known_hosts file is refused before connecting")
    func knownHostsRequired() async throws {
        let (cache, _) = makeCache()
        let error = await #expect(throws: GitError.self) {
            try await cache.sync(try GitSource("git@127.0.0.1:repo.git"), options: GitSourceOptions(auth: .sshKey(privateKeyFile: "/dev/null")))
        }
        #expect(error?.code == .hostKey)
    }

    @Test("an SSH server that stops answering after the handshake times out")
    func sshdStopped() async throws {
        let fixture = try FixtureRepository()
        let sshd = try await SSHServer()
        let files = TemporaryDirectory("ssh-client")
        let (cache, _) = makeCache()
        // SIGSTOP freezes sshd: the kernel still accepts the TCP connection, nobody answers.
        kill(sshd.server.pid, SIGSTOP)
        defer { kill(sshd.server.pid, SIGCONT) }
        let timeouts = GitTimeouts(connect: .seconds(2), idle: .seconds(1), total: .seconds(4))
        let options = GitSourceOptions(cacheDirectory: files.sub("cache"), timeouts: timeouts,
                                       auth: .sshKey(privateKeyFile: sshd.userKey), knownHostsFile: try sshd.knownHosts(in: files))
        let started = ContinuousClock.now
        let error = await #expect(throws: GitError.self) { try await cache.sync(try GitSource(sshd.url(fixture.served)), options: options) }
        #expect(error?.code == .timeout, "\(String(describing: error))")
        #expect(ContinuousClock.now - started < timeouts.total + .seconds(3))
    }
}
