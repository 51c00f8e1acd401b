import Foundation

/// A semantic-version range over tag names, in the syntax Flux and Argo CD take for
/// `semver:` refs (Masterminds semver): comparators `=`, `!=`, `>`, `>=`, `<`, `<=`, `~`
/// (same minor), `^` (same major, or same minor below 1.0), wildcards (`1.2.x`, `*`) and
/// hyphen ranges (`1.2 - 1.4`); comparators separated by spaces or commas must all hold,
/// and `||` separates alternatives.
///
/// A pre-release tag (`v2.0.0-rc.1`) matches only an alternative that names a pre-release
/// of the same version (`>=2.0.0-rc.0`), as npm ranges do, so `>=1.0.0` never moves a
/// cluster onto a release candidate.
package struct SemverRange: Sendable, Hashable, CustomStringConvertible {
    /// One primitive comparison.
    struct Bound: Sendable, Hashable {
        enum Relation: Sendable, Hashable { case equal, notEqual, greater, greaterOrEqual, less, lessOrEqual }
        var relation: Relation
        var version: SemanticVersion

        func admits(_ candidate: SemanticVersion) -> Bool {
            let order = candidate.compare(version)
            switch relation {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .greater: return order > 0
            case .greaterOrEqual: return order >= 0
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            }
        }
    }

    /// The range as written.
    package let text: String
    /// Alternatives (`||`), each a conjunction of bounds.
    let alternatives: [[Bound]]

    package var description: String { text }

    /// Parses a range.
    /// - Throws: `GitError` `.invalidInput` naming the part that does not parse and the forms accepted.
    package init(parsing text: String) throws(GitError) {
        self.text = text
        var alternatives: [[Bound]] = []
        for alternative in text.components(separatedBy: "||") {
            let tokens = Self.tokens(alternative)
            guard !tokens.isEmpty else { throw Self.invalid(text, part: alternative.isEmpty ? "an empty alternative" : alternative) }
            var bounds: [Bound] = []
            var index = 0
            while index < tokens.count {
                if index + 2 < tokens.count, tokens[index + 1] == "-" {
                    // Hyphen range: `1.2 - 1.4.5` is >=1.2.0 <=1.4.5 (a partial upper end covers its whole minor or major).
                    bounds += try Self.bounds(">=" + tokens[index], in: text) + Self.bounds("<=" + tokens[index + 2], in: text)
                    index += 3
                } else {
                    bounds += try Self.bounds(tokens[index], in: text)
                    index += 1
                }
            }
            alternatives.append(bounds)
        }
        self.alternatives = alternatives
    }

    /// Whether `version` lies in the range.
    package func admits(_ version: SemanticVersion) -> Bool {
        alternatives.contains { bounds in
            if version.prerelease != nil,
               !bounds.contains(where: { $0.version.prerelease != nil && $0.version.core == version.core }) {
                return false
            }
            return bounds.allSatisfy { $0.admits(version) }
        }
    }

    /// Splits an alternative into comparator tokens, joining an operator written apart from
    /// its version (`>= 1.2`).
    private static func tokens(_ alternative: String) -> [String] {
        let words = alternative.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        var tokens: [String] = []
        for word in words {
            if let last = tokens.last, !last.isEmpty, last.allSatisfy({ "<>=!~^".contains($0) }) {
                tokens[tokens.count - 1] = last + word
            } else {
                tokens.append(word)
            }
        }
        return tokens
    }

    private static func invalid(_ text: String, part: String) -> GitError {
        GitError(.invalidInput, """
            semver range '\(GitReference.printable(text))' cannot be read at '\(GitReference.printable(part))'. \
            Write comparators such as '>=1.2.0 <2.0.0', '~1.4', '^1.2', '1.x' or '1.2 - 1.4', joined by '||' for alternatives.
            """)
    }

    /// The primitive bounds of one comparator.
    private static func bounds(_ token: String, in text: String) throws(GitError) -> [Bound] {
        let operatorEnd = token.firstIndex { !"<>=!~^".contains($0) } ?? token.endIndex
        let op = String(token[..<operatorEnd])
        guard let partial = PartialVersion(String(token[operatorEnd...])) else { throw invalid(text, part: token) }
        let low = partial.lowest
        switch op {
        case "", "=", "==":
            guard let next = partial.nextAfterWildcard else { return [Bound(relation: .equal, version: low)] }
            return partial.isAny ? [Bound(relation: .greaterOrEqual, version: low)]
                : [Bound(relation: .greaterOrEqual, version: low), Bound(relation: .less, version: next)]
        case "!=":
            // A wildcard outside a conjunction would need an alternative: refuse rather than guess.
            guard partial.nextAfterWildcard == nil else { throw invalid(text, part: token) }
            return [Bound(relation: .notEqual, version: low)]
        case ">":
            return [partial.nextAfterWildcard.map { Bound(relation: .greaterOrEqual, version: $0) } ?? Bound(relation: .greater, version: low)]
        case ">=", "=>":
            return [Bound(relation: .greaterOrEqual, version: low)]
        case "<":
            return [Bound(relation: .less, version: low)]
        case "<=", "=<":
            return [partial.nextAfterWildcard.map { Bound(relation: .less, version: $0) } ?? Bound(relation: .lessOrEqual, version: low)]
        case "~", "~>":
            let upper = partial.minor == nil ? low.bumped(.major) : low.bumped(.minor)
            return [Bound(relation: .greaterOrEqual, version: low), Bound(relation: .less, version: upper)]
        case "^":
            let upper: SemanticVersion
            if low.major > 0 || partial.minor == nil { upper = low.bumped(.major) }
            else if low.minor > 0 || partial.patch == nil { upper = low.bumped(.minor) }
            else { upper = low.bumped(.patch) }
            return [Bound(relation: .greaterOrEqual, version: low), Bound(relation: .less, version: upper)]
        default:
            throw invalid(text, part: token)
        }
    }
}

