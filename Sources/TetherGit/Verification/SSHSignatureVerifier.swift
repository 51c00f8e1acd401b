import Foundation

/// Verifies SSH commit signatures with `ssh-keygen -Y`, the same way `git verify-commit` does
/// for `gpg.format = ssh`: find the principals allowed to make the signature in the
/// allowed-signers file, then verify the payload for one of them in the `git` namespace.
///
/// libgit2 has no signature verifier, so this runs `ssh-keygen` as a subprocess; it is the
/// only subprocess in `TetherGit`. GPG signatures are refused (not supported).
struct SSHSignatureVerifier {
    let policy: GitSignaturePolicy

    /// - Throws: `GitError` `.signature` when the signature is not SSH, not made by an allowed
    ///   signer, or does not verify.
    func verify(signature: Data, payload: Data, commit: String, url: String) throws(GitError) {
        guard String(decoding: signature, as: UTF8.self).hasPrefix("-----BEGIN SSH SIGNATURE-----") else {
            throw GitError(.signature, "commit \(commit) has a non-SSH (GPG) signature, which Tether cannot verify. Sign with an SSH key.", url: url)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-sig-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let signatureFile = directory.appendingPathComponent("commit.sig")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try signature.write(to: signatureFile)
        } catch {
            throw GitError(.diskWrite, "cannot write a temporary signature file: \(error.localizedDescription).", url: url, cause: error)
        }
        let found = run(["-Y", "find-principals", "-f", policy.allowedSignersFile, "-s", signatureFile.path], input: Data())
        let principals = String(decoding: found.output, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        guard found.status == 0, let principal = principals.first else {
            throw GitError(.signature, "commit \(commit) is signed by a key that is not in the allowed signers file '\(policy.allowedSignersFile)'. Add the signer's key or pin a trusted commit.", url: url)
        }
        let verified = run(["-Y", "verify", "-f", policy.allowedSignersFile, "-I", principal, "-n", "git", "-s", signatureFile.path], input: payload)
        guard verified.status == 0 else {
            throw GitError(.signature, "the SSH signature of commit \(commit) does not verify for '\(principal)'. The commit may have been altered.", url: url)
        }
    }

    private func run(_ arguments: [String], input: Data) -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: policy.sshKeygenPath)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, Data()) }
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
