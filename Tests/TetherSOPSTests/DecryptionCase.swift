import Foundation
import Testing
import TetherModel
@testable import TetherSOPS

/// Compares decrypted output with a plaintext as data (what `sops -d` printed), the way the
/// corpus's `compare.py` does: key order, quoting, indentation and comments ignored; types
/// kept, numbers compared by value; binary byte for byte.
enum PlaintextComparison {
    static func parse(_ bytes: [UInt8], format: SOPSFormat) throws -> [Value] {
        switch format {
        case .yaml: return try YAMLDecoder().decode(bytes: bytes, file: "plain").map { normalize($0.value) }
        case .json: return [normalize(try JSONParsing().value(from: bytes))]
        case .dotenv: return [.map(try DotenvStore.parse(bytes).0)]
        case .ini: return [.map(try INIStore.parse(bytes).0)]
        case .binary: return [.string(Base64.encode(bytes))]
        }
    }

    static func normalize(_ value: Value) -> Value {
        switch value {
        case .float(let d): return GoFloat.normalized(d)
        case .list(let items): return .list(items.map(normalize))
        case .map(let m): return .map(OrderedMap(m.entries.map { ($0.key, normalize($0.value)) }))
        default: return value
        }
    }

    /// Whether the decrypted file equals the expected plaintext as data.
    static func matches(_ decrypted: SOPSDecryptedFile, expected: [UInt8]) throws -> Bool {
        if decrypted.format == .binary { return decrypted.plaintext == expected }
        let got = try parse(decrypted.plaintext, format: decrypted.format)
        let want = try parse(expected, format: decrypted.format)
        let docs = decrypted.documents.map(normalize)
        return got == want && docs == want
    }
}

/// Keys for a corpus or fixture key file: age identities, or an armored PGP key.
func keys(forKeyFile url: URL) throws -> SOPSKeys {
    var keys = SOPSKeys()
    if url.pathExtension == "asc" {
        try keys.addPGPKeyFile(url.path)
    } else {
        try keys.addAgeKeyFile(url.path)
    }
    return keys
}
