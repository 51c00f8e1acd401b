import TetherModel
import TetherTemplate

/// Sprig's key and certificate generators (crypto.go): `genPrivateKey`, `genCA`,
/// `genCAWithKey`, `genSelfSignedCert`, `genSelfSignedCertWithKey`, `genSignedCert`,
/// `genSignedCertWithKey`, `buildCustomCert`. Their output is random in Helm too (new keys,
/// serials and validity from the current time); the structure is Go's (see ``SprigX509``).
extension Sprig {
    static var certificates: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        let list = TemplateType.slice(.any)
        let cert = TemplateType.named(SprigCertificate.goTypeName)
        // genPrivateKey returns a string in Go: failures come back as the text.
        f["genPrivateKey"] = TemplateFunction([.string]) { a, _ in
            do { return .string(SprigX509.pem(try SprigX509.generateKey(str(a, 0)))) } catch { return .string("\(error)") }
        }
        f["genCA"] = TemplateFunction([.string, .int]) { a, _ in
            let key = try rsaKey()
            return try authority(str(a, 0), days: int(a, 1), key: key)
        }
        f["genCAWithKey"] = TemplateFunction([.string, .int, .string]) { a, _ in
            let key = try parsedKey(str(a, 2))
            return try authority(str(a, 0), days: int(a, 1), key: key)
        }
        f["genSelfSignedCert"] = TemplateFunction([.string, list, list, .int]) { a, _ in
            try selfSigned(a, key: try rsaKey())
        }
        f["genSelfSignedCertWithKey"] = TemplateFunction([.string, list, list, .int, .string]) { a, _ in
            try selfSigned(a, key: try parsedKey(str(a, 4)))
        }
        f["genSignedCert"] = TemplateFunction([.string, list, list, .int, cert]) { a, _ in
            try signed(a, key: try rsaKey())
        }
        f["genSignedCertWithKey"] = TemplateFunction([.string, list, list, .int, cert, .string]) { a, _ in
            try signed(a, key: try parsedKey(str(a, 5)))
        }
        f["buildCustomCert"] = TemplateFunction([.string, .string]) { a, _ in
            guard let certBytes = Base64.decode(str(a, 0)) else { throw SprigError("unable to decode base64 certificate") }
            guard let keyBytes = Base64.decode(str(a, 1)) else { throw SprigError("unable to decode base64 private key") }
            let certText = String(decoding: certBytes, as: UTF8.self), keyText = String(decoding: keyBytes, as: UTF8.self)
            _ = try SprigX509.parseCertificate(certText, what: "decodedCert.Bytes")
            do { _ = try SprigX509.parseKey(keyText) } catch { throw SprigError("error parsing private key: \(error)") }
            return .object(SprigCertificate(cert: certText, key: keyText))
        }
        return f
    }

    private static func rsaKey() throws -> SprigX509.Key {
        do { return try SprigX509.generateKey("rsa", rsaBits: 2048) } catch { throw SprigError("error generating rsa key: \(error)") }
    }

    private static func parsedKey(_ text: String) throws -> SprigX509.Key {
        do { return try SprigX509.parseKey(text) } catch { throw SprigError("parsing private key: \(error)") }
    }

    private static func authority(_ cn: String, days: Int, key: SprigX509.Key) throws -> TemplateValue {
        let pem = try SprigX509.certificate(.init(commonName: cn, days: days, isCA: true), subjectKey: key, issuer: nil)
        return .object(SprigCertificate(cert: pem, key: SprigX509.pem(key)))
    }

    private static func selfSigned(_ a: [TemplateValue], key: SprigX509.Key) throws -> TemplateValue {
        let template = SprigX509.Template(commonName: str(a, 0), ips: a[1].listValue ?? [], dnsNames: a[2].listValue ?? [], days: int(a, 3))
        let pem = try SprigX509.certificate(template, subjectKey: key, issuer: nil)
        return .object(SprigCertificate(cert: pem, key: SprigX509.pem(key)))
    }

    private static func signed(_ a: [TemplateValue], key: SprigX509.Key) throws -> TemplateValue {
        guard case .object(let object) = a[4], let ca = object as? SprigCertificate else {
            throw SprigError("wrong type for value; expected \(SprigCertificate.goTypeName)")
        }
        let caCert = try SprigX509.parseCertificate(ca.cert, what: "decodedSignerCert.Bytes")
        let caKey: SprigX509.Key
        do { caKey = try SprigX509.parseKey(ca.key) } catch { throw SprigError("error parsing private key: \(error)") }
        let template = SprigX509.Template(commonName: str(a, 0), ips: a[1].listValue ?? [], dnsNames: a[2].listValue ?? [], days: int(a, 3))
        let pem = try SprigX509.certificate(template, subjectKey: key, issuer: (caCert, caKey))
        return .object(SprigCertificate(cert: pem, key: SprigX509.pem(key)))
    }
}

/// Sprig's `certificate` struct: `.Cert` and `.Key`, PEM text.
struct SprigCertificate: TemplateObject, Equatable {
    static let goTypeName = "sprig.certificate"
    var cert: String
    var key: String
    var typeName: String { Self.goTypeName }
    func member(named name: String) -> TemplateMember? {
        switch name {
        case "Cert": return .field(.string(cert))
        case "Key": return .field(.string(key))
        default: return nil
        }
    }
    var formatted: String { "{\(cert) \(key)}" }
    func isEqual(to other: any TemplateObject) -> Bool? { (other as? SprigCertificate).map { $0 == self } }
}
