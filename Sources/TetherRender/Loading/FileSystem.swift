/// What a path names.
package enum FileKind: Sendable, Hashable {
    case file
    case directory
}

/// The only way the renderer reads input: a synchronous, rooted view of
/// files. Paths are relative to the root, `/`-separated and normalized
/// (no `.`, `..` or empty segments); the root itself is `""`.
///
/// Implementations must refuse to reach outside the root, including through
/// symbolic links.
package protocol FileSystem: Sendable {
    /// What `path` names, or `nil` when nothing exists there.
    /// - Throws: ``RenderError`` (`outsideRoot`) when a symbolic link leads
    ///   outside the root.
    func kind(of path: String) throws(RenderError) -> FileKind?

    /// The bytes of the file at `path`.
    /// - Throws: ``RenderError``: `fileNotFound`, `outsideRoot` (a link
    ///   leaves the root), `limitExceeded` (the file is larger than
    ///   `maxBytes`) or `io`.
    func read(_ path: String, maxBytes: Int) throws(RenderError) -> [UInt8]
}

/// Helpers for root-relative paths.
package enum RootedPath {
    /// Joins `relative` onto the directory `base` and normalizes the result.
    /// - Returns: the normalized path, or `nil` when it climbs above the root
    ///   or `relative` is absolute.
    package static func join(_ base: String, _ relative: String) -> String? {
        if relative.hasPrefix("/") { return nil }
        var parts = base.split(separator: "/").map(String.init)
        for segment in relative.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..":
                if parts.isEmpty { return nil }
                parts.removeLast()
            default: parts.append(String(segment))
            }
        }
        return parts.joined(separator: "/")
    }

    /// Whether `path` is `directory` or below it.
    package static func isWithin(_ path: String, _ directory: String) -> Bool {
        directory.isEmpty || path == directory || path.hasPrefix(directory + "/")
    }

    /// The last segment of a path.
    package static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// `path` for messages: `.` for the root.
    package static func display(_ path: String) -> String { path.isEmpty ? "." : path }
}
