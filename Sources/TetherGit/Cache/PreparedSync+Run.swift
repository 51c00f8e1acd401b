import Foundation
import Logging

extension PreparedSync {
    /// The blocking body of `GitRepositoryCache.sync`; runs inside `OperationContext.run`.
    func run(context: OperationContext) throws(GitError) -> GitCheckout {
        try layout.prepare()
        let lock = try layout.lock()
        defer { layout.unlock(lock) }
        var recovered = false
        var repository: Repository
        do {
            repository = try Repository.openOrCreateBare(at: layout.repository)
        } catch {
            logger.info("git cache is damaged; removing and cloning again", metadata: ["git.error": "\(error.message)"])
            repository = try rebuild()
            recovered = true
        }
        let currentCheckout = layout.currentCheckout()
        let currentSHA = currentCheckout.flatMap(CacheLayout.revision(ofCheckout:))

        // A SHA never moves: when it is already checked out there is nothing to ask the server.
        if case .commit(let sha, _) = options.reference, let currentCheckout, currentSHA == sha.lowercased() {
            return try unchanged(repository, currentCheckout, sha.lowercased(), recovered)
        }

        let fetched = try fetchIfMoved(repository, recovered: recovered, context: context)
        (repository, recovered) = (fetched.repository, fetched.recovered)
        let (remoteRef, remoteOID, previousCommit) = (fetched.remoteRef, fetched.remoteOID, fetched.previousCommit)
        let tip = try commit(repository, of: remoteOID, remoteRef)
        let target = try pinnedCommit(repository, tip: tip, remoteRef: remoteRef)
        try verifySignature(repository, target)

        let history: GitHistoryChange
        let baseline = previousCommit ?? currentSHA
        if recovered && previousCommit == nil { history = currentSHA.map { $0 == tip ? .unchanged : .fastForwarded(from: $0) } ?? .cloned }
        else if let baseline { history = baseline == tip ? .unchanged : repository.isDescendant(tip, of: baseline) ? .fastForwarded(from: baseline) : .forcePushed(from: baseline) }
        else { history = .cloned }

        if let currentCheckout, currentSHA == target {
            var result = try unchanged(repository, currentCheckout, target, recovered)
            result.history = history
            return result
        }
        let directory = try writeCheckout(repository, target, current: currentCheckout)
        try layout.switchCurrent(to: directory)
        // The first checkout gets a spare for the next update to recycle (see writeCheckout).
        let spare = currentCheckout == nil ? makeSpare(repository, of: directory, target) : nil
        layout.removeCheckouts(except: Set([directory] + [currentCheckout, spare].compactMap { $0 }))
        return GitCheckout(directory: directory, currentLink: layout.current, revision: try revision(repository, target),
                           changed: true, history: history, recoveredCorruptCache: recovered)
    }

    /// What `fetchIfMoved` found and did.
    private struct Fetched {
        /// The cache repository (a new one if it had to be rebuilt).
        var repository: Repository
        var recovered: Bool
        /// The remote ref pinned and the object it points at.
        var remoteRef: String
        var remoteOID: String
        /// The commit the ref pointed at in the cache before this sync, if any.
        var previousCommit: String?
    }

    /// Lists the remote and, when the pinned ref moved, fetches it over the same connection.
    /// A damaged cache found on the way is rebuilt once.
    private func fetchIfMoved(_ repository: Repository, recovered: Bool, context: OperationContext) throws(GitError) -> Fetched {
        var repository = repository
        var recovered = recovered
        let state = callbackState(context: context)
        var session = try RemoteSession(state: state, repository: repository)
        defer { session.close() }  // frees the connection and the TLS trust lease before any local work
        let (remoteRef, remoteOID) = try resolve(session.list())
        let localRef = "refs/tether/" + remoteRef
        if let previousOID = repository.target(of: localRef),
           (try? repository.verifyReadable(repository.peeledCommit(of: previousOID))) == nil {
            logger.info("git cache is damaged; removing and cloning again", metadata: ["git.ref": "\(remoteRef)"])
            session.close()  // its remote belongs to the repository about to be removed
            repository = try rebuild()
            recovered = true
            session = try RemoteSession(state: state, repository: repository)
        }
        let previousOID = repository.target(of: localRef)
        let previousCommit = previousOID.flatMap { try? repository.peeledCommit(of: $0) }
        if previousOID != remoteOID {
            let refspec = "+\(remoteRef):\(localRef)"
            do {
                try session.fetch(refspec: refspec, depth: fetchDepth(firstFetch: previousOID == nil))
            } catch where error.code == .corruptCache && !recovered {
                logger.info("git cache is damaged; removing and cloning again", metadata: ["git.error": "\(error.message)"])
                session.close()
                repository = try rebuild()
                recovered = true
                session = try RemoteSession(state: state, repository: repository)
                try session.fetch(refspec: refspec, depth: fetchDepth(firstFetch: true))
            }
        }
        return Fetched(repository: repository, recovered: recovered, remoteRef: remoteRef, remoteOID: remoteOID,
                       previousCommit: previousCommit)
    }

