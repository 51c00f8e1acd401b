internal import Crypto
import Foundation
import TetherModel

/// One `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` value: AES-256-GCM with a 32-byte IV,
/// the tag kept apart from the ciphertext, and the key path as additional data.
struct EncryptedValue: Sendable {
    /// The value type sops recorded, which decides how the plaintext bytes are read back.
    enum ValueType: String, Sendable {
        case str, int, float, bool, bytes, time, comment
    }

    var data: [UInt8]
    var iv: [UInt8]
    var tag: [UInt8]
    var type: ValueType

    static let prefix = "ENC["

    /// Parses the `ENC[...]` text.
    /// - Throws: `SOPSError` (`.invalidFormat`) when the text is not in sops' data format,
    ///   (`.unsupported`) for another cipher or value type. The message never quotes the value.
    init(parsing text: String) throws(SOPSError) {
        guard text.hasPrefix(Self.prefix), text.hasSuffix("]") else {
            throw SOPSError(.invalidFormat, "a value that must be encrypted is not in sops' ENC[...] format")
        }
        let inner = text.dropFirst(Self.prefix.count).dropLast()
        let fields = inner.split(separator: ",", omittingEmptySubsequences: false)
        guard let cipher = fields.first, cipher == "AES256_GCM" else {
            throw SOPSError(.unsupported, "cipher '\(fields.first.map { String($0.prefix(20)) } ?? "")' is not supported (only AES256_GCM)")
        }
        var parts: [String: String] = [:]
        for field in fields.dropFirst() {
            guard let colon = field.firstIndex(of: ":") else {
                throw SOPSError(.invalidFormat, "an ENC[...] value has a field without ':'")
            }
            parts[String(field[..<colon])] = String(field[field.index(after: colon)...])
        }
        guard let data = parts["data"].flatMap(Base64.decode), let iv = parts["iv"].flatMap(Base64.decode),
            let tag = parts["tag"].flatMap(Base64.decode), let typeText = parts["type"]
        else { throw SOPSError(.invalidFormat, "an ENC[...] value lacks valid data, iv, tag or type fields") }
        guard let type = ValueType(rawValue: typeText) else {
            throw SOPSError(.unsupported, "value type '\(typeText.prefix(20))' is not supported")
        }
        guard iv.count >= 12, tag.count == 16 else {
            throw SOPSError(.invalidFormat, "an ENC[...] value has a \(iv.count)-byte IV or a \(tag.count)-byte tag")
        }
        self.data = data
        self.iv = iv
        self.tag = tag
        self.type = type
    }

    init(data: [UInt8], iv: [UInt8], tag: [UInt8], type: ValueType) {
        self.data = data
        self.iv = iv
        self.tag = tag
        self.type = type
    }

    /// The `ENC[...]` text.
    var text: String {
        "ENC[AES256_GCM,data:\(Base64.encode(data)),iv:\(Base64.encode(iv)),tag:\(Base64.encode(tag)),type:\(type.rawValue)]"
    }

    /// Whether `text` looks like an encrypted value (sops' own test before decrypting).
    static func looksEncrypted(_ text: String) -> Bool {
        text.hasPrefix("ENC[AES256_GCM,") && text.hasSuffix("]")
    }

    /// Decrypts and authenticates the plaintext bytes.
    /// - Throws: `SOPSError` (`.authenticationFailed`) when the tag does not verify under this
    ///   key and additional data: a tampered or moved value, or the wrong data key.
    func plaintext(key: SymmetricKey, additionalData: String) throws(SOPSError) -> [UInt8] {
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: iv), ciphertext: data, tag: tag)
            return Array(try AES.GCM.open(box, using: key, authenticating: Array(additionalData.utf8)))
        } catch {
            throw SOPSError(.authenticationFailed, "AES-256-GCM authentication failed")
        }
    }

    /// Encrypts `plaintext` under a fresh random 32-byte IV.
    static func seal(_ plaintext: [UInt8], type: ValueType, key: SymmetricKey, additionalData: String) throws(SOPSError) -> EncryptedValue {
        do {
            let nonce = try AES.GCM.Nonce(data: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
            let box = try AES.GCM.seal(plaintext, using: key, nonce: nonce, authenticating: Array(additionalData.utf8))
            return EncryptedValue(data: Array(box.ciphertext), iv: Array(nonce), tag: Array(box.tag), type: type)
        } catch {
            throw SOPSError(.invalidKey, "AES-256-GCM encryption failed", cause: error)
        }
    }

    /// The plaintext bytes read back as the typed value sops wrote.
    /// - Throws: `SOPSError` (`.invalidFormat`) when the bytes do not parse as the type.
    static func typedValue(_ bytes: [UInt8], type: ValueType) throws(SOPSError) -> Value {
        let text = String(decoding: bytes, as: UTF8.self)
        switch type {
        case .str, .time, .comment, .bytes:
            return .string(text)
        case .int:
            if let i = Int(text) { return .int(i) }
            if let u = UInt(text) { return .uint(u) }
        case .float:
            if let d = Double(text), d.isFinite { return .float(d) }
        case .bool:
            switch text {
            case "1", "t", "T", "TRUE", "true", "True": return .bool(true)
            case "0", "f", "F", "FALSE", "false", "False": return .bool(false)
            default: break
            }
        }
        throw SOPSError(.invalidFormat, "a decrypted value of type \(type.rawValue) does not parse as one")
    }

    /// The bytes sops hashes into the MAC for a value, and encrypts for a typed value:
    /// integers in decimal, floats in Go's `'f'` shortest form, booleans as `True`/`False`.
    /// `nil` for null, which is neither encrypted nor hashed.
    static func plaintextBytes(_ value: Value) -> (bytes: [UInt8], type: ValueType)? {
        switch value {
        case .null, .list, .map: return nil
        case .string(let s): return (Array(s.utf8), .str)
        case .int(let i): return (Array(String(i).utf8), .int)
        case .uint(let u): return (Array(String(u).utf8), .int)
        case .float(let d): return (Array(GoFloat.fFormat(d).utf8), .float)
        case .bool(let b): return (Array((b ? "True" : "False").utf8), .bool)
        }
    }
}
