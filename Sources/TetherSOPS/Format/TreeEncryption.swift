internal import Crypto
import TetherModel

/// One walk over a plaintext file's documents: encrypts the leaves the rules select and
/// feeds every leaf's plaintext bytes into the MAC, in document order — the mirror image of
/// ``TreeDecryption``, so what one writes the other reads.
struct TreeEncryption {
    let key: SymmetricKey
    let shouldEncrypt: ([String], String?) -> Bool
    let macOnlyEncrypted: Bool
    private var hasher = SHA512()

    init(key: SymmetricKey, rules: EncryptionRules, macOnlyEncrypted: Bool) throws(SOPSError) {
        self.key = key
        self.shouldEncrypt = try rules.matcher()
        self.macOnlyEncrypted = macOnlyEncrypted
        if macOnlyEncrypted { hasher.update(data: TreeDecryption.macOnlyPrefix) }
    }

    /// The document with every selected leaf replaced by its `ENC[...]` string.
    /// Empty strings and nulls stay as they are (sops does not encrypt them).
    mutating func encrypt(_ value: Value, path: [String] = []) throws(SOPSError) -> Value {
        switch value {
        case .map(let map):
            var out = OrderedMap()
            for entry in map.entries { out.append(key: entry.key, value: try encrypt(entry.value, path: path + [entry.key])) }
            return .map(out)
        case .list(let items):
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try encrypt(item, path: path)) }
            return .list(out)
        default:
            guard let plain = EncryptedValue.plaintextBytes(value) else { return value }
            guard shouldEncrypt(path, nil) else {
                if !macOnlyEncrypted { hasher.update(data: plain.bytes) }
                return value
            }
            if plain.bytes.isEmpty, plain.type == .str { return value }
            hasher.update(data: plain.bytes)
            let sealed = try EncryptedValue.seal(plain.bytes, type: plain.type, key: key, additionalData: TreeDecryption.additionalData(path))
            return .string(sealed.text)
        }
    }

    /// Encrypts raw bytes as a binary store's `data` (additional data `data:`).
    mutating func encryptBinary(_ bytes: [UInt8]) throws(SOPSError) -> Value {
        hasher.update(data: bytes)
        if bytes.isEmpty { return .string("") }
        return .string(try EncryptedValue.seal(bytes, type: .str, key: key, additionalData: "data:").text)
    }

    /// The MAC over everything walked: upper-case hex SHA-512, encrypted with `lastModified`
    /// as additional data.
    func sealedMAC(lastModified: String) throws(SOPSError) -> String {
        let hex = Hex.encode(Array(hasher.finalize()), uppercase: true)
        return try EncryptedValue.seal(Array(hex.utf8), type: .str, key: key, additionalData: lastModified).text
    }
}