/// A version as written in a range, where minor and patch may be left out or wildcards.
private struct PartialVersion {
    var major: UInt64?
    var minor: UInt64?
    var patch: UInt64?
    var prerelease: String?
    /// Whether a part was written `x`, `X` or `*`.
    var hasWildcard = false

    init?(_ text: String) {
        var core = text.hasPrefix("v") || text.hasPrefix("V") ? String(text.dropFirst()) : text
        if let plus = core.firstIndex(of: "+") { core = String(core[..<plus]) }
        if let dash = core.firstIndex(of: "-") {
            prerelease = String(core[core.index(after: dash)...])
            core = String(core[..<dash])
            guard prerelease?.isEmpty == false else { return nil }
        }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count) else { return nil }
        var numbers: [UInt64?] = []
        for part in parts {
            if ["x", "X", "*"].contains(part) { numbers.append(nil); hasWildcard = true; continue }
            guard let number = UInt64(part), !numbers.contains(where: { $0 == nil }) else { return nil }
            numbers.append(number)
        }
        (major, minor, patch) = (numbers[0], numbers.count > 1 ? numbers[1] : nil, numbers.count > 2 ? numbers[2] : nil)
        // A wildcard or a missing part leaves no room for a pre-release.
        if prerelease != nil, patch == nil { return nil }
    }

    var isAny: Bool { major == nil }

    /// The lowest version the partial names (`1.2` → 1.2.0, `*` → 0.0.0).
    var lowest: SemanticVersion {
        SemanticVersion(major: major ?? 0, minor: minor ?? 0, patch: patch ?? 0, prerelease: prerelease)
    }

    /// For a partial with a wildcard or missing part, the first version past its span
    /// (`1.2.x` → 1.3.0, `1` → 2.0.0); nil when fully given.
    var nextAfterWildcard: SemanticVersion? {
        guard let major else { return SemanticVersion(major: .max, minor: 0, patch: 0, prerelease: nil) }
        guard let minor else { return SemanticVersion(major: major + 1, minor: 0, patch: 0, prerelease: nil) }
        guard patch != nil else { return SemanticVersion(major: major, minor: minor + 1, patch: 0, prerelease: nil) }
        return nil
    }
}

/// A semantic version read from a tag name (`v1.4.0`, `1.4.0-rc.1`; a missing minor or
/// patch is 0, as Masterminds semver reads tags).
package struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var major: UInt64
    package var minor: UInt64
    package var patch: UInt64
    /// The pre-release identifiers after `-`, nil for a release.
    package var prerelease: String?

    init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: String?) {
        (self.major, self.minor, self.patch, self.prerelease) = (major, minor, patch, prerelease)
    }

    /// Reads a tag name as a version; nil when it is not one.
    package init?(tag: String) {
        guard let partial = PartialVersion(tag), !partial.hasWildcard, let major = partial.major else { return nil }
        self.init(major: major, minor: partial.minor ?? 0, patch: partial.patch ?? 0, prerelease: partial.prerelease)
    }

    package var description: String { "\(major).\(minor).\(patch)" + (prerelease.map { "-" + $0 } ?? "") }

    var core: [UInt64] { [major, minor, patch] }

    enum Part { case major, minor, patch }

    func bumped(_ part: Part) -> SemanticVersion {
        switch part {
        case .major: return SemanticVersion(major: major + 1, minor: 0, patch: 0, prerelease: nil)
        case .minor: return SemanticVersion(major: major, minor: minor + 1, patch: 0, prerelease: nil)
        case .patch: return SemanticVersion(major: major, minor: minor, patch: patch + 1, prerelease: nil)
        }
    }

    /// Semantic-version precedence: -1, 0 or 1. Build metadata is ignored; a release sorts
    /// after its pre-releases, whose identifiers compare numerically or in ASCII order.
    func compare(_ other: SemanticVersion) -> Int {
        for (a, b) in zip(core, other.core) where a != b { return a < b ? -1 : 1 }
        switch (prerelease, other.prerelease) {
        case (nil, nil): return 0
        case (nil, _): return 1
        case (_, nil): return -1
        case (let a?, let b?):
            let left = a.split(separator: "."), right = b.split(separator: ".")
            for (x, y) in zip(left, right) where x != y {
                switch (UInt64(x), UInt64(y)) {
                case (let p?, let q?): return p < q ? -1 : 1
                case (.some, nil): return -1
                case (nil, .some): return 1
                case (nil, nil): return x < y ? -1 : 1
                }
            }
            return left.count == right.count ? 0 : left.count < right.count ? -1 : 1
        }
    }

    package static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool { lhs.compare(rhs) < 0 }
}
