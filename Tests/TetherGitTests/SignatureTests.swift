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
