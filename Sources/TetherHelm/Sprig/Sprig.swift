package import TetherTemplate

/// Sprig (github.com/Masterminds/sprig v3.3.0), the function library Helm gives every
/// template, written natively: the functions Helm v4 keeps (it drops `env` and `expandenv`
/// and replaces `toJson`, `fromJson`, `toYaml`... with its own, which live elsewhere).
///
/// Each function declares Sprig's Go parameter types, so the engine converts and refuses
/// arguments exactly as Go's reflect call does. Errors carry Sprig's Go text; the engine
/// wraps them as `error calling NAME: ...`.
///
/// `getHostByName` answers `""`, as Helm's engine does without `--enable-dns` (the only way
/// `helm template` runs here; no DNS lookup is ever made).
///
/// `bcrypt` and `htpasswd` hash with the system's libxcrypt (see ``BCrypt``); without it they
/// fail with an error naming the library.
package enum Sprig {
    /// Every Sprig function Helm exposes, by the name templates call it.
    ///
    /// Combine it with Helm's built-ins: `var table = TemplateFunctionTable(Sprig.functions())`
    /// then `table.merge(helmBuiltins)` (Helm's win, as in `pkg/engine/funcs.go`).
    /// - Returns: the functions by name.
    package static func functions() -> [String: TemplateFunction] {
        var all: [String: TemplateFunction] = [:]
        for family in [strings, lists, dicts, math, defaults, reflection, encoding, paths, regex, semver, crypto, bcryptFamily, certificates, dates, url] {
            all.merge(family) { _, new in new }
        }
        all["getHostByName"] = TemplateFunction([.string]) { _, _ in .string("") }
        return all
    }
}

/// A Sprig function's failure, with the text Sprig's Go code gives it.
package struct SprigError: Error, Sendable, CustomStringConvertible {
    /// Go's error text, e.g. `Cannot push on type string`.
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
