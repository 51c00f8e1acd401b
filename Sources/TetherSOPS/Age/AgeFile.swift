internal import Crypto
internal import _CryptoExtras
import TetherModel

/// One recipient stanza of an age header: `-> TYPE ARGS…` and its body.
struct AgeStanza: Sendable {
    var type: String
    var arguments: [String]
    var body: [UInt8]
}

/// An age v1 file (c2sp.org/age) split into header and payload, armored or binary.
///
/// Parsing is strict where the format is (version line, stanza body line lengths, the
/// header MAC), because a lenient reader is how forgeries get in.
struct AgeFile: Sendable {
    var stanzas: [AgeStanza]
    /// The header MAC (HMAC-SHA256 under a key derived from the file key).
    var mac: [UInt8]
    /// The header bytes the MAC covers: everything up to and including `---`.
    var macInput: [UInt8]
    /// The 16-byte payload nonce followed by the STREAM chunks.
    var payload: [UInt8]

    static let armorBegin = "-----BEGIN AGE ENCRYPTED FILE-----"
    static let armorEnd = "-----END AGE ENCRYPTED FILE-----"
    static let versionLine = "age-encryption.org/v1"

    /// Parses an armored or binary age file.
    /// - Throws: `SOPSError` (`.invalidFormat`) saying what is malformed.
    init(bytes input: [UInt8]) throws(SOPSError) {
        var bytes = input
        let text = String(decoding: input.prefix(64), as: UTF8.self)
        if text.drop(while: { $0.isWhitespace }).hasPrefix(Self.armorBegin) {
            bytes = try Self.dearmor(input)
        }
        var reader = LineReader(bytes: bytes)
        guard let version = reader.line(), version.elementsEqual(Self.versionLine.utf8) else {
            throw Self.malformed("the first line is not '\(Self.versionLine)'")
        }
        var stanzas: [AgeStanza] = []
        while true {
            let lineStart = reader.position
            guard let line = reader.line() else { throw Self.malformed("the header ends before its '---' MAC line") }
            if line.starts(with: Array("---".utf8)) {
                let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
                guard parts.count == 2, parts[0].elementsEqual("---".utf8),
                    let mac = Self.rawBase64(parts[1]), mac.count == 32
                else { throw Self.malformed("the header MAC line is not '--- ' and 43 base64 characters") }
                self.mac = mac
                self.macInput = Array(bytes[..<(lineStart + 3)])
                self.payload = Array(bytes[reader.position...])
                self.stanzas = stanzas
                return
            }
            guard line.starts(with: Array("-> ".utf8)) else { throw Self.malformed("a header line is neither a stanza ('-> ') nor the MAC ('---')") }
            let words = line.dropFirst(3).split(separator: 0x20, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            guard let type = words.first, !type.isEmpty, words.allSatisfy({ !$0.isEmpty }) else {
                throw Self.malformed("a stanza line has an empty argument")
            }
            var body: [UInt8] = []
            while true {
                guard let bodyLine = reader.line() else { throw Self.malformed("a '\(type)' stanza body is not terminated") }
                guard bodyLine.count <= 64, let decoded = Self.rawBase64(bodyLine[...]) else {
                    throw Self.malformed("a '\(type)' stanza body line is not unpadded base64 of at most 64 columns")
                }
                body += decoded
                if bodyLine.count < 64 { break }
            }
            stanzas.append(AgeStanza(type: type, arguments: Array(words.dropFirst()), body: body))
        }
    }

    /// Decodes unpadded standard base64 (age's encoding); `nil` on padding or bad characters.
    static func rawBase64(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        guard !bytes.contains(UInt8(ascii: "=")), bytes.count % 4 != 1,
            !bytes.contains(where: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
        else { return nil }
        return Base64.decode(String(decoding: bytes, as: UTF8.self))
    }

    /// Encodes unpadded standard base64.
    static func rawBase64Encode(_ bytes: [UInt8]) -> String {
        var s = Base64.encode(bytes)
        while s.hasSuffix("=") { s.removeLast() }
        return s
    }

    /// The binary age file inside an ASCII armor (PEM-like, 64-column standard base64).
    static func dearmor(_ bytes: [UInt8]) throws(SOPSError) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map {
            $0.trimmingCharacters(inSet: [" ", "\t", "\r"])
        }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard lines.first == armorBegin, lines.last == armorEnd, lines.count >= 3 else {
            throw malformed("the armor is not enclosed in '\(armorBegin)' and '\(armorEnd)' lines")
        }
        let body = lines[1..<(lines.count - 1)]
        guard body.allSatisfy({ $0.count <= 64 }), body.dropLast().allSatisfy({ $0.count == 64 }),
            let decoded = Base64.decode(body.joined())
        else { throw malformed("the armored body is not base64 in lines of 64 columns") }
        return decoded
    }

    static func malformed(_ what: String) -> SOPSError {
        SOPSError(.invalidFormat, "malformed age file: \(what)")
    }
}

/// Reads `\n`-terminated lines from a byte buffer.
struct LineReader {
    let bytes: [UInt8]
    var position = 0

    /// The next line without its `\n`, or `nil` when no complete line is left.
    mutating func line() -> ArraySlice<UInt8>? {
        guard position < bytes.count, let end = bytes[position...].firstIndex(of: 0x0A) else { return nil }
        defer { position = end + 1 }
        return bytes[position..<end]
    }
}
