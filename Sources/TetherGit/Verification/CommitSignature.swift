import Foundation

/// Verifies a commit signature by its kind, as `git verify-commit` does: SSH signatures
/// with `ssh-keygen -Y` against the allowed-signers file, OpenPGP signatures with `gpgv`
/// against the keyring. A kind whose file the policy does not give, and X.509 (`gpgsm`)
/// signatures, are refused.
struct CommitSignature {
    let policy: GitSignaturePolicy

    /// - Throws: `GitError` `.signature` when the signature is of a kind that cannot be
    ///   checked, not made by a trusted key, or does not verify; `.unsupported` when the
    ///   verifier cannot be run.
    func verify(signature: Data, payload: Data, commit: String, url: String) throws(GitError) {
        let armor = String(decoding: signature.prefix(64), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if armor.hasPrefix("-----BEGIN SSH SIGNATURE-----") {
            guard let file = policy.allowedSignersFile else {
                throw GitError(.signature, "commit \(commit) has an SSH signature, and no allowed signers file was given to check it. Pass --verify-signatures ALLOWED_SIGNERS.", url: url)
            }
            try SSHSignatureVerifier(allowedSignersFile: file, sshKeygenPath: policy.sshKeygenPath)
                .verify(signature: signature, payload: payload, commit: commit, url: url)
        } else if armor.hasPrefix("-----BEGIN PGP SIGNATURE-----") {
            guard let file = policy.keyringFile else {
                throw GitError(.signature, "commit \(commit) has an OpenPGP signature, and no keyring was given to check it. Pass --verify-keyring KEYRING (a gpg --export of the trusted keys).", url: url)
            }
            try OpenPGPSignatureVerifier(keyringFile: file, gpgvPath: policy.gpgvPath)
                .verify(signature: signature, payload: payload, commit: commit, url: url)
        } else {
            throw GitError(.signature, "commit \(commit) has a signature Tether cannot verify (not SSH or OpenPGP; X.509 signatures are not supported). Sign with an SSH or OpenPGP key.", url: url)
        }
    }
}
