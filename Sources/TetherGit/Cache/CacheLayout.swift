import Foundation

/// The on-disk layout of one cached source:
///
/// ```
/// <cacheDirectory>/<name>-<hash>/
///   repo.git/             bare repository, one pinned ref per fetched remote ref
///   checkouts/<sha>-<n>/  read-only checkouts; the current one and the one before it
///   staging/              checkouts being written
///   current -> checkouts/<sha>-<n>   swapped atomically with rename(2)
///   lock                  flock(2) so two syncs of one source never interleave
/// ```
struct CacheLayout: Sendable {
    let root: String

    /// The layout for `source` under `cacheDirectory`.
    init(cacheDirectory: String, source: GitSource) {
        let base = source.path.split(separator: "/").last.map(String.init) ?? "repo"
        let safe = String(base.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }.prefix(40))
        root = cacheDirectory + "/" + safe + "-" + String(ContentHash.hex(of: source.identity).prefix(16))
    }

    var repository: String { root + "/repo.git" }
    var checkouts: String { root + "/checkouts" }
    var staging: String { root + "/staging" }
    var current: String { root + "/current" }
    var lockFile: String { root + "/lock" }

    /// The default cache root: `$XDG_CACHE_HOME/tether`, else `~/.cache/tether`.
    static func defaultCacheDirectory() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/tether" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.cache/tether"
    }

    /// Creates the directories a sync needs.
    /// - Throws: `GitError` `.diskWrite`.
    func prepare() throws(GitError) {
        for directory in [root, checkouts, staging] {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw GitError(.diskWrite, "cannot create cache directory '\(directory)': \(error.localizedDescription). Check free space and permissions, or set cacheDirectory.", cause: error)
            }
        }
    }

    /// Takes the per-source lock, waiting for another sync of the same source to finish.
    /// - Returns: the descriptor to pass to `unlock`.
    /// - Throws: `GitError` `.diskWrite` when the lock file cannot be created.
    func lock() throws(GitError) -> Int32 {
        let fd = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw GitError(.diskWrite, "cannot create lock file '\(lockFile)': \(String(cString: strerror(errno))). Check permissions of the cache directory.")
        }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        return fd
    }

    func unlock(_ fd: Int32) {
        _ = flock(fd, LOCK_UN)
        close(fd)
    }

    /// The checkout directory `current` points at, if it exists.
    func currentCheckout() -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return nil }
        let path = target.hasPrefix("/") ? target : root + "/" + target
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        return path
    }

    /// The commit SHA of a checkout directory (its name starts with the SHA).
    static func revision(ofCheckout path: String) -> String? {
        let name = (path as NSString).lastPathComponent
        guard name.utf8.count > 40 else { return nil }
        return String(name.prefix(40))
    }

    /// Points `current` at `checkout` atomically: a temporary symlink renamed over `current`.
    /// A reader resolving `current` sees either the old or the new directory, never a mix.
    /// - Throws: `GitError` `.diskWrite`.
    func switchCurrent(to checkout: String) throws(GitError) {
        let relative = "checkouts/" + (checkout as NSString).lastPathComponent
        let temporary = root + "/.current-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard symlink(relative, temporary) == 0 else {
            throw GitError(.diskWrite, "cannot create symlink '\(temporary)': \(String(cString: strerror(errno))).")
        }
        guard rename(temporary, current) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw GitError(.diskWrite, "cannot switch '\(current)' to the new checkout: \(reason).")
        }
        let directory = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 { fsync(directory); close(directory) }
    }

    /// Removes every checkout except those in `keep`, and any staging leftovers.
    func removeCheckouts(except keep: Set<String>) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: checkouts)) ?? []
        for name in names where !keep.contains(checkouts + "/" + name) {
            CacheLayout.removeTree(checkouts + "/" + name)
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? [] {
            CacheLayout.removeTree(staging + "/" + name)
        }
    }

    /// Removes a directory tree, first making read-only directories writable again.
    static func removeTree(_ path: String) {
        if let enumerator = FileManager.default.enumerator(atPath: path) {
            chmod(path, 0o755)
            while let relative = enumerator.nextObject() as? String {
                if let type = enumerator.fileAttributes?[.type] as? FileAttributeType, type == .typeDirectory {
                    chmod(path + "/" + relative, 0o755)
                }
            }
        }
        try? FileManager.default.removeItem(atPath: path)
    }
}
