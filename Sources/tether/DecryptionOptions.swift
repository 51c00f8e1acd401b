import ArgumentParser
import Foundation
import TetherRender
import TetherSOPS

/// Key flags every command that reads SOPS-encrypted files takes.
struct DecryptionOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "An age identity file (AGE-SECRET-KEY-1… lines) for SOPS-encrypted files; repeatable. SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and ~/.config/sops/age/keys.txt are read too, as sops does.",
            valueName: "path"))
    var ageKeyFile: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "An OpenPGP secret key file (armored or binary, no passphrase) for PGP-wrapped SOPS data keys; repeatable. Needs gpg; a throw-away keyring is used.",
            valueName: "path"))
    var pgpKeyFile: [String] = []

    /// The keys from the flags and the sops environment conventions.
    /// - Throws: `SOPSError` when a named key file cannot be read or holds no valid key.
    func keys() throws -> SOPSKeys {
        var keys = try SOPSKeys.sopsConventions(.init(environment: ProcessInfo.processInfo.environment))
        for path in ageKeyFile { try keys.addAgeKeyFile(path) }
        for path in pgpKeyFile { try keys.addPGPKeyFile(path) }
        return keys
    }

    /// The renderer's decrypter with these keys (for `diff`, `sync` and `run`, through the
    /// reconcile pipeline).
    /// - Parameters:
    ///   - extraAgeKeyFiles: more age identity files (a `tether.yaml` target's `ageKeyFile`).
    ///   - extraPGPKeyFiles: more PGP secret key files (a target's `pgpKeyFile`).
    /// - Throws: `SOPSError` when a named key file cannot be read or holds no valid key.
    func fileDecrypter(extraAgeKeyFiles: [String] = [], extraPGPKeyFiles: [String] = []) throws -> any FileDecrypting {
        var keys = try keys()
        for path in extraAgeKeyFiles { try keys.addAgeKeyFile(path) }
        for path in extraPGPKeyFiles { try keys.addPGPKeyFile(path) }
        return SOPSFileDecrypter(decrypter: SOPSDecrypter(keys: keys))
    }
}
