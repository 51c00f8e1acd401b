import Foundation
import Testing

/// `tether render` and `tether decrypt` on SOPS-encrypted files made for these tests
/// (fixtures/sops), as Flux's kustomize-controller would decrypt them.
@Suite("SOPS decryption through the CLI")
struct SOPSCommandTests {
    static let fixtures = CLI.repositoryRoot.appendingPathComponent("fixtures/sops")
    static let identity = fixtures.appendingPathComponent("age/test-identity.txt").path

    /// A kustomization with an encrypted Secret resource and an encrypted dotenv generator source.
    static func tree() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tether-sops-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in ["secret.enc.yaml", "app.enc.env"] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent("files/\(name)"), to: dir.appendingPathComponent(name))
        }
        let kustomization = """
            resources:
            - secret.enc.yaml
            secretGenerator:
            - name: app
              envs:
              - app.enc.env
            """
        try kustomization.write(to: dir.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test("render decrypts an encrypted resource and an encrypted envs source")
    func render() throws {
        let dir = try Self.tree()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try CLI.run(["render", "--age-key-file", Self.identity, "."], in: dir)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("password: s3cr3t-pa55w0rd"))
        #expect(out.stdout.contains("DB_USER: YWRtaW4="))  // base64("admin"), hashed into the generated name
        #expect(!out.stdout.contains("ENC[") && !out.stdout.contains("sops:"))
    }

    @Test("render without the key exits 2, names the file and its recipient, shows no value")
    func renderWithoutKey() throws {
        let dir = try Self.tree()
        defer { try? FileManager.default.removeItem(at: dir) }
        let wrong = Self.fixtures.appendingPathComponent("age/test-identity-2.txt").path
        let out = try CLI.run(["render", "--age-key-file", wrong, "."], in: dir)
        #expect(out.status == 2)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains("secret.enc.yaml"))
        #expect(out.stderr.contains("age1r3san5rqtrmjezzdz2lt4lhj23fnnuhxkxkmdkz2cjxkrlkxadysgau4mv"))
        #expect(!out.stderr.contains("s3cr3t") && !out.stderr.contains("hunter2"))
    }

    @Test("README example: tether decrypt prints the verified plaintext")
    func decrypt() throws {
        let out = try CLI.run(["decrypt", "--age-key-file", "fixtures/sops/age/test-identity.txt", "fixtures/sops/files/secret.enc.yaml"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("password: s3cr3t-pa55w0rd"))
        #expect(out.stdout.contains("name: db-credentials"))
    }
}
