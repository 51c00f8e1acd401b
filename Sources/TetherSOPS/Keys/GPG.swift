import Foundation

/// Decrypts PGP-wrapped data keys through `gpg` in a throw-away keyring.
///
/// Every call makes a fresh `GNUPGHOME` (mode 0700) under the temporary directory, imports
/// only the configured secret keys, decrypts the one message given on standard input, stops
/// the keyring's agent and removes the directory, so the user's own keyring is never read
/// or changed.
enum GPG {
    /// The plaintext of an OpenPGP message, or `nil` when none of the keys opens it.
    /// - Throws: `SOPSError` (`.keyTool`) when `gpg` is not installed or the keys do not import.
    static func decrypt(_ message: String, secretKeys: [[UInt8]]) throws(SOPSError) -> [UInt8]? {
        guard let gpg = executable("gpg") else {
            throw SOPSError(.keyTool, "the data key is PGP-wrapped, and decrypting it needs gpg, which is not on PATH. Install gnupg, or encrypt the file for an age recipient.")
        }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tether-gnupg-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SOPSError(.keyTool, "cannot create a temporary GNUPGHOME", cause: error)
        }
        defer {
            if let gpgconf = executable("gpgconf") { _ = try? run(gpgconf, ["--kill", "gpg-agent"], home: home, stdin: []) }
            try? FileManager.default.removeItem(at: home)
        }
        for key in secretKeys {
            let imported = try run(gpg, ["--batch", "--quiet", "--import"], home: home, stdin: key)
            guard imported.status == 0 else {
                throw SOPSError(.keyTool, "gpg could not import a PGP secret key (exit \(imported.status)). Check that the key file is an OpenPGP secret key without a passphrase.")
            }
        }
        let result = try run(
            gpg, ["--batch", "--quiet", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", "", "--decrypt"],
            home: home, stdin: Array(message.utf8))
        return result.status == 0 ? result.stdout : nil
    }

    private static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func run(_ tool: String, _ arguments: [String], home: URL, stdin: [UInt8]) throws(SOPSError) -> (status: Int32, stdout: [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--homedir", home.path] + arguments
        var env = ProcessInfo.processInfo.environment
        env["GNUPGHOME"] = home.path
        process.environment = env
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw SOPSError(.keyTool, "cannot start \(tool)", cause: error)
        }
        // Write on another thread: a large key could fill the pipe while gpg waits to write.
        let writer = input.fileHandleForWriting
        let data = Data(stdin)
        let thread = Thread {
            writer.write(data)
            try? writer.close()
        }
        thread.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, Array(out))
    }
}
