import Foundation
import Testing
import TetherModel
@testable import TetherSOPS

/// Every case of ../shared/sops/cases.tsv: files encrypted by the real sops must decrypt to
/// their plaintexts (as data), tampered and broken ones must be refused.
@Suite("shared SOPS corpus")
struct CorpusTests {
    struct Case: CustomStringConvertible {
        var name, format, keyType, expect, encrypted, key, plaintext: String
        var description: String { name }
    }

    static func cases() throws -> [Case] {
        let text = try Support.text(Support.corpus.appendingPathComponent("cases.tsv"))
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 8 else { return nil }
            return Case(name: f[0], format: f[1], keyType: f[2], expect: f[3], encrypted: f[5], key: f[6], plaintext: f[7])
        }
    }

    @Test("every ok case decrypts to its plaintext and every refuse case is refused", .requiresCorpus, .timeLimit(.minutes(2)))
    func corpus() throws {
        let gpgPresent = Support.tool("gpg") != nil
        var decrypted = 0, identical = 0, okTotal = 0, refused = 0, refuseTotal = 0, skipped = 0
        for c in try Self.cases() {
            if c.keyType == "pgp" && !gpgPresent {
                skipped += 1
                continue
            }
            let file = Support.corpus.appendingPathComponent(c.encrypted)
            let decrypter = SOPSDecrypter(keys: try keys(forKeyFile: Support.corpus.appendingPathComponent(c.key)))
            let result = Result { try decrypter.decrypt(try Support.bytes(file), file: c.encrypted) }
            if c.expect == "ok" {
                okTotal += 1
                switch result {
                case .success(let out):
                    let expected = try Support.bytes(Support.corpus.appendingPathComponent(c.plaintext))
                    let same = try PlaintextComparison.matches(out, expected: expected)
                    #expect(same, "\(c.name): decrypted data differs from the plaintext")
                    if same { decrypted += 1 }
                    if out.plaintext == expected { identical += 1 }
                case .failure(let error):
                    Issue.record("\(c.name): \(error)")
                }
            } else {
                refuseTotal += 1
                switch result {
                case .success: Issue.record("\(c.name): decrypted, but must be refused")
                case .failure(let error):
                    refused += 1
                    let message = "\(error)"
                    #expect(message.hasPrefix(c.encrypted), "\(c.name): the error does not name the file: \(message)")
                }
            }
        }
        print("SOPS corpus: \(decrypted)/\(okTotal) ok cases decrypt (\(identical) byte-identical to sops -d), \(refused)/\(refuseTotal) refused, \(skipped) PGP cases skipped")
        #expect(okTotal + refuseTotal > 0)
    }
}
