import Foundation
import Testing
import TetherTemplate
@testable import TetherHelm

/// Sprig's key and certificate generators. Their output is random (in Helm too), so these
/// tests check structure, read back by the `openssl` command (an independent parser):
/// subject, issuer, SANs, validity, extensions, key type and size, that the certificate holds
/// the returned key's public half, and that a signed certificate verifies against its CA.
@Suite("Sprig certificates and keys (structure, read by openssl)")
struct SprigCertificateTests {
    static let openssl: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static func render(_ text: String) throws -> String {
        var set = TemplateSet(name: "gotpl", functions: TemplateFunctionTable(Sprig.functions()), options: TemplateOptions(missingKey: .zero))
        try set.parse(text, name: "t")
        return try set.execute("t", data: .map([:]))
    }

    /// Runs openssl with `files` written to a scratch directory (named in `args` as `@NAME`).
    static func run(_ args: [String], files: [String: String] = [:]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sprig-x509-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(openssl))
        process.arguments = args.map { $0.hasPrefix("@") ? dir.appendingPathComponent(String($0.dropFirst())).path : $0 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func dates(_ cert: String) throws -> (Date, Date) {
        let text = try run(["x509", "-noout", "-startdate", "-enddate", "-in", "@c.pem"], files: ["c.pem": cert])
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "MMM d HH:mm:ss yyyy zzz"
        func date(_ key: String) throws -> Date {
            let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(key + "=") })
            let value = line.dropFirst(key.count + 1).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            return try #require(formatter.date(from: value), "\(line)")
        }
        return (try date("notBefore"), try date("notAfter"))
    }

    static func publicKey(ofCertificate cert: String) throws -> String {
        try run(["x509", "-noout", "-pubkey", "-in", "@c.pem"], files: ["c.pem": cert])
    }

    static func publicKey(ofKey key: String) throws -> String {
        try run(["pkey", "-pubout", "-in", "@k.pem"], files: ["k.pem": key])
    }

    @Test("genCA: a 2048-bit RSA CA named by its CN, valid for the days asked, Go's extensions",
          .enabled(if: openssl != nil, "the openssl command is absent"))
    func authority() throws {
        let out = try Self.render(#"{{ $ca := genCA "my-ca" 365 }}{{ typeOf $ca }}|{{ $ca.Cert }}|{{ $ca.Key }}"#)
        let parts = out.split(separator: "|").map(String.init)
        try #require(parts.count == 3)
        #expect(parts[0] == "sprig.certificate")
        let (cert, key) = (parts[1], parts[2])
        #expect(cert.hasPrefix("-----BEGIN CERTIFICATE-----\n") && cert.hasSuffix("-----END CERTIFICATE-----\n"))
        #expect(key.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n"))
        let text = try Self.run(["x509", "-noout", "-text", "-in", "@c.pem"], files: ["c.pem": cert])
        #expect(text.contains("Version: 3 (0x2)"))
        #expect(text.contains("Issuer: CN = my-ca"))
        #expect(text.contains("Subject: CN = my-ca"))
        #expect(text.contains("sha256WithRSAEncryption"))
        #expect(text.contains("Public-Key: (2048 bit)"))
        #expect(text.contains("X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment, Certificate Sign"))
        #expect(text.contains("X509v3 Extended Key Usage: \n                TLS Web Server Authentication, TLS Web Client Authentication"))
        #expect(text.contains("X509v3 Basic Constraints: critical\n                CA:TRUE"))
        #expect(text.contains("X509v3 Subject Key Identifier"))
        #expect(!text.contains("Subject Alternative Name"))
        let (from, to) = try Self.dates(cert)
        #expect(abs(from.timeIntervalSinceNow) < 300)
        #expect(to.timeIntervalSince(from) == 365 * 86400)
        #expect(try Self.publicKey(ofCertificate: cert) == Self.publicKey(ofKey: key))
        #expect(try Self.run(["rsa", "-noout", "-check", "-in", "@k.pem"], files: ["k.pem": key]).contains("RSA key ok"))
    }

    @Test("genSignedCert: DNS then IP SANs, issued by the CA, verifies against it; not a CA",
          .enabled(if: openssl != nil, "the openssl command is absent"))
    func signed() throws {
        let out = try Self.render(#"""
            {{- $ca := genCA "the-ca" 30 -}}
            {{- $c := genSignedCert "svc.ns" (list "10.0.0.1" "::1") (list "svc" "svc.ns.svc") 7 $ca -}}
            {{ $ca.Cert }}|{{ $c.Cert }}|{{ $c.Key }}
            """#)
        let parts = out.split(separator: "|").map(String.init)
        try #require(parts.count == 3)
        let (ca, cert, key) = (parts[0], parts[1], parts[2])
        let text = try Self.run(["x509", "-noout", "-text", "-in", "@c.pem"], files: ["c.pem": cert])
        #expect(text.contains("Issuer: CN = the-ca"))
        #expect(text.contains("Subject: CN = svc.ns"))
        #expect(text.contains("DNS:svc, DNS:svc.ns.svc, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1"))
        #expect(text.contains("X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment\n"))
        #expect(text.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"))
        #expect(text.contains("X509v3 Authority Key Identifier"))
        let (from, to) = try Self.dates(cert)
        #expect(to.timeIntervalSince(from) == 7 * 86400)
        #expect(try Self.publicKey(ofCertificate: cert) == Self.publicKey(ofKey: key))
        let verified = try Self.run(["verify", "-CAfile", "@ca.pem", "@c.pem"], files: ["ca.pem": ca, "c.pem": cert])
        #expect(verified.hasSuffix(": OK\n"), "\(verified)")
    }

    @Test("genSelfSignedCert and genSelfSignedCertWithKey: subject is issuer; the given key is used",
          .enabled(if: openssl != nil, "the openssl command is absent"))
    func selfSigned() throws {
        let out = try Self.render(#"""
            {{- $c := genSelfSignedCert "metrics" nil (list "metrics.ns.svc") 10 -}}
            {{- $k := genPrivateKey "ecdsa" -}}
            {{- $e := genSelfSignedCertWithKey "ec" nil nil 1 $k -}}
            {{ $c.Cert }}|{{ $e.Cert }}|{{ $e.Key }}|{{ $k }}
            """#)
        let parts = out.split(separator: "|").map(String.init)
        try #require(parts.count == 4)
        let text = try Self.run(["x509", "-noout", "-text", "-in", "@c.pem"], files: ["c.pem": parts[0]])
        #expect(text.contains("Issuer: CN = metrics") && text.contains("Subject: CN = metrics"))
        #expect(text.contains("DNS:metrics.ns.svc"))
        #expect(!text.contains("Subject Key Identifier"))
        let ec = try Self.run(["x509", "-noout", "-text", "-in", "@c.pem"], files: ["c.pem": parts[1]])
        #expect(ec.contains("ecdsa-with-SHA256") && ec.contains("prime256v1"))
        #expect(parts[2] == parts[3])
        #expect(try Self.publicKey(ofCertificate: parts[1]) == Self.publicKey(ofKey: parts[3]))
    }

    @Test("genPrivateKey: Sprig's key types and PEM blocks; an unknown type is answered as text",
          .enabled(if: openssl != nil, "the openssl command is absent"))
    func privateKeys() throws {
        let rsa = try Self.render(#"{{ genPrivateKey "rsa" }}"#)
        #expect(rsa.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n"))
        #expect(try Self.run(["pkey", "-noout", "-text", "-in", "@k.pem"], files: ["k.pem": rsa]).contains("Private-Key: (4096 bit, 2 primes)"))
        let ec = try Self.render(#"{{ genPrivateKey "ecdsa" }}"#)
        #expect(ec.hasPrefix("-----BEGIN EC PRIVATE KEY-----\n"))
        #expect(try Self.run(["pkey", "-noout", "-text", "-in", "@k.pem"], files: ["k.pem": ec]).contains("ASN1 OID: prime256v1"))
        let ed = try Self.render(#"{{ genPrivateKey "ed25519" }}"#)
        #expect(ed.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(try Self.run(["pkey", "-noout", "-text", "-in", "@k.pem"], files: ["k.pem": ed]).contains("ED25519 Private-Key"))
        let dsa = try Self.render(#"{{ genPrivateKey "dsa" }}"#)
        #expect(dsa.hasPrefix("-----BEGIN DSA PRIVATE KEY-----\n"))
        #expect(try Self.run(["pkey", "-noout", "-text", "-in", "@k.pem"], files: ["k.pem": dsa]).contains("Private-Key: (2048 bit)"))
        #expect(try Self.render(#"{{ genPrivateKey "rsa3" }}"#) == "Unknown type rsa3")
    }

    @Test("buildCustomCert takes base64 PEM back as it was; bad input fails with Sprig's text")
    func customCert() throws {
        let out = try Self.render(#"""
            {{- $ca := genCA "x" 1 -}}
            {{- $b := buildCustomCert ($ca.Cert | b64enc) ($ca.Key | b64enc) -}}
            {{ eq $b.Cert $ca.Cert }} {{ eq $b.Key $ca.Key }} {{ typeOf $b }}
            """#)
        #expect(out == "true true sprig.certificate")
        #expect(throws: (any Error).self) { try Self.render(#"{{ buildCustomCert "!!" "" }}"#) }
        do {
            _ = try Self.render(#"{{ buildCustomCert ("junk" | b64enc) ("junk" | b64enc) }}"#)
            Issue.record("junk was accepted")
        } catch {
            #expect("\(error)".contains("error calling buildCustomCert: unable to decode certificate"), "\(error)")
        }
    }

    @Test("bad SAN entries fail as Sprig's getNetIPs / getAlternateDNSStrs do")
    func badNames() {
        func message(_ text: String) -> String {
            do { return try Self.render(text) } catch { return "\(error)" }
        }
        #expect(message(#"{{ genSelfSignedCert "x" (list 1) nil 1 }}"#).contains("error calling genSelfSignedCert: error parsing ip: 1 is not a string"))
        #expect(message(#"{{ genSelfSignedCert "x" (list "300.1.1.1") nil 1 }}"#).contains("error parsing ip: 300.1.1.1"))
        #expect(message(#"{{ genSelfSignedCert "x" nil (list true) 1 }}"#).contains("error processing alternate dns name: true is not a string"))
    }

    @Test("getHostByName answers the empty string, as Helm without --enable-dns")
    func hostByName() throws {
        #expect(try Self.render(#"[{{ getHostByName "helm.sh" }}]"#) == "[]")
    }
}
