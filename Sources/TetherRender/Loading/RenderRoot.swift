#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a render of a directory on disk is rooted: the directory every
/// path (`../base` included) must stay inside, and the kustomization's path
/// below it.
///
/// The root is the top of the Git work tree that holds the directory (the
/// nearest enclosing folder with a `.git` entry, a directory or a work-tree
/// link file), or the directory itself outside any repository; an explicit
/// root overrides both. The current directory plays no part, so
/// `tether render /abs/overlay` reads the same files from anywhere.
package struct RenderRoot: Sendable, Equatable {
    /// The root, absolute, with symbolic links resolved.
    package let root: String
    /// The kustomization directory relative to ``root`` (`""` for the root).
    package let path: String

    /// Locates the root for `directory`.
    /// - Parameters:
    ///   - directory: the kustomization directory, absolute or relative to
    ///     `currentDirectory`.
    ///   - explicitRoot: a root chosen by the user (`--root`), absolute or
    ///     relative to `currentDirectory`, or `nil` to use the work tree.
    ///   - currentDirectory: what relative paths are relative to.
    /// - Throws: ``RenderError``: `fileNotFound` when `directory` or the
    ///   explicit root does not exist, `outsideRoot` when `directory` is not
    ///   inside the explicit root.
    package static func locate(_ directory: String, root explicitRoot: String?, currentDirectory: String) throws(RenderError) -> RenderRoot {
        func absolute(_ p: String) -> String { p.hasPrefix("/") ? p : currentDirectory + "/" + p }
        guard let dir = DiskFileSystem.realPath(absolute(directory)) else {
            throw RenderError(.fileNotFound, "directory does not exist. Check the path.", file: directory)
        }
        let root: String
        if let explicitRoot {
            guard let resolved = DiskFileSystem.realPath(absolute(explicitRoot)) else {
                throw RenderError(.fileNotFound, "root directory (--root) does not exist. Check the path.", file: explicitRoot)
            }
            guard relative(dir, to: resolved) != nil else {
                throw RenderError(
                    .outsideRoot, "directory is outside the root '\(resolved)' given by --root. Give a root that contains it, or leave --root out.",
                    file: directory)
            }
            root = resolved
        } else {
            root = workTree(containing: dir) ?? dir
        }
        return RenderRoot(root: root, path: relative(dir, to: root) ?? "")
    }

    /// The nearest folder at or above `dir` holding a `.git` entry.
    private static func workTree(containing dir: String) -> String? {
        var candidate = dir
        while true {
            var info = stat()
            if lstat((candidate == "/" ? "" : candidate) + "/.git", &info) == 0 { return candidate }
            guard candidate != "/", let slash = candidate.lastIndex(of: "/") else { return nil }
            candidate = slash == candidate.startIndex ? "/" : String(candidate[..<slash])
        }
    }

    /// `path` relative to `root`, or `nil` when it is not inside it.
    private static func relative(_ path: String, to root: String) -> String? {
        if path == root { return "" }
        let prefix = root == "/" ? "/" : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : nil
    }
}
