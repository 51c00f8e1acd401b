import Foundation
import Testing
import TetherModel
@testable import TetherSOPS

/// Data keys wrapped only by a key service (AWS KMS, GCP KMS, Azure Key Vault, HashiCorp
/// Vault) cannot be opened here: the refusal names the file and the kind of key.
@Suite("SOPS key-service keys")
struct KeyServiceTests {
    /// A file Tether encrypted, its age entry replaced by one key-service entry as sops writes it.
    static func file(kind: String, entry: [(String, Value)]) throws -> [UInt8] {
        let recipient = try EncryptionTests.recipient(EncryptionTests.identityFile)
        let encrypted = try SOPSEncrypter(options: .init(ageRecipients: [recipient])).encrypt(Array("password: hunter2\n".utf8), file: "s.yaml")
        var document = try #require(try YAMLDecoder().decode(bytes: encrypted, file: "s.yaml").first?.value.mapValue)
        var sops = try #require(document["sops"]?.mapValue)
        sops.removeValue(forKey: "age")
        sops[kind] = .list([.map(OrderedMap(entry + [("enc", .string("AQICAHh0ZXRoZXItdGVzdA=="))]))])
        document["sops"] = .map(sops)
        var encoder = YAMLEncoder()
        encoder.keepsKeyOrder = true
        return Array(try encoder.encode(.map(document)).utf8)
    }

    @Test("AWS KMS, GCP KMS, Azure Key Vault and HashiCorp Vault keys are refused, naming file and key type",
          arguments: [
            ("kms", "AWS KMS", [("arn", Value.string("arn:aws:kms:eu-west-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab")), ("created_at", .string("2026-12-08T00:00:00Z")), ("aws_profile", .string(""))]),
            ("gcp_kms", "GCP KMS", [("resource_id", Value.string("projects/p/locations/global/keyRings/r/cryptoKeys/k")), ("created_at", .string("2026-12-08T00:00:00Z"))]),
            ("azure_kv", "Azure Key Vault", [("vault_url", Value.string("https://tether-test.vault.azure.net")), ("name", .string("sops-key")), ("version", .string("1")), ("created_at", .string("2026-12-08T00:00:00Z"))]),
            ("hc_vault", "HashiCorp Vault", [("vault_address", Value.string("http://127.0.0.1:8200")), ("engine_path", .string("sops")), ("key_name", .string("k")), ("created_at", .string("2026-12-08T00:00:00Z"))]),
          ])
    func refused(kind: String, label: String, entry: [(String, Value)]) throws {
        let bytes = try Self.file(kind: kind, entry: entry)
        let decrypter = SOPSDecrypter(keys: try keys(forKeyFile: EncryptionTests.identityFile))
        let error = #expect(throws: SOPSError.self) { try decrypter.decrypt(bytes, file: "secrets/\(kind).enc.yaml") }
        #expect(error?.code == .unsupported)
        #expect(error?.file == "secrets/\(kind).enc.yaml")
        #expect(error?.message.contains("\(label) key") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("add an age recipient") == true)
        #expect(error.map { "\($0)" }?.contains("hunter2") == false)
    }
}