    /// Depth 1 for the first fetch of a branch or tag when libgit2 can fetch shallow (1.7+),
    /// full depth otherwise: later fetches build on what is there, and a commit pin needs the
    /// branch's history to find its SHA.
    private func fetchDepth(firstFetch: Bool) -> Int32 {
        if case .commit = options.reference { return 0 }
        return firstFetch && GitLibrary.supportsShallowFetch ? 1 : 0
    }

    private func unchanged(_ repository: Repository, _ checkout: String, _ sha: String, _ recovered: Bool) throws(GitError) -> GitCheckout {
        GitCheckout(directory: checkout, currentLink: layout.current, revision: try? revision(repository, sha),
                    changed: false, history: .unchanged, recoveredCorruptCache: recovered)
    }

    /// Removes the cache repository and creates an empty one.
    private func rebuild() throws(GitError) -> Repository {
        CacheLayout.removeTree(layout.repository)
        do {
            return try Repository.openOrCreateBare(at: layout.repository)
        } catch {
            throw GitError(.diskWrite, "cannot create the cache repository '\(layout.repository)': \(error.message). Check free space and permissions.", url: source.redactedURL, cause: error)
        }
    }

    private func commit(_ repository: Repository, of oid: String, _ remoteRef: String) throws(GitError) -> String {
        do {
            return try repository.peeledCommit(of: oid)
        } catch {
            throw GitError(.refNotFound, "'\(remoteRef)' points at \(oid), which is not a commit or was not fetched. Point the ref at a commit.", url: source.redactedURL, cause: error)
        }
    }

    /// For a SHA pin: the SHA, which must be reachable from the fetched branch.
    private func pinnedCommit(_ repository: Repository, tip: String, remoteRef: String) throws(GitError) -> String {
        guard case .commit(let sha, _) = options.reference else { return tip }
        let wanted = sha.lowercased()
        guard repository.hasCommit(wanted), repository.isDescendant(tip, of: wanted) else {
            throw GitError(.refNotFound, "commit \(wanted) is not reachable from '\(remoteRef)'. Check the SHA, or pin the branch that contains it.", url: source.redactedURL)
        }
        return wanted
    }

    private func revision(_ repository: Repository, _ sha: String) throws(GitError) -> GitRevision {
        do {
            return try repository.revision(of: sha)
        } catch {
            throw GitError(.corruptCache, "commit \(sha) cannot be read: \(error.message).", url: source.redactedURL, cause: error)
        }
    }

    private func verifySignature(_ repository: Repository, _ sha: String) throws(GitError) {
        guard let policy = options.signaturePolicy else { return }
        let signed: (signature: Data, payload: Data)?
        do {
            signed = try repository.signature(of: sha)
        } catch {
            throw GitError(.signature, "cannot read the signature of commit \(sha): \(error.message).", url: source.redactedURL, cause: error)
        }
        guard let signed else {
            throw GitError(.signature, "commit \(sha) is not signed, and signature verification is required. Sign the commit with a trusted key.", url: source.redactedURL)
        }
        try CommitSignature(policy: policy).verify(signature: signed.signature, payload: signed.payload, commit: sha, url: source.redactedURL)
    }
}
