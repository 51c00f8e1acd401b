import Foundation
import TetherModel

/// Verifies OpenPGP commit signatures with `gpgv` against a keyring file, as
/// `git verify-commit` does with `gpg.program = gpgv` and as Flux does with its keyring
/// Secret: every key in the keyring is trusted, no other key is.
///
/// `gpgv` runs with a throw-away home directory, so the user's `~/.gnupg` (and its
/// `trustedkeys.kbx`) is never consulted. The keyring may be binary (`gpg --export`, a
/// `.kbx` keybox) or ASCII-armored (`gpg --export --armor`); armored blocks are decoded
/// here, since `gpgv` reads only binary keyrings.
struct OpenPGPSignatureVerifier {
    let keyringFile: String
    let gpgvPath: String

    /// - Throws: `GitError` `.signature` when the keyring cannot be read, the signing key is
    ///   not in it, or the signature does not verify (or its key is expired or revoked);
    ///   `.unsupported` when `gpgv` cannot be run.
    func verify(signature: Data, payload: Data, commit: String, url: String) throws(GitError) {
        let keyring = try readKeyring(url: url)
        try VerificationTool.withTemporaryDirectory(url: url) { (tool) throws(GitError) in
            let signatureFile = try tool.write(signature, to: "commit.asc", url: url)
            let keyringPath = try keyring.map { (bytes) throws(GitError) in try tool.write(Data(bytes), to: "keyring.gpg", url: url) }
                ?? absolute(keyringFile)
            let home = tool.directory.path
            let result = tool.run(gpgvPath, ["--homedir", home, "--keyring", keyringPath, "--status-fd", "1", signatureFile, "-"], input: payload)
            if result.status == -1 {
                throw GitError(.unsupported, "cannot run '\(gpgvPath)' to verify the OpenPGP signature of commit \(commit). Install gpgv (Debian package gpgv).", url: url)
            }
            let status = StatusLines(String(decoding: result.output, as: UTF8.self))
            if status.first("GOODSIG") == nil, let key = status.argument("ERRSIG", at: 6) ?? status.first("NO_PUBKEY") ?? status.first("ERRSIG") {
                throw GitError(.signature, "commit \(commit) is signed by OpenPGP key \(key), which is not in the keyring '\(keyringFile)' (--verify-keyring). Add the signer's public key (gpg --export KEY >> keyring) or pin a trusted commit.", url: url)
            }
            if let key = status.first("EXPKEYSIG") ?? status.first("REVKEYSIG") {
                throw GitError(.signature, "commit \(commit) is signed by OpenPGP key \(key), which is expired or revoked. Re-sign the commit with a valid key.", url: url)
            }
            guard result.status == 0, status.first("BADSIG") == nil, status.first("GOODSIG") != nil else {
                throw GitError(.signature, "the OpenPGP signature of commit \(commit) does not verify\(status.first("BADSIG").map { " for key \($0)" } ?? ""). The commit may have been altered.", url: url)
            }
        }
    }

    /// The keyring decoded from ASCII armor, or nil when the file is binary (passed as is).
    /// - Throws: `GitError` `.signature` when the file cannot be read or its armor is broken.
    private func readKeyring(url: String) throws(GitError) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: keyringFile) else {
            throw GitError(.signature, "cannot read the OpenPGP keyring '\(keyringFile)' (--verify-keyring). Check that it exists and is readable.", url: url)
        }
        let text = String(decoding: data.prefix(4096), as: UTF8.self)
        guard text.contains("-----BEGIN PGP PUBLIC KEY BLOCK-----") else { return nil }
        guard let bytes = Self.dearmored(String(decoding: data, as: UTF8.self)), !bytes.isEmpty else {
            throw GitError(.signature, "the OpenPGP keyring '\(keyringFile)' (--verify-keyring) has a broken ASCII-armored block. Export it again with gpg --export --armor.", url: url)
        }
        return bytes
    }

    /// The packets of every `PUBLIC KEY BLOCK` in `text`, concatenated (RFC 4880 §6.2:
    /// headers end at the first blank line; the `=` line is the CRC-24, which `gpgv` checks
    /// again on the packets themselves, so it is skipped here).
    static func dearmored(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var body: String?
        var inHeaders = false
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line == "-----BEGIN PGP PUBLIC KEY BLOCK-----" { body = ""; inHeaders = true; continue }
            guard let current = body else { continue }
            if line == "-----END PGP PUBLIC KEY BLOCK-----" {
                guard let bytes = Base64.decode(current) else { return nil }
                out += bytes
                body = nil
                continue
            }
            if inHeaders {
                if line.isEmpty { inHeaders = false } else if !line.contains(":") { inHeaders = false; body = line }
                continue
            }
            if line.hasPrefix("=") { continue }
            body = current + line
        }
        return body == nil ? out : nil
    }

    /// `gpgv` looks a keyring name without a slash up in its home directory; pass a path.
    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// `gpgv --status-fd` output: lines `[GNUPG:] KEYWORD ARGS…`.
private struct StatusLines {
    let lines: [[Substring]]
    init(_ text: String) {
        lines = text.split(whereSeparator: \.isNewline).compactMap { line in
            let words = line.split(separator: " ")
            return words.first == "[GNUPG:]" ? Array(words.dropFirst()) : nil
        }
    }

    /// The first argument (a key id or fingerprint) of the first line with `keyword`.
    func first(_ keyword: String) -> String? {
        argument(keyword, at: 0) ?? lines.first { $0.first.map(String.init) == keyword }.map { _ in "" }
    }

    /// Argument `index` of the first line with `keyword` (`ERRSIG`'s 7th is the fingerprint).
    func argument(_ keyword: String, at index: Int) -> String? {
        guard let line = lines.first(where: { $0.first.map(String.init) == keyword }), line.count > index + 1 else { return nil }
        return String(line[index + 1])
    }
}
