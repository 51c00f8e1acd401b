import TetherTemplate

/// Families not written yet: their functions are absent (a template calling one fails at
/// parse time with Go's `function "X" not defined`), never faked.
/// TODO(issue 14): crypto, dates.
extension Sprig {
    static var crypto: [String: TemplateFunction] { [:] }
    static var dates: [String: TemplateFunction] { [:] }
}
