import Foundation
import Logging

extension PreparedSync {
    /// Produces a read-only checkout of `sha` under `checkouts/`, ready to be switched to.
    ///
    /// The checkout is prepared in `staging/` and renamed into place when complete, so a
    /// half-written directory is never in `checkouts/`. How it is prepared depends on what is
    /// on disk:
    /// - A checkout other than `current` (the one before the previous switch, which readers
    ///   have had a whole sync interval to leave) is moved to `staging/` and changed in place
    ///   by the difference between its commit and `sha` (`Repository.update`): the work
    ///   follows the size of the change, not of the tree.
    /// - Otherwise the tree is written out, hard-linking files that are unchanged from
    ///   `current` (`Repository.materialise`).
    /// - Returns: the new checkout directory.
    /// - Throws: `GitError` `.diskWrite` or `.corruptCache`; the staging directory is removed.
    func writeCheckout(_ repository: Repository, _ sha: String, current: String?) throws(GitError) -> String {
        let name = checkoutName(sha)
        let staging = layout.staging + "/" + name
        let final = layout.checkouts + "/" + name
        do throws(GitError) {
            let counts: MaterialiseCounts
            if let recycled = recycle(except: current, into: staging, repository) {
                counts = try repository.update(checkoutAt: staging, from: recycled, to: sha)
            } else {
                try makeStaging(staging)
                counts = try repository.materialise(commit: sha, into: staging, reusing: current.flatMap { directory in
                    CacheLayout.revision(ofCheckout: directory).map { ReusableCheckout(commit: $0, directory: directory) }
                })
            }
            logger.debug("git checkout written", metadata: ["git.revision": "\(sha)", "git.files_written": "\(counts.written)",
                                                             "git.files_linked": "\(counts.linked)"])
            try publish(staging, as: final)
        } catch {
            CacheLayout.removeTree(staging)
            var error = error
            error.url = error.url ?? source.redactedURL
            throw error
        }
        return final
    }

    /// A hard-linked copy of the first checkout, for the next update to recycle, so that even
    /// the first update writes only what changed. Best effort: nil when it cannot be made.
    func makeSpare(_ repository: Repository, of checkout: String, _ sha: String) -> String? {
        let name = checkoutName(sha)
        let staging = layout.staging + "/" + name
        do throws(GitError) {
            try makeStaging(staging)
            try repository.materialise(commit: sha, into: staging, reusing: ReusableCheckout(commit: sha, directory: checkout))
            try publish(staging, as: layout.checkouts + "/" + name)
            return layout.checkouts + "/" + name
        } catch {
            logger.debug("git spare checkout not made", metadata: ["git.error": "\(error.message)"])
            CacheLayout.removeTree(staging)
            return nil
        }
    }

    /// Moves the newest checkout other than `current` whose commit is in the cache to
    /// `staging`; returns its commit, or nil when there is none.
    private func recycle(except current: String?, into staging: String, _ repository: Repository) -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.checkouts)) ?? []
        let candidates = names.map { layout.checkouts + "/" + $0 }.filter { $0 != current }
            .sorted { CacheLayout.stamp(ofCheckout: $0) > CacheLayout.stamp(ofCheckout: $1) }
        for candidate in candidates {
            guard let sha = CacheLayout.revision(ofCheckout: candidate), repository.hasCommit(sha) else { continue }
            // Moving a directory to another parent rewrites its "..", which needs write permission.
            chmod(candidate, 0o755)
            if rename(candidate, staging) == 0 { return sha }
        }
        return nil
    }

    /// `<sha>-<milliseconds>-<random>`: unique, and `CacheLayout.revision(ofCheckout:)` reads
    /// the commit back from it.
    private func checkoutName(_ sha: String) -> String {
        "\(sha)-\(UInt64(Date().timeIntervalSince1970 * 1000))-\(UInt16.random(in: 0...UInt16.max))"
    }

    private func makeStaging(_ staging: String) throws(GitError) {
        guard mkdir(staging, 0o755) == 0 else {
            throw GitError(.diskWrite, "cannot create '\(staging)': \(String(cString: strerror(errno))). Check free space and permissions of the cache directory.", url: source.redactedURL)
        }
    }

    /// Makes the finished staging directory read-only and renames it into `checkouts/`.
    private func publish(_ staging: String, as final: String) throws(GitError) {
        chmod(staging, 0o555)
        guard rename(staging, final) == 0 else {
            throw GitError(.diskWrite, "cannot move checkout into '\(final)': \(String(cString: strerror(errno))).", url: source.redactedURL)
        }
    }
}
