import Foundation
import Testing
import TetherModel
@testable import TetherSOPS

/// The suite's own files (fixtures/sops/files, made with sops 3.11.0 for the test identity):
/// each store and rule decrypts to what `sops -d` printed, and every kind of tampering is refused
/// with an error that names the file and shows no value.
@Suite("SOPS fixtures")
struct FixtureTests {
    static let files = Support.fixtures.appendingPathComponent("files")
    static let decrypter = SOPSDecrypter(keys: try! keys(forKeyFile: AgeTests.identity))
    /// Every plaintext value of the fixtures that is encrypted; none may appear in an error.
    static let secrets = ["s3cr3t-pa55w0rd", "tether-user", "hunter2", "inner-value", "p@ss", "abc123", "grüße"]

    static let names = [
        "secret.enc.yaml", "typed.enc.yaml", "multi.enc.yaml", "mac-only.enc.yaml", "unencrypted-regex.enc.yaml",
        "app.enc.json", "app.enc.env", "app.enc.ini", "blob.enc.bin",
    ]

    @Test("decrypts to what sops -d printed", arguments: names)
    func decrypts(name: String) throws {
        let out = try Self.decrypter.decrypt(try Support.bytes(Self.files.appendingPathComponent(name)), file: name)
        let plainName = name.replacingOccurrences(of: ".enc.", with: ".plain.")
        let expected = try Support.bytes(Self.files.appendingPathComponent(plainName))
        #expect(try PlaintextComparison.matches(out, expected: expected))
        #expect(!"\(out)".contains("hunter2"))
    }

    @Test("typed values come back typed, clear values stay, key order is kept")
    func types() throws {
        let out = try Self.decrypter.decrypt(try Support.bytes(Self.files.appendingPathComponent("typed.enc.yaml")), file: "typed.enc.yaml")
        let doc = try #require(out.documents.first)
        #expect(doc["replicas"] == .int(3))
        #expect(doc["ratio"] == .float(0.25))
        #expect(doc["enabled"] == .bool(true))
        #expect(doc["quoted_number"] == .string("42"))
        #expect(doc["yes_is_a_string"] == .string("yes"))
        #expect(doc["nothing"] == .null)
        #expect(doc[path: ["nested", "public_unencrypted"]] == .string("visible-text"))
        #expect(doc.mapValue?.keys.first == "name")
        #expect(!out.decryptedPaths.contains(["nested", "public_unencrypted"]))
        #expect(out.decryptedPaths.contains(["nested", "list"]))
    }

    @Test("multi-document YAML: every document decrypts, the MAC covers them all")
    func multiDocument() throws {
        let out = try Self.decrypter.decrypt(try Support.bytes(Self.files.appendingPathComponent("multi.enc.yaml")), file: "multi.enc.yaml")
        #expect(out.documents.count == 2)
        #expect(out.documents[1][path: ["fourth", "deep"]] == .string("value"))
    }

    @Test("binary store: raw bytes, not UTF-8, come back exactly")
    func binary() throws {
        let out = try Self.decrypter.decrypt(try Support.bytes(Self.files.appendingPathComponent("blob.enc.bin")), file: "blob.enc.bin")
        #expect(out.plaintext == Array("binary\u{0}".utf8) + [0xFF, 0xFE] + Array(" payload\nwith two lines\n".utf8))
    }

    struct Tamper: CustomStringConvertible, Sendable {
        var name: String
        var file: String
        var code: SOPSError.Code
        var edit: @Sendable (String) -> String
        var description: String { name }
    }

