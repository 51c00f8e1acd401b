import Foundation

/// Runs the external verifiers (`ssh-keygen -Y`, `gpgv`) in a private temporary directory.
///
/// libgit2 has no signature verifier, so these are the only subprocesses in `TetherGit`.
/// Each call gets its own directory (mode 0700) for the signature file and, for `gpgv`, a
/// home directory, so nothing of the user's `~/.ssh` or `~/.gnupg` is read or written.
struct VerificationTool {
    /// The private directory; removed when `withTemporaryDirectory` returns.
    let directory: URL

    /// Runs `body` with a fresh private directory, then removes it.
    /// - Throws: `GitError` `.diskWrite` when the directory cannot be made, or what `body` throws.
    static func withTemporaryDirectory<T>(url: String, _ body: (VerificationTool) throws(GitError) -> T) throws(GitError) -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tether-sig-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw GitError(.diskWrite, "cannot create a temporary directory for signature verification: \(error.localizedDescription).", url: url, cause: error)
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(VerificationTool(directory: directory))
    }

    /// Writes `data` to `name` inside the directory and returns its path.
    /// - Throws: `GitError` `.diskWrite`.
    func write(_ data: Data, to name: String, url: String) throws(GitError) -> String {
        let file = directory.appendingPathComponent(name)
        do {
            try data.write(to: file)
        } catch {
            throw GitError(.diskWrite, "cannot write a temporary signature file: \(error.localizedDescription).", url: url, cause: error)
        }
        return file.path
    }

    /// Runs `executable` with `input` on standard input; standard error is discarded.
    /// - Returns: the exit status (-1 when the program cannot be started) and standard output.
    func run(_ executable: String, _ arguments: [String], input: Data) -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, Data()) }
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
