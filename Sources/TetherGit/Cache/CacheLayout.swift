import Foundation

/// The on-disk layout of one cached source:
///
/// ```
/// <cacheDirectory>/<name>-<hash>/
///   repo.git/             bare repository, one pinned ref per fetched remote ref
///   checkouts/<sha>-<n>/  read-only checkouts: the current one and the one before it
///                         (after the first sync: the current one and a hard-linked spare)
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

    /// When a checkout directory was made (milliseconds since 1970, the second part of its
    /// name); 0 when the name has no stamp.
    static func stamp(ofCheckout path: String) -> UInt64 {
        let parts = (path as NSString).lastPathComponent.split(separator: "-")
        return parts.count > 1 ? UInt64(parts[1]) ?? 0 : 0
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
    ///
    /// A checkout is first renamed into `staging/` and only then deleted, so `checkouts/`
    /// never holds a half-deleted directory that a later sync could take for a complete one
    /// (`PreparedSync.writeCheckout` recycles checkouts), even if the process dies meanwhile.
    func removeCheckouts(except keep: Set<String>) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: checkouts)) ?? []
        for name in names where !keep.contains(checkouts + "/" + name) {
            chmod(checkouts + "/" + name, 0o755)
            if rename(checkouts + "/" + name, staging + "/removing-" + name) != 0 {
                CacheLayout.removeTree(checkouts + "/" + name)
            }
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? [] {
            CacheLayout.removeTree(staging + "/" + name)
        }
    }

    /// Removes a directory tree, making its read-only directories writable on the way down.
    ///
    /// Works on descriptors (`openat`, `unlinkat`) and never follows a symlink, so a link in a
    /// checkout cannot make it delete anything outside the tree. Errors are ignored: what is
    /// left behind is removed by a later sync.
    static func removeTree(_ path: String) {
        remove(path, in: AT_FDCWD, isDirectory: nil)
    }

    /// Removes `name` relative to the directory `parent`; `isDirectory` is the directory
    /// entry's type when known (nil: find out).
    private static func remove(_ name: String, in parent: Int32, isDirectory: Bool?) {
        if isDirectory != true {
            if unlinkat(parent, name, 0) == 0 || errno == ENOENT { return }
            guard errno == EISDIR || errno == EPERM else { return }
        }
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        fchmod(fd, 0o755)
        for entry in entries(of: fd) { remove(entry.name, in: fd, isDirectory: entry.isDirectory) }
        close(fd)
        unlinkat(parent, name, AT_REMOVEDIR)
    }

    /// The names in the open directory `fd` (without `.` and `..`) and whether each is a
    /// directory (nil when the file system does not say).
    private static func entries(of fd: Int32) -> [(name: String, isDirectory: Bool?)] {
        let copy = dup(fd)
        guard copy >= 0 else { return [] }
        guard let stream = fdopendir(copy) else { close(copy); return [] }
        defer { closedir(stream) }
        var result: [(String, Bool?)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name == "." || name == ".." { continue }
            let type = Int32(entry.pointee.d_type)
            result.append((name, type == DT_UNKNOWN ? nil : type == DT_DIR))
        }
        return result
    }
}
