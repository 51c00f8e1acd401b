import Foundation
import TetherTemplate

#if canImport(Glibc)
import Glibc
#endif

extension Sprig {
    /// `bcrypt` and `htpasswd`: Go's `bcrypt.GenerateFromPassword` at the default cost (10) with
    /// the `$2a$` prefix, computed by the system's libxcrypt (`libcrypt.so.1`, loaded when first
    /// used). Where that library is absent, the call fails with an error naming it, at the
    /// template's line and column.
    static var bcryptFamily: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        f["bcrypt"] = TemplateFunction([.string]) { a, _ in
            guard case .string(let input) = a[0] else { return .string("") }
            return .string(try BCrypt.sprigHash(input))
        }
        f["htpasswd"] = TemplateFunction([.string, .string]) { a, _ in
            guard case .string(let user) = a[0], case .string(let password) = a[1] else { return .string("") }
            if user.contains(":") { return .string("invalid username: \(user)") }
            return .string(user + ":" + (try BCrypt.sprigHash(password)))
        }
        return f
    }
}

/// bcrypt through libxcrypt's `crypt_gensalt_rn` and `crypt_rn`, found with `dlopen` so that
/// Tether starts and renders every chart that does not hash passwords without the library.
enum BCrypt {
    private typealias GenerateSalt = @convention(c) (
        UnsafePointer<CChar>?, UInt, UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<CChar>?, Int32
    ) -> UnsafeMutablePointer<CChar>?
    private typealias Crypt = @convention(c) (
        UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?, Int32
    ) -> UnsafeMutablePointer<CChar>?

    private struct Library: @unchecked Sendable {
        let generateSalt: GenerateSalt
        let crypt: Crypt
    }

    private static let library: Library? = {
        guard let handle = dlopen("libcrypt.so.1", RTLD_NOW | RTLD_LOCAL),
              let salt = dlsym(handle, "crypt_gensalt_rn"), let crypt = dlsym(handle, "crypt_rn") else { return nil }
        return Library(generateSalt: unsafeBitCast(salt, to: GenerateSalt.self), crypt: unsafeBitCast(crypt, to: Crypt.self))
    }()

    /// Sprig's `bcrypt`: the hash, or Sprig's text for a password bcrypt refuses.
    /// - Throws: `SprigError` when libxcrypt is not installed or fails.
    static func sprigHash(_ password: String) throws(SprigError) -> String {
        if password.utf8.count > 72 {
            return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
        }
        return try hash(password, cost: 10)
    }

    /// A `$2a$` bcrypt hash of `password` with a fresh random salt.
    static func hash(_ password: String, cost: UInt) throws(SprigError) -> String {
        guard let library else {
            throw SprigError("bcrypt needs the system library libcrypt.so.1 (libxcrypt), which is not installed. Install it (Debian: libcrypt1), or set the value in the chart's values instead of hashing it in a template.")
        }
        guard !password.utf8.contains(0) else {
            throw SprigError("bcrypt: the password holds a NUL byte, which libxcrypt cannot hash.")
        }
        var setting = [CChar](repeating: 0, count: 64)
        let saltOK = setting.withUnsafeMutableBufferPointer { buffer in
            library.generateSalt("$2a$", cost, nil, 0, buffer.baseAddress, Int32(buffer.count)) != nil
        }
        guard saltOK else { throw SprigError("bcrypt: libxcrypt could not make a salt (errno \(errno)).") }
        return try crypt(password, setting: String(decoding: setting.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// libxcrypt's `crypt_rn` of `password` with `setting` (a salt, or a whole hash to check a
    /// password against).
    static func crypt(_ password: String, setting: String) throws(SprigError) -> String {
        guard let library else {
            throw SprigError("bcrypt needs the system library libcrypt.so.1 (libxcrypt), which is not installed. Install it (Debian: libcrypt1).")
        }
        // struct crypt_data is 32 KiB in libxcrypt; crypt_rn refuses a smaller area
        let size = 65536
        let data = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { data.deallocate() }
        data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        guard let result = library.crypt(password, setting, data, Int32(size)) else {
            throw SprigError("bcrypt: libxcrypt failed (errno \(errno)).")
        }
        let text = String(cString: result)
        guard text.hasPrefix("$2a$") else { throw SprigError("bcrypt: libxcrypt returned no bcrypt hash.") }
        return text
    }
}
