import Foundation
import Testing
import TetherHelm
import TetherModel
import TetherTemplate
@testable import TetherSOPS

/// Helm values files that are SOPS-encrypted (the helm-secrets pattern) go through
/// `HelmValues.parseFile`'s decryption seam before a chart renders with them.
@Suite("SOPS-encrypted Helm values files")
struct HelmValuesDecryptionTests {
    /// The seam as the executable supplies it: TetherSOPS decryption of encrypted files only.
    static func seam(_ keyFile: URL) throws -> HelmValues.Decrypting {
        let decrypter = SOPSDecrypter(keys: try keys(forKeyFile: keyFile))
        return { bytes, path in
            guard SOPSDecrypter.isEncrypted(bytes, path: path) else { return nil }
            return try decrypter.decrypt(bytes, file: path).plaintext
        }
    }

    static let chart = Chart(
        metadata: .map(OrderedMap([("apiVersion", .string("v2")), ("name", .string("app")), ("version", .string("0.1.0"))])),
        values: ["service": .map(["port": .float(80)])],
        templates: ["templates/secret.yaml": "password: {{ .Values.db.password }}\nport: {{ .Values.service.port }}\n"])

    @Test("a values file Tether encrypted renders the chart with its plaintext; a clear one is read as it is")
    func rendersWithPlaintext() throws {
        let recipient = try EncryptionTests.recipient(EncryptionTests.identityFile)
        let plain = Array("db:\n  password: hunter2\nservice:\n  port: 8443\n".utf8)
        let encrypted = try SOPSEncrypter(options: .init(ageRecipients: [recipient])).encrypt(plain, file: "secrets.yaml")
        let seam = try Self.seam(EncryptionTests.identityFile)
        let values = try HelmValues.parseFile(encrypted, file: "secrets.yaml", decrypting: seam)
        let clear = try HelmValues.parseFile(plain, file: "values.yaml", decrypting: seam)
        #expect(GoFormat.string(.map(TemplateMap(values))) == GoFormat.string(.map(TemplateMap(clear))))
        #expect(GoFormat.string(.map(TemplateMap(values))) == "map[db:map[password:hunter2] service:map[port:8443]]")
        let out = try HelmEngine(release: .init(name: "rel", namespace: "ns")).render(Self.chart, values: values)
        #expect(out["app/templates/secret.yaml"] == "password: hunter2\nport: 8443\n")
        // Without the seam the ciphertext would be the value: the seam is what decrypts.
        let raw = try HelmValues.parseFile(encrypted, file: "secrets.yaml", decrypting: nil)
        #expect(raw["sops"] != nil)
    }

    @Test("helm-secrets' own encrypted values file (shared corpus) decrypts through the seam", .requiresCorpus)
    func helmSecretsFixture() throws {
        let file = Support.corpus.appendingPathComponent("files/helm-secrets-age-yaml.enc.yaml")
        let values = try HelmValues.parseFile(
            try Support.bytes(file), file: file.lastPathComponent,
            decrypting: try Self.seam(Support.corpus.appendingPathComponent("keys/helm-secrets.age-key.txt")))
        #expect(values["global_secret"].map(GoFormat.string) == "global_age")
        #expect(values["service"].map(GoFormat.string) == "map[port:92]")
        #expect(values["sops"] == nil)
    }

    @Test("the wrong key: a HelmError naming the values file and its recipient, no value")
    func wrongKey() throws {
        let recipient = try EncryptionTests.recipient(EncryptionTests.identityFile)
        let encrypted = try SOPSEncrypter(options: .init(ageRecipients: [recipient])).encrypt(Array("db:\n  password: hunter2\n".utf8), file: "secrets.yaml")
        let error = #expect(throws: HelmError.self) {
            try HelmValues.parseFile(encrypted, file: "charts/app/secrets.yaml", decrypting: try Self.seam(EncryptionTests.identityFile2))
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("charts/app/secrets.yaml") && text.contains(recipient.text), "\(text)")
        #expect(!text.contains("hunter2"))
    }
}
