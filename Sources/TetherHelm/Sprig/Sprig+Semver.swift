import Foundation
import TetherTemplate

/// Sprig's `semver` and `semverCompare` (semver.go) over Masterminds/semver v3:
/// `NewVersion`'s loose parsing, `NewConstraint`'s operators, ranges, wildcards, `,`/space
/// AND and `||` OR, and `Check`'s rule that a constraint without a prerelease never matches
/// a prerelease version.
extension Sprig {
    static var semver: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        f["semver"] = TemplateFunction([.string]) { a, _ in .object(try SemverVersion.parse(str(a, 0))) }
        f["semverCompare"] = TemplateFunction([.string, .string]) { a, _ in
            let constraints = try SemverConstraints(str(a, 0))
            return .bool(constraints.check(try SemverVersion.parse(str(a, 1))))
        }
        return f
    }
}

/// Masterminds' `*semver.Version`.
struct SemverVersion: TemplateObject {
    var major: UInt64 = 0, minor: UInt64 = 0, patch: UInt64 = 0
    var pre = "", metadata = "", original = ""
    var pointer = true

    static let pattern = #"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"# + #"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"#
        + #"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"#
    static let regex = try! GoRegexp("^" + pattern + "$")
    static let digits = Set("0123456789".unicodeScalars)
    static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789".unicodeScalars)

    /// `semver.NewVersion`.
    static func parse(_ v: String) throws -> SemverVersion {
        guard let m = regex.submatches(v) else { throw SprigError("Invalid Semantic Version") }
        var sv = SemverVersion(pre: m[5], metadata: m[8], original: v)
        func segment(_ s: String) throws -> UInt64 {
            let digits = s.hasPrefix(".") ? String(s.dropFirst()) : s
            guard let n = UInt64(digits) else {
                throw SprigError("Error parsing version segment: strconv.ParseUint: parsing \(goQuote(digits)): value out of range")
            }
            return n
        }
        sv.major = try segment(m[1])
        sv.minor = m[2].isEmpty ? 0 : try segment(m[2])
        sv.patch = m[3].isEmpty ? 0 : try segment(m[3])
        if !sv.pre.isEmpty {
            for part in sv.pre.split(separator: ".", omittingEmptySubsequences: false) {
                if part.unicodeScalars.allSatisfy(digits.contains) {
                    if part.count > 1 && part.hasPrefix("0") { throw SprigError("Version segment starts with 0") }
                } else if !part.unicodeScalars.allSatisfy(allowed.contains) {
                    throw SprigError("Invalid Prerelease string")
                }
            }
        }
        if !sv.metadata.isEmpty {
            for part in sv.metadata.split(separator: ".", omittingEmptySubsequences: false)
            where !part.unicodeScalars.allSatisfy(allowed.contains) {
                throw SprigError("Invalid Metadata string")
            }
        }
        return sv
    }

    var string: String {
        "\(major).\(minor).\(patch)" + (pre.isEmpty ? "" : "-" + pre) + (metadata.isEmpty ? "" : "+" + metadata)
    }

    func compare(_ o: SemverVersion) -> Int {
        if major != o.major { return major < o.major ? -1 : 1 }
        if minor != o.minor { return minor < o.minor ? -1 : 1 }
        if patch != o.patch { return patch < o.patch ? -1 : 1 }
        if pre.isEmpty && o.pre.isEmpty { return 0 }
        if pre.isEmpty { return 1 }
        if o.pre.isEmpty { return -1 }
        return Self.comparePrerelease(pre, o.pre)
    }

    static func comparePrerelease(_ v: String, _ o: String) -> Int {
        let s = v.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let t = o.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for i in 0..<max(s.count, t.count) {
            let d = comparePart(i < s.count ? s[i] : "", i < t.count ? t[i] : "")
            if d != 0 { return d }
        }
        return 0
    }

