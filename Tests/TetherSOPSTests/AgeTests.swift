import Foundation
import Testing
@testable import TetherSOPS

@Suite("age layer")
struct AgeTests {
    static let identity = Support.fixtures.appendingPathComponent("age/test-identity.txt")
    static let identity2 = Support.fixtures.appendingPathComponent("age/test-identity-2.txt")

    static func identities(_ url: URL) throws -> [AgeIdentity] {
        try AgeIdentity.parseFile(try Support.text(url), source: url.lastPathComponent)
    }

    @Test("identity file: recipient derived from the secret key matches age-keygen's comment")
    func recipientDerivation() throws {
        let text = try Support.text(Self.identity)
        let ids = try AgeIdentity.parseFile(text, source: "test-identity.txt")
        #expect(ids.count == 1)
        #expect(text.contains("# public key: \(ids[0].recipient ?? "?")"))
        #expect(!"\(ids[0])".contains("AGE-SECRET-KEY"))
    }

    @Test("armored file for two recipients opens with either identity")
    func armoredTwoRecipients() throws {
        let file = try Support.bytes(Support.fixtures.appendingPathComponent("age/two-recipients.armored.age"))
        #expect(try Age.decrypt(file, identities: try Self.identities(Self.identity)) == Array("hello age\n".utf8))
        #expect(try Age.decrypt(file, identities: try Self.identities(Self.identity2)) == Array("hello age\n".utf8))
    }

    @Test("scrypt passphrase stanza (made by age -p): right passphrase opens, wrong one is refused")
    func passphrase() throws {
        let file = try Support.bytes(Support.fixtures.appendingPathComponent("age/passphrase-scrypt18.age"))
        #expect(try Age.decrypt(file, identities: [AgeIdentity(passphrase: "correct horse battery")]) == Array("hello age\n".utf8))
        #expect(throws: SOPSError.self) { try Age.decrypt(file, identities: [AgeIdentity(passphrase: "wrong")]) }
    }

    @Test("a flipped header byte fails the header MAC; a flipped payload byte fails the payload")
    func tampering() throws {
        let file = try Support.bytes(Support.fixtures.appendingPathComponent("age/two-recipients.armored.age"))
        let binary = try AgeFile.dearmor(file)
        let ids = try Self.identities(Self.identity)
        // An extra stanza before the MAC line: the X25519 stanza still opens, the header MAC must not verify.
        let marker = Array("\n---".utf8)
        let headerEnd = try #require((0..<(binary.count - 4)).first { Array(binary[$0..<($0 + 4)]) == marker })
        var header = binary
        header.insert(contentsOf: Array("-> grease x\n\n".utf8), at: headerEnd + 1)
        let error = #expect(throws: SOPSError.self) { try Age.decrypt(header, identities: ids) }
        #expect(error?.code == .authenticationFailed)
        var payload = binary
        payload[payload.count - 3] ^= 1
        let payloadError = #expect(throws: SOPSError.self) { try Age.decrypt(payload, identities: ids) }
        #expect(payloadError?.code == .authenticationFailed)
    }

    @Test("plugin identities and unknown stanzas are refused with a clear message")
    func plugins() throws {
        let error = #expect(throws: SOPSError.self) {
            try AgeIdentity.parseFile("AGE-PLUGIN-YUBIKEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\n", source: "keys.txt")
        }
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("plugin") == true)
    }

    @Test("differential: files written by Debian's age CLI (binary, armored, multi-chunk) decrypt", .requiresAgeCLI)
    func ageCLI() throws {
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let age = try #require(Support.tool("age")), keygen = try #require(Support.tool("age-keygen"))
        let key = dir.appendingPathComponent("key.txt")
        #expect(try Support.run(keygen, ["-o", key.path]).status == 0)
        let recipient = String(decoding: try Support.run(keygen, ["-y", key.path]).stdout, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let ids = try Self.identities(key)
        #expect(ids.first?.recipient == recipient)
        // Sizes around the 64 KiB chunk boundary, and empty.
        for size in [0, 1, 65535, 65536, 65537, 200_000] {
            var plain = [UInt8](repeating: 0, count: size)
            for i in plain.indices { plain[i] = UInt8(truncatingIfNeeded: i &* 31 &+ 7) }
            // Through a file, not stdin: a large plaintext would fill the pipe while age writes.
            let input = dir.appendingPathComponent("plain-\(size)")
            try Data(plain).write(to: input)
            for armor in [false, true] {
                let out = try Support.run(age, (armor ? ["-a"] : []) + ["-r", recipient, input.path])
                #expect(out.status == 0, "\(out.stderr)")
                #expect(try Age.decrypt(out.stdout, identities: ids) == plain, "size \(size) armor \(armor)")
            }
        }
        // A file for another recipient only: no match, named as such.
        let other = dir.appendingPathComponent("other.txt")
        _ = try Support.run(keygen, ["-o", other.path])
        let foreign = try Support.run(age, ["-i", other.path, "-e"], stdin: Array("x".utf8))
        #expect(foreign.status == 0, "\(foreign.stderr)")
        let error = #expect(throws: SOPSError.self) { try Age.decrypt(foreign.stdout, identities: ids) }
        #expect(error?.code == .noMatchingKey)
    }
}
