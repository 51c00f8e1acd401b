package import Foundation

/// Test support shared by the test targets that start real servers (`git daemon`, sshd,
/// lighttpd, proxies).

/// A server that could not be started.
package struct ServerProcessError: Error, CustomStringConvertible {
    package var command: String
    package var reason: String
    package var description: String { "\(command): \(reason)" }
}

/// A running server process, started with `posix_spawn` and killed on `stop` or release.
///
/// Not Foundation's `Process`: `sshd` closes every inherited descriptor at start-up, which
/// Foundation takes for an exit; it then blocks in `waitpid` on its run loop thread and stops
/// reaping every other child of the test process.
package final class ServerProcess: @unchecked Sendable {  // `pid` is written once; `stopped` under `lock`
    package let pid: pid_t
    private let lock = NSLock()
    private var stopped = false

    /// Starts `arguments[0]` (an absolute path) with the rest as its arguments; standard
    /// output and error go to `log` (appended) or /dev/null.
    package init(_ arguments: [String], log: String? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let output = log ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Close every other descriptor: a server that inherits the write end of a concurrent
        // `shell` pipe would keep that command's output open until the server exits.
        // (glibc 2.34+; not visible to Swift's Glibc module, so looked up at run time)
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }
        // Reset the signal mask and dispositions: test threads run with most signals blocked,
        // and a server inheriting that mask ignores SIGTERM and never reaps its children.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else { throw ServerProcessError(command: arguments.joined(separator: " "), reason: String(cString: strerror(result))) }
        self.pid = pid
    }

    /// Kills the process (SIGKILL) and reaps it; later calls do nothing.
    package func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        kill(pid, SIGCONT)
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    deinit { stop() }
}
