import Foundation
import Logging

/// One remote sync with its inputs loaded and checked, ready to run on a dedicated thread.
struct PreparedSync: Sendable {
    let source: GitSource
    let options: GitSourceOptions
    let credentials: LoadedCredentials
    let knownHosts: KnownHosts?
    let layout: CacheLayout
    let logger: Logger

    /// Loads credentials and known hosts up front, so a missing file fails before any network work.
    init(source: GitSource, options: GitSourceOptions, logger: Logger) throws(GitError) {
        if source.kind == .ssh && !GitLibrary.supportsSSH {
            throw GitError(.unsupported, "the linked libgit2 has no SSH support. Install a libgit2 built with libssh2.", url: source.redactedURL)
        }
        self.source = source
        self.options = options
        self.credentials = try LoadedCredentials(options.auth, source: source)
        if let caFile = options.caFile {
            guard source.kind == .https || source.kind == .http else {
                throw GitError(.invalidInput, "a CA file only applies to https:// sources.", url: source.redactedURL)
            }
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw GitError(.invalidInput, "CA file '\(caFile)' cannot be read. Give a readable PEM file of CA certificates.", url: source.redactedURL)
            }
        }
        if source.kind == .ssh && !options.insecureSkipHostKeyCheck {
            guard let file = options.knownHostsFile else {
                throw GitError(.hostKey, "SSH sources need a known_hosts file for strict host key checking. Pass --known-hosts FILE holding the server's host key (ssh-keyscan -p PORT HOST > FILE, then check its fingerprint).", url: source.redactedURL)
            }
            self.knownHosts = try KnownHosts(file: file)
        } else {
            self.knownHosts = nil
        }
        self.layout = CacheLayout(cacheDirectory: options.cacheDirectory ?? CacheLayout.defaultCacheDirectory(), source: source)
        var logger = logger
        logger[metadataKey: "git.url"] = "\(source.redactedURL)"
        self.logger = logger
    }

    func callbackState(context: OperationContext) -> CallbackState {
        CallbackState(context: context, source: source, credentials: credentials, knownHosts: knownHosts,
                      insecureSkipHostKeyCheck: options.insecureSkipHostKeyCheck, caFile: options.caFile, logger: logger)
    }

    /// The remote ref to fetch for the pinned reference, and the object it points at.
    /// - Throws: `GitError` `.refNotFound`, or `.invalidInput` for an ambiguous name
    ///   (`GitReference.remoteName(among:defaultBranch:url:)`).
    func resolve(_ listing: RemoteListing) throws(GitError) -> (name: String, oid: String) {
        let name = try options.reference.remoteName(among: listing.refs.keys, defaultBranch: listing.defaultBranch, url: source.redactedURL)
        guard let oid = listing.refs[name] else {
            throw GitError(.refNotFound, "\(GitReference.describe(name)) does not exist on the remote. Check the spelling or push it first.", url: source.redactedURL)
        }
        return (name, oid)
    }
}
