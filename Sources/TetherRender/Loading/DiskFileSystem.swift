#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``FileSystem`` over a directory on disk. Every access resolves symbolic
/// links first and refuses a target outside the root, so a link in the
/// repository cannot expose `/etc/passwd`.
package struct DiskFileSystem: FileSystem {
    /// The root directory, with symbolic links resolved.
    package let root: String

    /// Roots a filesystem at `directory`.
    /// - Throws: ``RenderError`` (`fileNotFound`) when the directory does not exist.
    package init(root directory: String) throws(RenderError) {
        guard let resolved = Self.realPath(directory) else {
            throw RenderError(.fileNotFound, "directory does not exist. Check the path.", file: directory)
        }
        root = resolved
    }

    /// `realpath(3)`: the absolute path with symbolic links resolved, or `nil`
    /// when nothing exists there.
    package static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// The absolute, link-free path of `path`, checked to be inside the root.
    private func resolve(_ path: String) throws(RenderError) -> String? {
        let absolute = path.isEmpty ? root : root + "/" + path
        guard let real = Self.realPath(absolute) else { return nil }
        guard real == root || real.hasPrefix(root == "/" ? "/" : root + "/") else {
            throw RenderError(
                .outsideRoot, "symbolic link leads outside the root '\(root)'. Replace the link with the file itself.",
                file: path)
        }
        return real
    }

    package func kind(of path: String) throws(RenderError) -> FileKind? {
        guard let real = try resolve(path) else { return nil }
        var info = stat()
        guard stat(real, &info) == 0 else { return nil }
        return (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }

    package func read(_ path: String, maxBytes: Int) throws(RenderError) -> [UInt8] {
        guard let real = try resolve(path) else {
            throw RenderError(.fileNotFound, "no such file. Check the path.", file: path)
        }
        let fd = open(real, O_RDONLY)
        guard fd >= 0 else {
            throw RenderError(.io, "cannot open the file (errno \(errno)). Check its permissions.", file: path)
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RenderError(.io, "cannot read the file (errno \(errno)). Check that it is a regular file.", file: path)
            }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
            guard out.count <= maxBytes else {
                throw RenderError(.limitExceeded, "file is larger than \(maxBytes) bytes. Split it or raise the limit.", file: path)
            }
        }
        return out
    }
}

/// The C `read(2)`, named apart from ``DiskFileSystem/read(_:maxBytes:)``.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
