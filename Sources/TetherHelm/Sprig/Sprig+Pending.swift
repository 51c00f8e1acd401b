import TetherTemplate

extension Sprig {
    static var encoding: [String: TemplateFunction] { [:] }
    static var paths: [String: TemplateFunction] { [:] }
    static var regex: [String: TemplateFunction] { [:] }
    static var semver: [String: TemplateFunction] { [:] }
    static var crypto: [String: TemplateFunction] { [:] }
    static var dates: [String: TemplateFunction] { [:] }
}
