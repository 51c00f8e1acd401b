import Foundation

/// The keys a decrypter may use: age identities and OpenPGP secret keys.
///
/// Nothing here is printed: `description` lists only what kinds of keys are held.
package struct SOPSKeys: Sendable, CustomStringConvertible {
    /// age identities (X25519 or passphrase), tried on every age stanza.
    package var ageIdentities: [AgeIdentity]
    /// Armored or binary OpenPGP secret keys, imported into a throw-away keyring for `gpg`.
    package var pgpSecretKeys: [[UInt8]]
    /// Where the keys came from, for "how to fix" messages (paths and variable names only).
    package var sources: [String]

    package init(ageIdentities: [AgeIdentity] = [], pgpSecretKeys: [[UInt8]] = [], sources: [String] = []) {
        self.ageIdentities = ageIdentities
        self.pgpSecretKeys = pgpSecretKeys
        self.sources = sources
    }

    /// Options for `sopsConventions(_:)`.
    package struct Conventions: Sendable {
        /// The process environment (`SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, `XDG_CONFIG_HOME`, `HOME`).
        package var environment: [String: String]
        /// Read `$XDG_CONFIG_HOME/sops/age/keys.txt` (else `~/.config/sops/age/keys.txt`) when present.
        package var readDefaultKeyFile: Bool

        package init(environment: [String: String], readDefaultKeyFile: Bool = true) {
            self.environment = environment
            self.readDefaultKeyFile = readDefaultKeyFile
        }
    }

    /// The keys sops itself would find: `SOPS_AGE_KEY` (identities inline),
    /// `SOPS_AGE_KEY_FILE` (a path), and the default key file. All that exist are used.
    /// - Throws: `SOPSError` (`.invalidKey`) when `SOPS_AGE_KEY_FILE` names a file that
    ///   cannot be read, or any source holds something that is not an identity. A missing
    ///   default key file is not an error.
    package static func sopsConventions(_ options: Conventions) throws(SOPSError) -> SOPSKeys {
        var keys = SOPSKeys()
        let env = options.environment
        if let inline = env["SOPS_AGE_KEY"], !inline.isEmpty {
            try keys.addAgeIdentities(inline, source: "SOPS_AGE_KEY")
        }
        if let path = env["SOPS_AGE_KEY_FILE"], !path.isEmpty {
            try keys.addAgeKeyFile(path, source: "SOPS_AGE_KEY_FILE=\(path)")
        }
        if options.readDefaultKeyFile, let path = defaultKeyFilePath(env), FileManager.default.fileExists(atPath: path) {
            try keys.addAgeKeyFile(path, source: path)
        }
        return keys
    }

    /// `$XDG_CONFIG_HOME/sops/age/keys.txt`, else `$HOME/.config/sops/age/keys.txt` (sops on Linux).
    package static func defaultKeyFilePath(_ env: [String: String]) -> String? {
        if let xdg = env["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/sops/age/keys.txt" }
        if let home = env["HOME"], !home.isEmpty { return home + "/.config/sops/age/keys.txt" }
        return nil
    }

    /// Adds the identities of an age identity file.
    /// - Throws: `SOPSError` (`.invalidKey`) when it cannot be read or parsed.
    package mutating func addAgeKeyFile(_ path: String, source: String? = nil) throws(SOPSError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SOPSError(.invalidKey, "cannot read the age key file '\(path)'. Check the path and its permissions.")
        }
        try addAgeIdentities(String(decoding: data, as: UTF8.self), source: source ?? path)
    }

    /// Adds identities given as text (an identity file's contents).
    package mutating func addAgeIdentities(_ text: String, source: String) throws(SOPSError) {
        ageIdentities += try AgeIdentity.parseFile(text, source: source)
        sources.append(source)
    }

    /// Adds an OpenPGP secret key file (armored or binary).
    /// - Throws: `SOPSError` (`.invalidKey`) when it cannot be read.
    package mutating func addPGPKeyFile(_ path: String) throws(SOPSError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SOPSError(.invalidKey, "cannot read the PGP key file '\(path)'. Check the path and its permissions.")
        }
        pgpSecretKeys.append(Array(data))
        sources.append(path)
    }

    package var isEmpty: Bool { ageIdentities.isEmpty && pgpSecretKeys.isEmpty }

    package var description: String {
        "\(ageIdentities.count) age identities, \(pgpSecretKeys.count) PGP keys from \(sources.joined(separator: ", "))"
    }
}