    static let tampers: [Tamper] = [
        Tamper(name: "ciphertext made malformed", file: "secret.enc.yaml", code: .invalidFormat) { text in
            text.replacingOccurrences(of: "password: ENC[AES256_GCM,data:", with: "password: ENC[AES256_GCM,data:A")
        },
        Tamper(name: "lastmodified moved", file: "typed.enc.yaml", code: .authenticationFailed) { text in
            text.replacingOccurrences(of: "lastmodified: \"20", with: "lastmodified: \"19")
        },
        Tamper(name: "clear value edited", file: "secret.enc.yaml", code: .macMismatch) { text in
            text.replacingOccurrences(of: "name: db-credentials", with: "name: db-credentialz")
        },
        Tamper(name: "values swapped between keys", file: "app.enc.env", code: .authenticationFailed) { text in
            let lines = text.split(separator: "\n").map(String.init)
            let user = lines[0].dropFirst("DB_USER=".count), pass = lines[1].dropFirst("DB_PASSWORD=".count)
            return (["DB_USER=" + pass, "DB_PASSWORD=" + user] + lines.dropFirst(2)).joined(separator: "\n") + "\n"
        },
        Tamper(name: "entry deleted", file: "app.enc.ini", code: .macMismatch) { text in
            text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("ttl") }.joined(separator: "\n")
        },
        Tamper(name: "MAC removed", file: "app.enc.json", code: .macMismatch) { text in
            text.split(separator: "\n").filter { !$0.contains("\"mac\":") }.joined(separator: "\n")
        },
        Tamper(name: "mac_only_encrypted removed", file: "mac-only.enc.yaml", code: .macMismatch) { text in
            text.split(separator: "\n").filter { !$0.contains("mac_only_encrypted") }.joined(separator: "\n") + "\n"
        },
        Tamper(name: "clear line injected where encryption is required", file: "app.enc.env", code: .invalidFormat) { text in
            "INJECTED=plain\n" + text
        },
        Tamper(name: "unsupported cipher", file: "app.enc.env", code: .unsupported) { text in
            text.replacingOccurrences(of: "DB_USER=ENC[AES256_GCM,", with: "DB_USER=ENC[AES128_GCM,")
        },
    ]

    @Test("tampered files are refused, naming the file and what failed, showing no value", arguments: tampers)
    func tampered(_ tamper: Tamper) throws {
        let original = try Support.text(Self.files.appendingPathComponent(tamper.file))
        let edited = tamper.edit(original)
        #expect(edited != original, "the edit did not apply")
        let error = #expect(throws: SOPSError.self) { try Self.decrypter.decrypt(Array(edited.utf8), file: tamper.file) }
        #expect(error?.code == tamper.code, "\(error.map { "\($0)" } ?? "")")
        let message = error.map { "\($0)" } ?? ""
        #expect(message.hasPrefix(tamper.file + ": "))
        for secret in Self.secrets { #expect(!message.contains(secret)) }
    }

    @Test("without a matching key: the error names the recipients and how to provide a key")
    func noKey() throws {
        let bytes = try Support.bytes(Self.files.appendingPathComponent("secret.enc.yaml"))
        let none = #expect(throws: SOPSError.self) { try SOPSDecrypter(keys: SOPSKeys()).decrypt(bytes, file: "secret.enc.yaml") }
        #expect(none?.code == .noMatchingKey)
        #expect(none?.message.contains("age1r3san5rqtrmjezzdz2lt4lhj23fnnuhxkxkmdkz2cjxkrlkxadysgau4mv") == true)
        #expect(none?.message.contains("--age-key-file") == true)
        let wrong = try SOPSDecrypter(keys: keys(forKeyFile: AgeTests.identity2))
        let mismatch = #expect(throws: SOPSError.self) { try wrong.decrypt(bytes, file: "secret.enc.yaml") }
        #expect(mismatch?.code == .noMatchingKey)
        #expect(mismatch?.message.contains("age1ctw3jdf3skkqjk5fktnz229pweha0talallv7e9sr9wku2lr7qwsupk79c") == true)
    }

    @Test("isEncrypted tells SOPS files from plain ones")
    func detection() throws {
        #expect(SOPSDecrypter.isEncrypted(try Support.bytes(Self.files.appendingPathComponent("secret.enc.yaml")), path: "s.yaml"))
        #expect(SOPSDecrypter.isEncrypted(try Support.bytes(Self.files.appendingPathComponent("app.enc.env")), path: "a.env"))
        #expect(!SOPSDecrypter.isEncrypted(try Support.bytes(Self.files.appendingPathComponent("secret.plain.yaml")), path: "s.yaml"))
        #expect(!SOPSDecrypter.isEncrypted(Array("sops: is just a word here\n".utf8), path: "x.yaml"))
    }
}
