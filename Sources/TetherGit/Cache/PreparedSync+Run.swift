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

        let state = callbackState(context: context)
        let listing = try RemoteOperations.list(state: state)
        let (remoteRef, remoteOID) = try resolve(listing)
        let localRef = "refs/tether/" + remoteRef
        var previousOID = repository.target(of: localRef)
        if let previousOID, (try? repository.verifyReadable(repository.peeledCommit(of: previousOID))) == nil {
            logger.info("git cache is damaged; removing and cloning again", metadata: ["git.ref": "\(remoteRef)"])
            repository = try rebuild()
            recovered = true
        }
        previousOID = repository.target(of: localRef)
        let previousCommit = previousOID.flatMap { try? repository.peeledCommit(of: $0) }

        if previousOID != remoteOID {
            do {
                try RemoteOperations.fetch(into: repository, refspec: "+\(remoteRef):\(localRef)", state: state)
            } catch where error.code == .corruptCache && !recovered {
                logger.info("git cache is damaged; removing and cloning again", metadata: ["git.error": "\(error.message)"])
                repository = try rebuild()
                recovered = true
                try RemoteOperations.fetch(into: repository, refspec: "+\(remoteRef):\(localRef)", state: state)
            }
        }
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
        let directory = try materialise(repository, target)
        try layout.switchCurrent(to: directory)
        layout.removeCheckouts(except: Set([directory] + (currentCheckout.map { [$0] } ?? [])))
        return GitCheckout(directory: directory, currentLink: layout.current, revision: try revision(repository, target),
                           changed: true, history: history, recoveredCorruptCache: recovered)
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

    /// Writes the commit into `staging/`, then moves it into `checkouts/` (same file system).
    private func materialise(_ repository: Repository, _ sha: String) throws(GitError) -> String {
        let name = "\(sha)-\(UInt64(Date().timeIntervalSince1970 * 1000))-\(UInt16.random(in: 0...UInt16.max))"
        let staging = layout.staging + "/" + name
        let final = layout.checkouts + "/" + name
        guard mkdir(staging, 0o755) == 0 else {
            throw GitError(.diskWrite, "cannot create '\(staging)': \(String(cString: strerror(errno))). Check free space and permissions of the cache directory.", url: source.redactedURL)
        }
        do throws(GitError) {
            try repository.materialise(commit: sha, into: staging)
            chmod(staging, 0o555)
            guard rename(staging, final) == 0 else {
                throw GitError(.diskWrite, "cannot move checkout into '\(final)': \(String(cString: strerror(errno))).", url: source.redactedURL)
            }
        } catch {
            CacheLayout.removeTree(staging)
            var error = error
            error.url = error.url ?? source.redactedURL
            throw error
        }
        return final
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
            throw GitError(.signature, "commit \(sha) is not signed, and signature verification is required. Sign the commit with an allowed SSH key.", url: source.redactedURL)
        }
        try SSHSignatureVerifier(policy: policy).verify(signature: signed.signature, payload: signed.payload, commit: sha, url: source.redactedURL)
    }
}