    static func comparePart(_ s: String, _ o: String) -> Int {
        if s == o { return 0 }
        if s.isEmpty { return -1 }
        if o.isEmpty { return 1 }
        let oi = UInt64(o), si = UInt64(s)
        switch (si, oi) {
        case (nil, nil): return s.utf8.lexicographicallyPrecedes(o.utf8) ? -1 : 1
        case (.some, nil): return -1
        case (nil, .some): return 1
        case (let a?, let b?): return a > b ? 1 : -1
        }
    }

    private var vPrefix: String { original.hasPrefix("v") ? "v" : "" }

    private func next(_ change: (inout SemverVersion) -> Void) -> SemverVersion {
        var n = self
        change(&n)
        n.pointer = false
        n.original = vPrefix + n.string
        return n
    }

    var typeName: String { pointer ? "*semver.Version" : "semver.Version" }
    var formatted: String { string }

    func member(named name: String) -> TemplateMember? {
        let other = TemplateType.named("*semver.Version")
        @Sendable func versionArgument(_ v: TemplateValue) -> SemverVersion {
            if case .object(let o) = v, let sv = o as? SemverVersion { return sv }
            return SemverVersion()
        }
        func method(_ params: [TemplateType] = [], _ body: @escaping @Sendable ([TemplateValue]) throws -> TemplateValue) -> TemplateMember {
            .method(TemplateFunction(params) { a, _ in try body(a) })
        }
        switch name {
        case "Major": return method { _ in .uint(major, .uint64) }
        case "Minor": return method { _ in .uint(minor, .uint64) }
        case "Patch": return method { _ in .uint(patch, .uint64) }
        case "Prerelease": return method { _ in .string(pre) }
        case "Metadata": return method { _ in .string(metadata) }
        case "Original": return method { _ in .string(original) }
        case "String": return method { _ in .string(string) }
        case "Compare": return method([other]) { a in .int(Int64(compare(versionArgument(a[0])))) }
        case "LessThan": return method([other]) { a in .bool(compare(versionArgument(a[0])) < 0) }
        case "GreaterThan": return method([other]) { a in .bool(compare(versionArgument(a[0])) > 0) }
        case "Equal": return method([other]) { a in .bool(compare(versionArgument(a[0])) == 0) }
        case "IncMajor": return method { _ in .object(next { $0.major += 1; $0.minor = 0; $0.patch = 0; $0.pre = ""; $0.metadata = "" }) }
        case "IncMinor": return method { _ in .object(next { $0.minor += 1; $0.patch = 0; $0.pre = ""; $0.metadata = "" }) }
        case "IncPatch":
            return method { _ in
                .object(next { v in
                    if v.pre.isEmpty { v.patch += 1 }
                    v.pre = ""
                    v.metadata = ""
                })
            }
        default: return nil
        }
    }
}

/// Masterminds' `*semver.Constraints`.
struct SemverConstraints {
    struct Constraint {
        var version: SemverVersion
        var original: String
        var op: String
        var minorDirty = false, patchDirty = false, dirty = false
    }

    var alternatives: [[Constraint]]

