import TetherTemplate

/// Families not written yet: their functions are absent (a template calling one fails at
/// parse time with Go's `function "X" not defined`), never faked.
/// TODO(issue 14): regex (RE2), semver, crypto, dates.
extension Sprig {
    static var regex: [String: TemplateFunction] { [:] }
    static var semver: [String: TemplateFunction] { [:] }
    static var crypto: [String: TemplateFunction] { [:] }
    static var dates: [String: TemplateFunction] { [:] }
}
