import COpenSSL
import TetherModel
import TetherTemplate
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keys and X.509 certificates as Sprig's crypto.go makes them with Go's `crypto/x509`, built
/// with OpenSSL: the same key types and PEM blocks (`RSA PRIVATE KEY` PKCS#1, `EC PRIVATE KEY`,
/// `DSA PRIVATE KEY`, `PRIVATE KEY` PKCS#8 for Ed25519), and certificates with Go's template:
/// v3, a random serial below 2^128, subject CN only, valid from now for `days` days,
/// key usage digitalSignature+keyEncipherment (+keyCertSign for a CA, critical), extended
/// key usage serverAuth+clientAuth, basic constraints (critical), DNS then IP SANs, a subject
/// key identifier on a CA and the issuer's as authority key identifier on a signed
/// certificate, signed with SHA-256 (RSA, ECDSA) or Ed25519.
enum SprigX509 {
    /// An owned `EVP_PKEY`.
    final class Key {
        let pointer: OpaquePointer
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
        deinit { EVP_PKEY_free(pointer) }
        var type: Int32 { EVP_PKEY_get_base_id(pointer) }
    }

    /// An owned `X509`.
    final class Certificate {
        let pointer: OpaquePointer
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
        deinit { X509_free(pointer) }
    }

    // MARK: keys

