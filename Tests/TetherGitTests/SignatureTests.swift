import Foundation
import Testing
@testable import TetherGit

@Suite("SSH commit signatures")
struct SignatureTests {
    /// A fixture whose next commit is signed with `key`, plus an allowed-signers file trusting `trusted`.
    private func signedFixture(files: TemporaryDirectory, sign: Bool, trustSigner: Bool) throws -> FixtureRepository {
        try shell(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", files.sub("signer")])
        try shell(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", files.sub("other")])
        let trusted = try String(contentsOfFile: files.sub(trustSigner ? "signer.pub" : "other.pub"), encoding: .utf8).split(separator: " ")
        try "committer@example.com namespaces=\"git\" \(trusted[0]) \(trusted[1])\n".write(toFile: files.sub("allowed_signers"), atomically: true, encoding: .utf8)
        let fixture = try FixtureRepository()
        try shell(["git", "-C", fixture.work, "config", "gpg.format", "ssh"])
        try shell(["git", "-C", fixture.work, "config", "user.signingkey", files.sub("signer")])
        try "signed: true\n".write(toFile: fixture.work + "/signed.yaml", atomically: true, encoding: .utf8)
        try shell(["git", "-C", fixture.work, "add", "-A"])
        try shell(["git", "-C", fixture.work, "commit", "-q"] + (sign ? ["-S"] : []) + ["-m", "maybe signed"])
        try fixture.push()
        return fixture
    }

    private func sync(_ fixture: FixtureRepository, _ files: TemporaryDirectory) async throws -> GitCheckout {
        let (cache, _) = makeCache()
        let options = GitSourceOptions(cacheDirectory: files.sub("cache"),
                                       signaturePolicy: GitSignaturePolicy(allowedSignersFile: files.sub("allowed_signers")))
        return try await cache.sync(try GitSource("file://" + fixture.served), options: options)
    }

    @Test("a commit signed by an allowed signer is accepted")
    func trusted() async throws {
        let files = TemporaryDirectory("sig")
        let fixture = try signedFixture(files: files, sign: true, trustSigner: true)
        let checkout = try await sync(fixture, files)
        #expect(read(checkout, "signed.yaml") == "signed: true\n")
    }

    @Test("an unsigned commit is refused")
    func unsigned() async throws {
        let files = TemporaryDirectory("sig")
        let fixture = try signedFixture(files: files, sign: false, trustSigner: true)
        let error = await #expect(throws: GitError.self) { try await sync(fixture, files) }
        #expect(error?.code == .signature)
        #expect(error?.message.contains("not signed") == true)
    }

    @Test("a commit signed by an unknown key is refused")
    func untrusted() async throws {
        let files = TemporaryDirectory("sig")
        let fixture = try signedFixture(files: files, sign: true, trustSigner: false)
        let error = await #expect(throws: GitError.self) { try await sync(fixture, files) }
        #expect(error?.code == .signature)
    }
}

/// A GnuPG home with one signing key, made with the `gpg` CLI (test fixtures only; the
/// product code runs only `gpgv`). Its agent is stopped when the value is released.
final class GnuPGHome: Sendable {
    let directory: TemporaryDirectory
    let fingerprint: String
    var path: String { directory.sub("gnupg") }
    var environment: [String: String] { ["GNUPGHOME": path] }

    init(_ uid: String) throws {
        directory = TemporaryDirectory("gpg")
        try FileManager.default.createDirectory(atPath: directory.sub("gnupg"), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let env = ["GNUPGHOME": directory.sub("gnupg")]
        try shell(["gpg", "--batch", "--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "never"], environment: env)
        let listing = try shell(["gpg", "--batch", "--with-colons", "--list-keys"], environment: env)
        guard let line = listing.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("fpr:") }),
              let field = line.split(separator: ":", omittingEmptySubsequences: false).dropFirst(9).first else {
            throw ShellError(command: "gpg --list-keys", output: listing)
        }
        fingerprint = String(field)
    }

    /// Writes this key's public keyring to `file`, binary or ASCII-armored.
    func export(to file: String, armor: Bool) throws {
        try shell(["gpg", "--batch", "--export"] + (armor ? ["--armor"] : []) + ["--output", file, fingerprint], environment: environment)
    }

    deinit { _ = try? shell(["gpgconf", "--kill", "gpg-agent"], environment: environment) }
}

@Suite("OpenPGP commit signatures (gpgv and a keyring, over git://)", .timeLimit(.minutes(1)),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gpgv") && FileManager.default.isExecutableFile(atPath: "/usr/bin/gpg"),
                "needs gpg and gpgv (Debian packages gnupg and gpgv)"))
struct OpenPGPSignatureTests {
    /// A repository whose head commit is signed by `signer` (or unsigned), served by `git daemon`.
    private func served(signedBy signer: GnuPGHome?) async throws -> ServedRepository {
        let fixture = try FixtureRepository()
        try "signed: true\n".write(toFile: fixture.work + "/signed.yaml", atomically: true, encoding: .utf8)
        try shell(["git", "-C", fixture.work, "add", "-A"])
        if let signer {
            try shell(["git", "-C", fixture.work, "-c", "gpg.format=openpgp", "-c", "user.signingkey=\(signer.fingerprint)",
                       "commit", "-q", "-S", "-m", "signed with OpenPGP"], environment: signer.environment)
        } else {
            try shell(["git", "-C", fixture.work, "commit", "-q", "-m", "not signed"])
        }
        try fixture.push()
        return try await ServedRepository(fixture)
    }

    private func sync(_ served: ServedRepository, _ policy: GitSignaturePolicy) async throws(GitError) -> GitCheckout {
        var options = served.options()
        options.signaturePolicy = policy
        return try await served.cache.sync(served.source, options: options)
    }

    @Test("a commit signed by a key of the keyring is accepted, the keyring binary or ASCII-armored", arguments: [false, true])
    func trusted(armored: Bool) async throws {
        let signer = try GnuPGHome("Signer <signer@example.com>")
        let served = try await served(signedBy: signer)
        let keyring = served.cacheDirectory.path + (armored ? "-keyring.asc" : "-keyring.gpg")
        defer { try? FileManager.default.removeItem(atPath: keyring) }
        try signer.export(to: keyring, armor: armored)
        let checkout = try await sync(served, GitSignaturePolicy(keyringFile: keyring))
        #expect(read(checkout, "signed.yaml") == "signed: true\n")
        #expect(checkout.revision?.subject == "signed with OpenPGP")
    }

    @Test("a commit signed by a key not in the keyring is refused, naming the key and --verify-keyring")
    func untrusted() async throws {
        let signer = try GnuPGHome("Signer <signer@example.com>")
        let other = try GnuPGHome("Other <other@example.com>")
        let served = try await served(signedBy: signer)
        let keyring = served.cacheDirectory.path + "-other.gpg"
        defer { try? FileManager.default.removeItem(atPath: keyring) }
        try other.export(to: keyring, armor: false)
        let error = await #expect(throws: GitError.self) { try await sync(served, GitSignaturePolicy(keyringFile: keyring)) }
        #expect(error?.code == .signature)
        #expect(error?.message.contains(signer.fingerprint) == true, "\(String(describing: error))")
        #expect(error?.message.contains("--verify-keyring") == true)
    }

    @Test("an unsigned commit is refused when a keyring is given")
    func unsigned() async throws {
        let signer = try GnuPGHome("Signer <signer@example.com>")
        let served = try await served(signedBy: nil)
        let keyring = served.cacheDirectory.path + "-keyring.gpg"
        defer { try? FileManager.default.removeItem(atPath: keyring) }
        try signer.export(to: keyring, armor: false)
        let error = await #expect(throws: GitError.self) { try await sync(served, GitSignaturePolicy(keyringFile: keyring)) }
        #expect(error?.code == .signature)
        #expect(error?.message.contains("not signed") == true)
    }

    @Test("an OpenPGP signature with only an allowed-signers file is refused, naming --verify-keyring")
    func kindWithoutFile() async throws {
        let signer = try GnuPGHome("Signer <signer@example.com>")
        let served = try await served(signedBy: signer)
        let signers = served.cacheDirectory.path + "-allowed_signers"
        defer { try? FileManager.default.removeItem(atPath: signers) }
        try "".write(toFile: signers, atomically: true, encoding: .utf8)
        let error = await #expect(throws: GitError.self) { try await sync(served, GitSignaturePolicy(allowedSignersFile: signers)) }
        #expect(error?.code == .signature)
        #expect(error?.message.contains("OpenPGP signature") == true)
        #expect(error?.message.contains("--verify-keyring") == true)
    }

    @Test("a missing keyring file is named with its flag")
    func missingKeyring() async throws {
        let signer = try GnuPGHome("Signer <signer@example.com>")
        let served = try await served(signedBy: signer)
        let error = await #expect(throws: GitError.self) {
            try await sync(served, GitSignaturePolicy(keyringFile: "/nonexistent/keyring.gpg"))
        }
        #expect(error?.message.contains("'/nonexistent/keyring.gpg' (--verify-keyring)") == true)
    }

    @Test("ASCII armor decoding: headers, CRC line and a broken block")
    func dearmor() {
        let armored = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: test\n\nAAEC\nAwQ=\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----\n"
        #expect(OpenPGPSignatureVerifier.dearmored(armored) == [0, 1, 2, 3, 4])
        #expect(OpenPGPSignatureVerifier.dearmored("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAEC\n") == nil)
        #expect(OpenPGPSignatureVerifier.dearmored("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!\n-----END PGP PUBLIC KEY BLOCK-----\n") == nil)
    }
}
