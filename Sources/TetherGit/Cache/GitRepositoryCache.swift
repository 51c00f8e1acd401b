import Foundation
import Synchronization
package import Logging

/// Keeps git sources in a local cache and materialises pinned commits as read-only checkouts.
///
/// Each remote source is cloned once into a bare repository under the cache directory and
/// fetched incrementally afterwards, one ref at a time. Every sync first does an ls-remote
/// round trip; when the remote ref still points where it did, nothing is fetched.
/// New commits are written to a fresh checkout directory and published by an atomic
/// symlink swap of `current`. See `docs/git.md`.
///
/// All libgit2 work runs on dedicated threads with Tether's own deadlines. Two syncs of the
/// same source (even from two processes) are serialised with a lock file.
package final class GitRepositoryCache: Sendable {
    let logger: Logger
    /// Last HEAD seen per local directory, so `changed` is meaningful for local sources.
    /// `@unchecked Sendable` box: only touched under its own lock.
    /// Directory → last HEAD seen, behind the one lock style the project uses (`Mutex`).
    private let localRevisions = Mutex<[String: String]>([:])

    /// Creates a cache front end.
    /// - Parameter logger: receives `debug`/`info` records with `git.url`, `git.revision`
    ///   and `duration.ms` metadata (and a `warning` when host key checks are disabled).
    package init(logger: Logger) {
        GitLibrary.initialize()
        self.logger = logger
    }

    /// Brings the checkout of `source` up to date with the pinned ref.
    ///
    /// A local directory is used in place; when it is a git work tree its `HEAD` commit is the
    /// revision, with the uncommitted paths in `GitRevision.uncommitted` (`changed` follows
    /// `HEAD` only: edits that are not committed do not count as a new revision). Remote sources are cached, fetched only when the remote ref moved, and
    /// switched atomically. On any error the previous checkout stays in place and usable.
    /// - Parameters:
    ///   - source: where the repository lives.
    ///   - options: ref, cache directory, deadlines, credentials and host key policy.
    /// - Returns: the checkout directory and revision; `changed` is false when nothing moved.
    /// - Throws: `GitError` — `.invalidInput`, `.unreachable`, `.timeout`, `.authentication`,
    ///   `.hostKey`, `.refNotFound`, `.diskWrite`, `.signature`, `.cancelled`, `.unsupported`,
    ///   `.library`. A force-pushed ref is not an error: it is reported in `history`. A damaged
    ///   cache is rebuilt and reported in `recoveredCorruptCache`.
    package func sync(_ source: GitSource, options: GitSourceOptions = GitSourceOptions()) async throws(GitError) -> GitCheckout {
        try options.reference.validate()
        if source.kind == .localDirectory {
            return try syncLocal(source, options: options)
        }
        let started = ContinuousClock.now
        let prepared = try PreparedSync(source: source, options: options, logger: logger)
        let context = OperationContext(timeouts: options.timeouts)
        let checkout = try await runOnDedicatedThread(context: context) { () throws(GitError) -> GitCheckout in
            try prepared.run(context: context)
        }
        var metadata: Logger.Metadata = [
            "git.url": "\(source.redactedURL)",
            "git.revision": "\(checkout.revision?.sha ?? "")",
            "duration.ms": "\(GitRepositoryCache.milliseconds(since: started))",
        ]
        if case .forcePushed(let from) = checkout.history {
            metadata["git.previous_revision"] = "\(from)"
            logger.info("git ref was force-pushed; checked out the new history", metadata: metadata)
        }
        if checkout.changed {
            logger.info("git source updated", metadata: metadata)
        } else {
            logger.debug("git source unchanged", metadata: metadata)
        }
        return checkout
    }

    /// Asks the remote which commit (or tag object) the pinned ref points at: one ls-remote
    /// round trip, no fetch.
    /// - Parameters:
    ///   - source: a remote source (not a local directory).
    ///   - options: ref, deadlines, credentials and host key policy.
    /// - Returns: the 40-hex object id the remote advertises for the ref.
    /// - Throws: `GitError`, as for `sync`.
    package func remoteHead(_ source: GitSource, options: GitSourceOptions = GitSourceOptions()) async throws(GitError) -> String {
        try options.reference.validate()
        guard source.kind != .localDirectory else {
            throw GitError(.invalidInput, "a local directory has no remote head. Use sync instead.", url: source.redactedURL)
        }
        let prepared = try PreparedSync(source: source, options: options, logger: logger)
        let context = OperationContext(timeouts: options.timeouts)
        return try await runOnDedicatedThread(context: context) { () throws(GitError) -> String in
            let session = try RemoteSession(state: prepared.callbackState(context: context), repository: nil)
            defer { session.close() }
            return try prepared.resolve(session.list()).oid
        }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    }

    // MARK: Local directories

    private func syncLocal(_ source: GitSource, options: GitSourceOptions) throws(GitError) -> GitCheckout {
        guard options.reference == .defaultBranch else {
            // Read as it is, a directory cannot honour a ref; never ignore one silently.
            throw GitError(.invalidInput, "a local directory is read as it is and cannot check out the \(options.reference). Use GitSource.checkingOut(_:flag:written:) (a file:// source), or leave out the ref.", url: source.redactedURL)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw GitError(.unreachable, "directory does not exist. Check the path.", url: source.redactedURL)
        }
        let directory = (source.path as NSString).standardizingPath
        var revision: GitRevision?
        if let repository = Repository.openWorkTree(at: directory), let head = repository.target(of: "HEAD") {
            revision = try? repository.revision(of: (try? repository.peeledCommit(of: head)) ?? head)
            do {
                revision?.uncommitted = try repository.uncommittedPaths()
            } catch {
                throw GitError(.library, "cannot read the work tree's status: \(error.message). Check that the repository is readable (git status).", url: source.redactedURL)
            }
        }
        let previous = localRevisions.withLock { revisions in revisions.updateValue(revision?.sha ?? "", forKey: directory) }
        let changed = revision == nil || previous != revision?.sha
        logger.debug("git local source read", metadata: ["git.url": "\(source.redactedURL)", "git.revision": "\(revision?.sha ?? "")"])
        return GitCheckout(directory: directory, currentLink: nil, revision: revision, changed: changed,
                           history: previous == nil ? .cloned : .unchanged, recoveredCorruptCache: false)
    }
}

