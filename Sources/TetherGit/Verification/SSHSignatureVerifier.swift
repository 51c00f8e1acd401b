import Foundation

/// Verifies SSH commit signatures with `ssh-keygen -Y`, the same way `git verify-commit` does
/// for `gpg.format = ssh`: find the principals allowed to make the signature in the
/// allowed-signers file, then verify the payload for one of them in the `git` namespace.
struct SSHSignatureVerifier {
    let allowedSignersFile: String
    let sshKeygenPath: String

    /// - Throws: `GitError` `.signature` when the signature is not made by an allowed signer
    ///   or does not verify; `.unsupported` when `ssh-keygen` cannot be run.
    func verify(signature: Data, payload: Data, commit: String, url: String) throws(GitError) {
        try VerificationTool.withTemporaryDirectory(url: url) { (tool) throws(GitError) in
            let signatureFile = try tool.write(signature, to: "commit.sig", url: url)
            let found = tool.run(sshKeygenPath, ["-Y", "find-principals", "-f", allowedSignersFile, "-s", signatureFile], input: Data())
            if found.status == -1 {
                throw GitError(.unsupported, "cannot run '\(sshKeygenPath)' to verify the SSH signature of commit \(commit). Install OpenSSH's ssh-keygen.", url: url)
            }
            let principals = String(decoding: found.output, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
            guard found.status == 0, let principal = principals.first else {
                throw GitError(.signature, "commit \(commit) is signed by an SSH key that is not in the allowed signers file '\(allowedSignersFile)' (--verify-signatures). Add the signer's key or pin a trusted commit.", url: url)
            }
            let verified = tool.run(sshKeygenPath, ["-Y", "verify", "-f", allowedSignersFile, "-I", principal, "-n", "git", "-s", signatureFile], input: payload)
            guard verified.status == 0 else {
                throw GitError(.signature, "the SSH signature of commit \(commit) does not verify for '\(principal)'. The commit may have been altered.", url: url)
            }
        }
    }
}