    /// A new key of Sprig's `genPrivateKey` type (`rsa` 4096 bits, `dsa` L2048N256, `ecdsa`
    /// P-256, `ed25519`); `rsaBits` for the certificate functions' 2048-bit RSA keys.
    static func generateKey(_ type: String, rsaBits: Int32 = 4096) throws -> Key {
        switch type {
        case "", "rsa":
            return try keygen(EVP_PKEY_RSA) { EVP_PKEY_CTX_set_rsa_keygen_bits($0, rsaBits) }
        case "ecdsa":
            return try keygen(EVP_PKEY_EC) { EVP_PKEY_CTX_set_ec_paramgen_curve_nid($0, NID_X9_62_prime256v1) }
        case "ed25519":
            return try keygen(EVP_PKEY_ED25519) { _ in 1 }
        case "dsa":
            guard let pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_DSA, nil) else { throw SprigError("failed to generate dsa params: no context") }
            defer { EVP_PKEY_CTX_free(pctx) }
            var params: OpaquePointer?
            guard EVP_PKEY_paramgen_init(pctx) == 1, EVP_PKEY_CTX_set_dsa_paramgen_bits(pctx, 2048) == 1,
                  EVP_PKEY_CTX_set_dsa_paramgen_q_bits(pctx, 256) == 1, EVP_PKEY_paramgen(pctx, &params) == 1, let params
            else { throw SprigError("failed to generate dsa params: \(openSSLError())") }
            defer { EVP_PKEY_free(params) }
            guard let kctx = EVP_PKEY_CTX_new(params, nil) else { throw SprigError("failed to generate private key: no context") }
            defer { EVP_PKEY_CTX_free(kctx) }
            var key: OpaquePointer?
            guard EVP_PKEY_keygen_init(kctx) == 1, EVP_PKEY_keygen(kctx, &key) == 1, let key else {
                throw SprigError("failed to generate private key: \(openSSLError())")
            }
            return Key(key)
        default:
            throw SprigError("Unknown type " + type)
        }
    }

    private static func keygen(_ id: Int32, _ configure: (OpaquePointer) -> Int32) throws -> Key {
        guard let ctx = EVP_PKEY_CTX_new_id(id, nil) else { throw SprigError("failed to generate private key: no context") }
        defer { EVP_PKEY_CTX_free(ctx) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, configure(ctx) == 1, EVP_PKEY_keygen(ctx, &key) == 1, let key else {
            throw SprigError("failed to generate private key: \(openSSLError())")
        }
        return Key(key)
    }

    /// The key as Sprig's `pemBlockForKey` prints it.
    static func pem(_ key: Key) -> String {
        let der = der { i2d_PrivateKey(key.pointer, $0) }
        let type: String
        switch key.type {
        case EVP_PKEY_RSA: type = "RSA PRIVATE KEY"
        case EVP_PKEY_EC: type = "EC PRIVATE KEY"
        case EVP_PKEY_DSA: type = "DSA PRIVATE KEY"
        default: type = "PRIVATE KEY"
        }
        return pemBlock(type, der)
    }

    /// Sprig's `parsePrivateKeyPEM`, with its error texts.
    static func parseKey(_ text: String) throws -> Key {
        guard let (type, der) = pemDecode(text) else { throw SprigError("no PEM data in input") }
        let kind: String
        if type == "PRIVATE KEY" {
            kind = "PKCS#8"
        } else if type.hasSuffix(" PRIVATE KEY") {
            kind = String(type.dropLast(" PRIVATE KEY".count))
            guard ["RSA", "EC", "DSA"].contains(kind) else { throw SprigError("invalid private key type \(type)") }
        } else {
            throw SprigError("no private key data in PEM block of type \(type)")
        }
        let key: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var p = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &p, buffer.count)
        }
        guard let key else {
            switch kind {
            case "PKCS#8": throw SprigError("decoding PEM as PKCS#8: \(openSSLError())")
            default: throw SprigError("parsing \(kind) private key from PEM: \(openSSLError())")
            }
        }
        return Key(key)
    }

    // MARK: certificates

    /// What a certificate is made of (Sprig's `getBaseCertTemplate`, with `IsCA` for genCA).
    struct Template {
        var commonName: String
        var ips: [TemplateValue] = []
        var dnsNames: [TemplateValue] = []
        var days: Int
        var isCA = false
    }

    /// Go's `x509.CreateCertificate` of `template` for `subjectKey`, signed by `issuer` (its
    /// certificate and key), or self-signed when `issuer` is `nil`; returns the PEM text.
    static func certificate(_ template: Template, subjectKey: Key, issuer: (Certificate, Key)?) throws -> String {
        // Sprig checks the names before making anything, with these messages.
        var ips: [String] = []
        for ip in template.ips {
            guard let text = ip.stringValue else { throw SprigError("error parsing ip: \(GoFormat.string(ip)) is not a string") }
            guard isIPAddress(text) else { throw SprigError("error parsing ip: \(text)") }
            ips.append(text)
        }
        var dnsNames: [String] = []
        for name in template.dnsNames {
            guard let text = name.stringValue else {
                throw SprigError("error processing alternate dns name: \(GoFormat.string(name)) is not a string")
            }
            dnsNames.append(text)
        }
        let signingKey = issuer?.1 ?? subjectKey
        guard subjectKey.type != EVP_PKEY_DSA else {
            throw SprigError("error creating certificate: x509: unsupported public key type: *dsa.PublicKey")
        }
        guard signingKey.type != EVP_PKEY_DSA else {
            throw SprigError("error creating certificate: x509: certificate private key does not implement crypto.Signer")
        }
        guard let x = X509_new() else { throw SprigError("error creating certificate: out of memory") }
        let cert = Certificate(x)
        var ok = X509_set_version(x, 2) == 1
        // Serial: uniform below 2^128, as rand.Int(rand.Reader, 1<<128).
        if let bn = BN_new() {
            defer { BN_free(bn) }
            ok = ok && BN_rand(bn, 128, -1, 0) == 1 && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != nil
        } else {
            ok = false
        }
        ok = ok && X509_gmtime_adj(X509_getm_notBefore(x), 0) != nil
        ok = ok && X509_time_adj_ex(X509_getm_notAfter(x), Int32(clamping: template.days), 0, nil) != nil
        if let name = X509_get_subject_name(x), !template.commonName.isEmpty {
            ok = ok && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, template.commonName, -1, -1, 0) == 1
        }
        if let (issuerCert, _) = issuer {
            ok = ok && X509_set_issuer_name(x, X509_get_subject_name(issuerCert.pointer)) == 1
        } else {
            ok = ok && X509_set_issuer_name(x, X509_get_subject_name(x)) == 1
        }
        ok = ok && X509_set_pubkey(x, subjectKey.pointer) == 1
        guard ok else { throw SprigError("error creating certificate: \(openSSLError())") }

        var ctx = X509V3_CTX()
        X509V3_set_ctx(&ctx, issuer?.0.pointer ?? x, x, nil, nil, 0)
        var extensions: [(Int32, String)] = [
            (NID_key_usage, template.isCA ? "critical,digitalSignature,keyEncipherment,keyCertSign" : "critical,digitalSignature,keyEncipherment"),
            (NID_ext_key_usage, "serverAuth,clientAuth"),
            (NID_basic_constraints, template.isCA ? "critical,CA:TRUE" : "critical,CA:FALSE"),
        ]
        if template.isCA { extensions.append((NID_subject_key_identifier, "hash")) }
        if let (issuerCert, _) = issuer, X509_get_ext_by_NID(issuerCert.pointer, NID_subject_key_identifier, -1) >= 0 {
            extensions.append((NID_authority_key_identifier, "keyid:always"))
        }
        let sans = dnsNames.map { "DNS:" + $0 } + ips.map { "IP:" + $0 }
        if !sans.isEmpty {
            extensions.append((NID_subject_alt_name, (template.commonName.isEmpty ? "critical," : "") + sans.joined(separator: ",")))
        }
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_conf_nid(nil, &ctx, nid, value) else {
                throw SprigError("error creating certificate: \(openSSLError())")
            }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(x, ext, -1) == 1 else { throw SprigError("error creating certificate: \(openSSLError())") }
        }
        let digest = signingKey.type == EVP_PKEY_ED25519 ? nil : EVP_sha256()
        guard X509_sign(x, signingKey.pointer, digest) > 0 else {
            throw SprigError("error creating certificate: \(openSSLError())")
        }
        return pem(cert)
    }

    /// The certificate as `pem.Encode` prints a `CERTIFICATE` block.
    static func pem(_ cert: Certificate) -> String {
        pemBlock("CERTIFICATE", der { i2d_X509(cert.pointer, $0) })
    }

    /// The DER bytes an OpenSSL `i2d_*` function writes: called once for the length, once to fill.
    private static func der(_ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Int(max(0, encode(nil))))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var p = buffer.baseAddress
            _ = encode(&p)
        }
        return bytes
    }

    /// The first PEM block's certificate, with Sprig's messages.
    static func parseCertificate(_ text: String, what: String) throws -> Certificate {
        guard let (_, der) = pemDecode(text) else { throw SprigError("unable to decode certificate") }
        let x: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var p = buffer.baseAddress
            return d2i_X509(nil, &p, buffer.count)
        }
        guard let x else { throw SprigError("error parsing certificate: \(what): \(openSSLError())") }
        return Certificate(x)
    }

    // MARK: PEM

    static func pemBlock(_ type: String, _ der: [UInt8]) -> String {
        let body = Array(Base64.encode(der).utf8)
        var out = "-----BEGIN \(type)-----\n"
        var i = 0
        while i < body.count {
            out += String(decoding: body[i..<min(i + 64, body.count)], as: UTF8.self) + "\n"
            i += 64
        }
        return out + "-----END \(type)-----\n"
    }

    /// Go's `pem.Decode` of the first block (headers are not supported and make it fail).
    static func pemDecode(_ text: String) -> (type: String, der: [UInt8])? {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        guard let start = lines.firstIndex(where: { $0.hasPrefix("-----BEGIN ") && $0.hasSuffix("-----") }) else { return nil }
        let type = String(lines[start].dropFirst("-----BEGIN ".count).dropLast(5))
        var body = ""
        for line in lines[(start + 1)...] {
            if line == "-----END \(type)-----" {
                guard let der = Base64.decode(body) else { return nil }
                return (type, der)
            }
            body += line.filter { $0 != " " && $0 != "\t" }
        }
        return nil
    }

    // MARK: helpers

    /// Go's `net.ParseIP` acceptance: dotted IPv4 or an IPv6 text.
    static func isIPAddress(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }

    /// The oldest OpenSSL error, as text; clears the queue.
    static func openSSLError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "unknown OpenSSL error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
