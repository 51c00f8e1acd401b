import ArgumentParser
import TetherGit

/// Source and credential flags shared by every command that reads a Git
/// repository. Secrets are only ever read from files or environment
/// variables, never taken as arguments.
struct GitOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The config repository: a directory, file://, git://, https:// or ssh:// URL, or user@host:path.",
        valueName: "source"))
    var source: String

    @Option(name: .long, help: ArgumentHelp(
        "A tag or branch (refused when both exist), refs/heads/NAME, refs/tags/NAME, semver:RANGE (highest matching tag) or a full commit SHA. Default: the remote's default branch.", valueName: "ref"))
    var ref: String?

    @Option(name: .long, help: ArgumentHelp(
        "Cache directory for clones and checkouts. Default: $XDG_CACHE_HOME/tether or ~/.cache/tether.", valueName: "dir"))
    var cacheDir: String?

    @Option(name: .long, help: ArgumentHelp("File holding an HTTPS bearer token.", valueName: "file"))
    var tokenFile: String?

    @Option(name: .long, help: ArgumentHelp("Environment variable holding an HTTPS bearer token.", valueName: "name"))
    var tokenEnv: String?

    @Option(name: .long, help: ArgumentHelp("User name for HTTPS basic authentication.", valueName: "user"))
    var username: String?

    @Option(name: .long, help: ArgumentHelp("File holding the HTTPS basic-auth password.", valueName: "file"))
    var passwordFile: String?

    @Option(name: .long, help: ArgumentHelp("Environment variable holding the HTTPS basic-auth password.", valueName: "name"))
    var passwordEnv: String?

    @Option(name: .long, help: ArgumentHelp("SSH private key file.", valueName: "file"))
    var sshKey: String?

    @Option(name: .long, help: ArgumentHelp("File holding the SSH key's passphrase.", valueName: "file"))
    var sshPassphraseFile: String?

    @Option(name: .long, help: ArgumentHelp("known_hosts file checked strictly for SSH sources.", valueName: "file"))
    var knownHosts: String?

    @Option(name: .long, help: ArgumentHelp(
        "PEM file of the certificate authorities to trust for an https:// source, instead of the system store.",
        valueName: "file"))
    var caFile: String?

    @Flag(name: .long, help: "Accept any SSH host key (insecure; logged loudly).")
    var insecureSkipHostKeyCheck = false

    @Option(name: .long, help: ArgumentHelp(
        "allowed_signers file: require the pinned commit to carry a trusted SSH signature (with --verify-keyring, an OpenPGP one is accepted too).",
        valueName: "file"))
    var verifySignatures: String?

    @Option(name: .long, help: ArgumentHelp(
        "OpenPGP keyring (gpg --export, binary or --armor): require the pinned commit to carry an OpenPGP signature by one of its keys, checked with gpgv.",
        valueName: "file"))
    var verifyKeyring: String?

    @Option(name: .long, help: ArgumentHelp("Time allowed to connect to the Git server (e.g. 10s).", valueName: "duration"),
            transform: DurationFlag.wholeSeconds)
    var connectTimeout: Int = 10

    @Option(name: .long, help: ArgumentHelp("How long a transfer may stay silent (e.g. 30s).", valueName: "duration"),
            transform: DurationFlag.wholeSeconds)
    var idleTimeout: Int = 30

    @Option(name: .long, help: ArgumentHelp("How long a whole fetch may take (e.g. 5m).", valueName: "duration"),
            transform: DurationFlag.wholeSeconds)
    var totalTimeout: Int = 300

    func validate() throws {
        if tokenFile != nil && tokenEnv != nil { throw ValidationError("Give only one of --token-file and --token-env.") }
        if passwordFile != nil && passwordEnv != nil {
            throw ValidationError("Give only one of --password-file and --password-env.")
        }
        if (passwordFile != nil || passwordEnv != nil) && username == nil {
            throw ValidationError("--password-file/--password-env need --username.")
        }
        if (tokenFile != nil || tokenEnv != nil) && (passwordFile != nil || passwordEnv != nil || sshKey != nil) {
            throw ValidationError("Use one authentication method: a token, a password or an SSH key.")
        }
        for (name, value) in [("--connect-timeout", connectTimeout), ("--idle-timeout", idleTimeout), ("--total-timeout", totalTimeout)]
        where value <= 0 {
            throw ValidationError("\(name) must be a positive number of seconds.")
        }
    }

    /// The parsed source and the library options for it.
    func resolved() throws(GitError) -> (GitSource, GitSourceOptions) {
        let reference = try ref.map { (r) throws(GitError) in try GitReference(parsing: r) } ?? .defaultBranch
        // A directory honours --ref only through Git; a plain directory refuses it.
        let source = try GitSource(self.source).checkingOut(reference, flag: "--ref", written: ref ?? "")
        var auth = GitAuth.none
        if let tokenFile { auth = .bearerToken(.file(tokenFile)) }
        if let tokenEnv { auth = .bearerToken(.environment(tokenEnv)) }
        if let username, let password = passwordFile.map(GitSecretSource.file) ?? passwordEnv.map(GitSecretSource.environment) {
            auth = .basic(username: username, password: password)
        }
        if let sshKey {
            auth = .sshKey(username: nil, privateKeyFile: sshKey, passphrase: sshPassphraseFile.map(GitSecretSource.file))
        }
        let options = GitSourceOptions(
            reference: reference, cacheDirectory: cacheDir,
            timeouts: GitTimeouts(
                connect: .seconds(connectTimeout), idle: .seconds(idleTimeout), total: .seconds(totalTimeout)),
            auth: auth, knownHostsFile: knownHosts, insecureSkipHostKeyCheck: insecureSkipHostKeyCheck,
            signaturePolicy: verifySignatures == nil && verifyKeyring == nil
                ? nil : GitSignaturePolicy(allowedSignersFile: verifySignatures, keyringFile: verifyKeyring),
            caFile: caFile)
        return (source, options)
    }
}
