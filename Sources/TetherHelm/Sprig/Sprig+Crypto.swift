import COpenSSL
import TetherModel
import TetherTemplate

/// Sprig's hashes and AES (crypto.go): `sha1sum`, `sha256sum`, `sha512sum` as lower-case hex,
/// `adler32sum` as a decimal number, `encryptAES`/`decryptAES` as Sprig does them (the
/// password zero-padded or cut to a 32-byte AES-256 key, CBC, PKCS#7 padding, a random IV
/// before the ciphertext, base64), and `randBytes`.
extension Sprig {
    static var crypto: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        f["sha1sum"] = stringFunction { hex(digest(Array($0.utf8), EVP_sha1())) }
        f["sha256sum"] = stringFunction { hex(digest(Array($0.utf8), EVP_sha256())) }
        f["sha512sum"] = stringFunction { hex(digest(Array($0.utf8), EVP_sha512())) }
        f["adler32sum"] = stringFunction { String(adler32(Array($0.utf8))) }
        f["encryptAES"] = TemplateFunction([.string, .string]) { a, _ in .string(try encryptAES(str(a, 0), str(a, 1))) }
        f["decryptAES"] = TemplateFunction([.string, .string]) { a, _ in .string(try decryptAES(str(a, 0), str(a, 1))) }
        f["randBytes"] = TemplateFunction([.int]) { a, _ in
            let count = int(a, 0)
            guard count >= 0 else { throw SprigError("runtime error: makeslice: len out of range") }
            var rng = SystemRandomNumberGenerator()
            return .string(Base64.encode((0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }))
        }
        return f
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func digest(_ input: [UInt8], _ md: OpaquePointer?) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = input.withUnsafeBufferPointer { i in
            out.withUnsafeMutableBufferPointer { EVP_Digest(i.baseAddress, i.count, $0.baseAddress, &length, md, nil) }
        }
        return Array(out.prefix(Int(length)))
    }

    /// Go's `hash/adler32.Checksum`.
    static func adler32(_ input: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in input {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    private static func aesKey(_ password: String) -> [UInt8] {
        var key = Array(password.utf8.prefix(32))
        key += [UInt8](repeating: 0, count: 32 - key.count)
        return key
    }

    /// AES-256-CBC over whole blocks, padding done by the caller as Sprig does it.
    private static func cbc(_ input: [UInt8], key: [UInt8], iv: [UInt8], encrypt: Bool) throws -> [UInt8] {
        guard let ctx = EVP_CIPHER_CTX_new() else { throw SprigError("crypto/aes: cannot allocate a cipher context") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: input.count + 16)
        var written: Int32 = 0, final: Int32 = 0
        let ok = key.withUnsafeBufferPointer { k in
            iv.withUnsafeBufferPointer { v in
                EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), nil, k.baseAddress, v.baseAddress, encrypt ? 1 : 0) == 1
                    && EVP_CIPHER_CTX_set_padding(ctx, 0) == 1
            }
        } && input.withUnsafeBufferPointer { i in
            out.withUnsafeMutableBufferPointer { o in
                EVP_CipherUpdate(ctx, o.baseAddress, &written, i.baseAddress, Int32(i.count)) == 1
                    && EVP_CipherFinal_ex(ctx, o.baseAddress! + Int(written), &final) == 1
            }
        }
        guard ok else { throw SprigError("crypto/cipher: input not full blocks") }
        return Array(out.prefix(Int(written + final)))
    }

    static func encryptAES(_ password: String, _ plaintext: String) throws -> String {
        if plaintext.isEmpty { return "" }
        var content = Array(plaintext.utf8)
        let padding = 16 - content.count % 16
        content += [UInt8](repeating: UInt8(padding), count: padding)
        var rng = SystemRandomNumberGenerator()
        let iv = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return Base64.encode(iv + (try cbc(content, key: aesKey(password), iv: iv, encrypt: true)))
    }

    static func decryptAES(_ password: String, _ crypt64: String) throws -> String {
        if crypt64.isEmpty { return "" }
        guard let crypt = Base64.decode(crypt64) else { throw SprigError("illegal base64 data at input byte 0") }
        guard crypt.count >= 16 else { throw SprigError("runtime error: slice bounds out of range [:16] with capacity \(crypt.count)") }
        let body = Array(crypt[16...])
        guard body.count % 16 == 0 else { throw SprigError("crypto/cipher: input not full blocks") }
        guard !body.isEmpty else { throw SprigError("runtime error: index out of range [-1]") }
        let plain = try cbc(body, key: aesKey(password), iv: Array(crypt[..<16]), encrypt: false)
        let cut = Int(plain[plain.count - 1])
        guard cut <= plain.count else { throw SprigError("runtime error: slice bounds out of range [:\(plain.count - cut)]") }
        return String(decoding: plain[..<(plain.count - cut)], as: UTF8.self)
    }
}
