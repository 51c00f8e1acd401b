import Testing
@testable import TetherDaemon
import TetherModel
import TestSupport

@Suite("HMAC-SHA256 and constant-time compare", .capturedLogs)
struct HMACTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var key: String
        var message: String
        var expected: String
        var testDescription: String { name }
    }

    /// RFC 4231 test cases 2 and 6, plus GitHub's documented example
    /// (secret "It's a Secret to Everybody", payload "Hello, World!").
    static let cases: [Case] = [
        Case(name: "RFC 4231 case 2", key: "Jefe", message: "what do ya want for nothing?",
             expected: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Case(name: "GitHub documentation example", key: "It's a Secret to Everybody", message: "Hello, World!",
             expected: "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
    ]

    @Test("matches published vectors", arguments: cases)
    func vectors(_ c: Case) {
        #expect(Hex.encode(HMACSHA256.mac(key: Array(c.key.utf8), message: Array(c.message.utf8))) == c.expected)
    }

    @Test("empty message and empty key do not crash and differ from each other")
    func empties() {
        let a = HMACSHA256.mac(key: Array("k".utf8), message: [])
        let b = HMACSHA256.mac(key: [], message: Array("k".utf8))
        #expect(a.count == 32 && b.count == 32)
        #expect(a != b)
    }

    @Test("constant-time compare")
    func compare() {
        #expect(HMACSHA256.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!HMACSHA256.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!HMACSHA256.constantTimeEqual([1, 2, 3], [1, 2]))
        #expect(HMACSHA256.constantTimeEqual([], []))
    }

    @Test("hex round trip and malformed hex")
    func hex() {
        #expect(Hex.decode("00ffA0", letters: .eitherCase) == [0, 255, 160])
        #expect(Hex.decode("0", letters: .eitherCase) == nil)
        #expect(Hex.decode("zz", letters: .eitherCase) == nil)
        #expect(Hex.encode([0, 255, 160]) == "00ffa0")
    }
}
