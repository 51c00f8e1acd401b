import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A chart's `.helmignore` rules, read and applied as Helm's `pkg/ignore` does: one
/// `filepath.Match` pattern a line (`#` comments), `!` negates, a trailing `/` matches only
/// directories, a pattern with a `/` matches the chart-relative path and one without matches
/// the base name; the rule `templates/.?*` is always added. A negated rule, as in Helm, ignores
/// every path it does *not* match.
struct HelmIgnore {
    private struct Rule {
        var pattern: String
        var negate: Bool
        var mustDir: Bool
        var matchesBaseName: Bool
    }

    /// One walked path, chart-relative with `/` separators.
    struct Entry {
        var path: String
        var isDirectory: Bool
    }

    private var rules: [Rule] = []

    /// Reads `DIRECTORY/.helmignore` when present.
    /// - Throws: `HelmError` `.invalidChart` for a `**` pattern, which Helm refuses.
    init(directory: String) throws(HelmError) {
        add("templates/.?*")
        guard let text = try? String(contentsOfFile: directory + "/.helmignore", encoding: .utf8) else { return }
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.contains("**") {
                throw HelmError(.invalidChart, "double-star (**) syntax is not supported in .helmignore (\(line)). Use single-star patterns.", path: directory + "/.helmignore")
            }
            add(line)
        }
    }

    private mutating func add(_ line: String) {
        var pattern = line
        var negate = false
        if pattern.hasPrefix("!"), pattern.count > 1 {
            negate = true
            pattern.removeFirst()
        }
        var mustDir = false
        if pattern.hasSuffix("/") {
            mustDir = true
            pattern.removeLast()
        }
        let rooted = pattern.hasPrefix("/")
        if rooted { pattern.removeFirst() }
        rules.append(Rule(pattern: pattern, negate: negate, mustDir: mustDir, matchesBaseName: !rooted && !pattern.contains("/")))
    }

    /// Whether Helm's loader leaves `path` out.
    func ignores(_ path: String, isDirectory: Bool) -> Bool {
        if path.isEmpty || path == "." { return false }
        for rule in rules {
            let name = rule.matchesBaseName ? String(path.split(separator: "/").last ?? "") : path
            let matched = fnmatch(rule.pattern, name, FNM_PATHNAME) == 0
            if rule.negate {
                if rule.mustDir && !isDirectory { return true }
                if !matched { return true }
                continue
            }
            if rule.mustDir && !isDirectory { continue }
            if matched { return true }
        }
        return false
    }

    /// Every file and directory under `root` that is not ignored, in lexical order; an ignored
    /// directory is not entered.
    func walk(_ root: String) -> [Entry] {
        var out: [Entry] = []
        visit(root, relative: "", into: &out)
        return out
    }

    private func visit(_ root: String, relative: String, into out: inout [Entry]) {
        let fm = FileManager.default
        let folder = relative.isEmpty ? root : root + "/" + relative
        for name in ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
            let path = relative.isEmpty ? name : relative + "/" + name
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: root + "/" + path, isDirectory: &isDir) else { continue }
            if ignores(path, isDirectory: isDir.boolValue) { continue }
            out.append(Entry(path: path, isDirectory: isDir.boolValue))
            if isDir.boolValue { visit(root, relative: path, into: &out) }
        }
    }
}
