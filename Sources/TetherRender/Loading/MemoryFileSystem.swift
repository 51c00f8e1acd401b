/// An in-memory ``FileSystem`` for tests: a map of paths to contents.
/// Directories exist implicitly wherever a file sits below them.
package struct MemoryFileSystem: FileSystem {
    private var files: [String: [UInt8]] = [:]

    /// Creates a filesystem holding `files` (path to UTF-8 text).
    package init(_ files: [String: String] = [:]) {
        for (path, text) in files { write(path, text) }
    }

    /// Adds or replaces a file.
    package mutating func write(_ path: String, _ text: String) {
        files[RootedPath.join("", path) ?? path] = Array(text.utf8)
    }

    package func kind(of path: String) throws(RenderError) -> FileKind? {
        if files[path] != nil { return .file }
        if path.isEmpty { return .directory }
        let prefix = path + "/"
        return files.keys.contains { $0.hasPrefix(prefix) } ? .directory : nil
    }

    package func read(_ path: String, maxBytes: Int) throws(RenderError) -> [UInt8] {
        guard let bytes = files[path] else {
            throw RenderError(.fileNotFound, "no such file. Check the path.", file: path)
        }
        guard bytes.count <= maxBytes else {
            throw RenderError(.limitExceeded, "file is larger than \(maxBytes) bytes. Split it.", file: path)
        }
        return bytes
    }
}