    static let ops = #"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"#
    static let cv = #"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"# + #"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"#
        + #"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"#
    static let constraintRegex = try! GoRegexp(#"^\s*("# + ops + #")\s*("# + cv + #")\s*$"#)
    static let rangeRegex = try! GoRegexp(#"\s*("# + cv + #")\s+-\s+("# + cv + #")\s*"#)
    static let findRegex = try! GoRegexp("(" + ops + #")\s*("# + cv + ")")
    static let validRegex = try! GoRegexp(#"^(\s*("# + ops + #")\s*("# + cv + #")\s*)((?:\s+|,\s*)("# + ops + #")\s*("# + cv + #")\s*)*$"#)

    /// `semver.NewConstraint`.
    init(_ text: String) throws {
        var c = text
        // rewriteRange: `A - B` becomes `>= A, <= B`.
        let ns = text as NSString
        for m in Self.rangeRegex.allMatches(ns, -1) {
            let groups = m.map { $0.map { ns.substring(with: $0) } ?? "" }
            if let r = c.range(of: groups[0]) { c.replaceSubrange(r, with: ">= \(groups[1]), <= \(groups[11])") }
        }
        alternatives = try c.components(separatedBy: "||").map { alternative in
            guard Self.validRegex.matches(alternative) else { throw SprigError("improper constraint: \(alternative)") }
            let found = Self.findRegex.findAll(alternative, -1) ?? [alternative]
            return try found.map(Self.parseConstraint)
        }
    }

    static func isX(_ s: String) -> Bool { s == "x" || s == "*" || s == "X" }

    static func parseConstraint(_ c: String) throws -> Constraint {
        guard !c.isEmpty else {
            return Constraint(version: SemverVersion(original: "0.0.0"), original: c, op: "", dirty: true)
        }
        guard let m = constraintRegex.submatches(c) else { throw SprigError("improper constraint: \(c)") }
        var cs = Constraint(version: SemverVersion(), original: m[2], op: m[1])
        var ver = m[2]
        let minor = m[4].hasPrefix(".") ? String(m[4].dropFirst()) : m[4]
        let patch = m[5].hasPrefix(".") ? String(m[5].dropFirst()) : m[5]
        if isX(m[3]) || m[3].isEmpty {
            ver = "0.0.0" + m[6]
            cs.dirty = true
        } else if isX(minor) || m[4].isEmpty {
            cs.minorDirty = true
            cs.dirty = true
            ver = m[3] + ".0.0" + m[6]
        } else if isX(patch) || m[5].isEmpty {
            cs.dirty = true
            cs.patchDirty = true
            ver = m[3] + m[4] + ".0" + m[6]
        }
        guard let v = try? SemverVersion.parse(ver) else { throw SprigError("constraint Parser Error") }
        cs.version = v
        return cs
    }

    func check(_ v: SemverVersion) -> Bool {
        alternatives.contains { all in all.allSatisfy { Self.check(v, $0) } }
    }

    static func check(_ v: SemverVersion, _ c: Constraint) -> Bool {
        let con = c.version
        if c.op != "!=" && !v.pre.isEmpty && con.pre.isEmpty { return false }
        switch c.op {
        case "", "=":
            return c.dirty ? tilde(v, c) : v.compare(con) == 0
        case "!=":
            if c.dirty {
                if !v.pre.isEmpty && con.pre.isEmpty { return false }
                if con.major != v.major { return true }
                if con.minor != v.minor && !c.minorDirty { return true }
                if c.minorDirty { return false }
                if con.patch != v.patch && !c.patchDirty { return true }
                if c.patchDirty {
                    if !v.pre.isEmpty || !con.pre.isEmpty {
                        return SemverVersion.comparePrerelease(v.pre, con.pre) != 0
                    }
                    return false
                }
            }
            return v.compare(con) != 0
        case ">":
            if !c.dirty { return v.compare(con) == 1 }
            if v.major > con.major { return true }
            if v.major < con.major || c.minorDirty { return false }
            if c.patchDirty { return v.minor > con.minor }
            return v.compare(con) == 1
        case "<":
            return v.compare(con) < 0
        case ">=", "=>":
            return v.compare(con) >= 0
        case "<=", "=<":
            if !c.dirty { return v.compare(con) <= 0 }
            if v.major > con.major { return false }
            if v.major == con.major && v.minor > con.minor && !c.minorDirty { return false }
            return true
        case "~", "~>":
            return tilde(v, c)
        case "^":
            if v.compare(con) < 0 { return false }
            if con.major > 0 || c.minorDirty { return v.major == con.major }
            if v.major > 0 { return false }
            if con.minor > 0 || c.patchDirty { return v.minor == con.minor }
            if v.minor > 0 { return false }
            return con.patch == v.patch
        default:
            return false
        }
    }

    static func tilde(_ v: SemverVersion, _ c: Constraint) -> Bool {
        let con = c.version
        if v.compare(con) < 0 { return false }
        if con.major == 0 && con.minor == 0 && con.patch == 0 && !c.minorDirty && !c.patchDirty { return true }
        if v.major != con.major { return false }
        if v.minor != con.minor && !c.minorDirty { return false }
        return true
    }
}
