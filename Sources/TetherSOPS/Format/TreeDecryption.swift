internal import Crypto
import TetherModel

/// One walk over a file's documents: decrypts the leaves the rules say are encrypted and
/// feeds every leaf's plaintext bytes into the MAC, in document order.
struct TreeDecryption {
    /// The fixed bytes a `mac_only_encrypted` MAC starts from (sops ≥ 3.9).
    static let macOnlyPrefix: [UInt8] = hexBytes("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69")

    let key: SymmetricKey
    let shouldEncrypt: ([String], String?) -> Bool
    let macOnlyEncrypted: Bool
    private var hasher = SHA512()
    /// Key paths of the leaves that were decrypted (for masking; never their values).
    private(set) var decryptedPaths: [[String]] = []

    init(key: SymmetricKey, metadata: Metadata) throws(SOPSError) {
        self.key = key
        self.shouldEncrypt = try metadata.rules.matcher()
        self.macOnlyEncrypted = metadata.macOnlyEncrypted
        if macOnlyEncrypted { hasher.update(data: Self.macOnlyPrefix) }
    }

    /// The document with every encrypted leaf replaced by its typed plaintext.
    /// - Throws: `SOPSError` naming the key path (never the value) of a leaf that is not
    ///   encrypted where the rules require it or that fails authentication.
    mutating func decrypt(_ value: Value, path: [String] = []) throws(SOPSError) -> Value {
        switch value {
        case .map(let map):
            var out = OrderedMap()
            for entry in map.entries { out.append(key: entry.key, value: try decrypt(entry.value, path: path + [entry.key])) }
            return .map(out)
        case .list(let items):
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try decrypt(item, path: path)) }
            return .list(out)
        case .null:
            return .null
        default:
            let encrypted = shouldEncrypt(path, value.stringValue)
            if !encrypted {
                if !macOnlyEncrypted, let plain = EncryptedValue.plaintextBytes(value) { hasher.update(data: plain.bytes) }
                return value
            }
            guard let text = value.stringValue else {
                throw SOPSError(.invalidFormat, "the value at '\(Self.describe(path))' is \(value.typeDescription) where the encryption rules require an ENC[...] string. The file was edited by hand; re-encrypt it.")
            }
            if text.isEmpty { return value }  // sops stores an empty string as it is
            do {
                let enc = try EncryptedValue(parsing: text)
                let bytes = try enc.plaintext(key: key, additionalData: Self.additionalData(path))
                hasher.update(data: bytes)
                decryptedPaths.append(path)
                return try EncryptedValue.typedValue(bytes, type: enc.type)
            } catch {
                throw SOPSError(error.code, "the value at '\(Self.describe(path))' could not be decrypted: \(error.message)")
            }
        }
    }

    /// Checks the stored MAC against the values walked so far.
    /// - Throws: `SOPSError` (`.macMismatch`) when the file has no MAC or it differs,
    ///   (`.authenticationFailed`) when the stored MAC itself fails to decrypt (it is bound
    ///   to `lastmodified`).
    func verifyMAC(_ metadata: Metadata) throws(SOPSError) {
        guard let stored = metadata.mac else {
            throw SOPSError(.macMismatch, "the file has no MAC, so its values cannot be verified. Re-encrypt it with sops.")
        }
        let enc: EncryptedValue
        let bytes: [UInt8]
        do {
            enc = try EncryptedValue(parsing: stored)
            bytes = try enc.plaintext(key: key, additionalData: metadata.lastModified)
        } catch {
            throw SOPSError(error.code, "the stored MAC could not be decrypted (\(error.message)): the MAC or sops.lastmodified was altered")
        }
        let computed = Array(hasher.finalize().map { String(format2: $0) }.joined().utf8)
        guard Self.constantTimeEqual(computed, bytes) else {
            throw SOPSError(.macMismatch, "MAC mismatch: the values, their order or mac_only_encrypted differ from what was encrypted. The file was altered; restore it from a trusted copy or re-encrypt it.")
        }
    }

    /// The additional data of a value: its mapping keys joined by `:`, plus a trailing `:`.
    static func additionalData(_ path: [String]) -> String {
        path.map { $0 + ":" }.joined()
    }

    static func describe(_ path: [String]) -> String {
        path.isEmpty ? "(top level)" : path.joined(separator: ".")
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var chars = Array(hex.utf8)[...]
        while chars.count >= 2 {
            out.append(UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16) ?? 0)
            chars = chars.dropFirst(2)
        }
        return out
    }
}

extension String {
    /// Two upper-case hex digits.
    init(format2 byte: UInt8) {
        self = Hex.encode([byte], uppercase: true)
    }
}
