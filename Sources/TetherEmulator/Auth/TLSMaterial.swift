import Foundation
import NIOSSL

/// The files of `--tls DIR`: a CA, a server certificate for 127.0.0.1,
/// ::1 and localhost, and an admin client certificate (CN
/// `kubernetes-admin`, O `system:masters`), all signed by the CA, plus the
/// kubeconfig that uses them. Made with the `openssl` command when missing,
/// kept when present, so clients configured once keep working.
struct TLSMaterial {
    let directory: URL

    var caCertificate: String { path("ca.crt") }
    var caKey: String { path("ca.key") }
    var serverCertificate: String { path("server.crt") }
    var serverKey: String { path("server.key") }
    var clientCertificate: String { path("admin.crt") }
    var clientKey: String { path("admin.key") }
    var kubeconfig: String { path("kubeconfig") }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Creates whichever of the CA, server and client certificates is missing.
    ///
    /// - Throws: `EmulatorError` `.configuration` when the directory cannot
    ///   be made or `openssl` fails.
    func ensure() throws(EmulatorError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw EmulatorError(.configuration, "\(directory.path): cannot create the TLS directory: \(error.localizedDescription)")
        }
        let exists = { (file: String) in FileManager.default.fileExists(atPath: file) }
        var fresh = false
        if !exists(caCertificate) || !exists(caKey) {
            try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                         "-keyout", caKey, "-out", caCertificate, "-days", "3650", "-subj", "/CN=tether-emulator-ca",
                         "-addext", "basicConstraints=critical,CA:TRUE",
                         "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"])
            fresh = true
        }
        if fresh || !exists(serverCertificate) || !exists(serverKey) {
            try sign(key: serverKey, certificate: serverCertificate, subject: "/CN=tether-emulator", extensions: """
                basicConstraints=critical,CA:FALSE
                keyUsage=critical,digitalSignature,keyEncipherment
                extendedKeyUsage=serverAuth
                subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost
                """)
        }
        if fresh || !exists(clientCertificate) || !exists(clientKey) {
            try sign(key: clientKey, certificate: clientCertificate, subject: "/O=system:masters/CN=kubernetes-admin",
                     extensions: """
                basicConstraints=critical,CA:FALSE
                keyUsage=critical,digitalSignature,keyEncipherment
                extendedKeyUsage=clientAuth
                """)
        }
        for key in [caKey, serverKey, clientKey] {
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        }
    }

    /// The server side of TLS: the server certificate, and client
    /// certificates verified against the CA when presented (a bearer token
    /// may stand in for one).
    func serverConfiguration() throws(EmulatorError) -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(serverCertificate).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: serverKey, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caCertificate))
            configuration.certificateVerification = .optionalVerification
            return configuration
        } catch {
            throw EmulatorError(.configuration, "\(directory.path): cannot load the TLS certificates: \(error). Remove the directory to have them made anew.")
        }
    }

    /// Writes `DIR/kubeconfig` for `https://address` with the CA and the admin certificate inline, as kind does.
    func writeKubeconfig(address: String) throws(EmulatorError) {
        func base64(_ file: String) throws(EmulatorError) -> String {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw EmulatorError(.configuration, "\(file): cannot read it to write the kubeconfig")
            }
            return data.base64EncodedString()
        }
        let text = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: tether-emulator
              cluster:
                server: https://\(address)
                certificate-authority-data: \(try base64(caCertificate))
            contexts:
            - name: tether-emulator
              context:
                cluster: tether-emulator
                user: kubernetes-admin
            current-context: tether-emulator
            users:
            - name: kubernetes-admin
              user:
                client-certificate-data: \(try base64(clientCertificate))
                client-key-data: \(try base64(clientKey))

            """
        do {
            try text.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: kubeconfig)
        } catch {
            throw EmulatorError(.configuration, "\(kubeconfig): cannot write the kubeconfig: \(error.localizedDescription)")
        }
    }

    private func sign(key: String, certificate: String, subject: String, extensions: String) throws(EmulatorError) {
        let request = certificate + ".csr", extFile = certificate + ".ext"
        defer {
            try? FileManager.default.removeItem(atPath: request)
            try? FileManager.default.removeItem(atPath: extFile)
        }
        try openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", key, "-out", request, "-subj", subject])
        do {
            try extensions.write(toFile: extFile, atomically: true, encoding: .utf8)
        } catch {
            throw EmulatorError(.configuration, "\(extFile): cannot write: \(error.localizedDescription)")
        }
        try openssl(["x509", "-req", "-in", request, "-CA", caCertificate, "-CAkey", caKey, "-set_serial",
                     String(UInt32.random(in: 1...UInt32.max)), "-days", "3650", "-extfile", extFile, "-out", certificate])
    }

    private func openssl(_ arguments: [String]) throws(EmulatorError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw EmulatorError(.configuration, "cannot run openssl to create the TLS files: \(error.localizedDescription). Install openssl.")
        }
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw EmulatorError(.configuration, "\(directory.path): openssl \(arguments.first ?? "") failed: "
                + String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
