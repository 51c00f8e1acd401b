/// The user information of a URL (`scheme://user:secret@host/…`), which may hold a
/// password or a token and must never be printed: the one place that finds it, masks it
/// for messages and removes it.
package enum URLUserinfo {
    /// How much of the user information stays visible when it is masked.
    package enum Shown: Sendable {
        /// Nothing: `https://***@host/…` (over HTTP a lone user name is often a token).
        case nothing
        /// The user name in front of a password, `https://user:***@host/…`; a lone user
        /// name is masked, as it may be a token.
        case userBeforePassword
        /// The user name always, `ssh://git@host/…` and `ssh://git:***@host/…`: an SSH
        /// login name is not a secret.
        case user
    }

    /// Where the user information of `text` is: between `://` and the last `@` of the
    /// authority (which ends at the first `/`, `?` or `#`); nil when there is none.
    package static func range(in text: String) -> Range<String.Index>? {
        guard let scheme = text.firstRange(of: "://") else { return nil }
        let rest = text[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return nil }
        return scheme.upperBound..<at
    }

    /// `userinfo` (without its `@`) masked as `shown` says.
    package static func mask(_ userinfo: Substring, showing shown: Shown) -> String {
        let colon = userinfo.firstIndex(of: ":")
        switch (shown, colon) {
        case (.nothing, _), (.userBeforePassword, nil): return "***"
        case (.user, nil): return String(userinfo)
        case (.user, let colon?), (.userBeforePassword, let colon?): return String(userinfo[..<colon]) + ":***"
        }
    }

    /// `text` with its user information masked; text without any is returned as it is.
    package static func masked(_ text: String, showing shown: Shown = .nothing) -> String {
        guard let range = range(in: text) else { return text }
        return String(text[..<range.lowerBound]) + mask(text[range], showing: shown) + String(text[range.upperBound...])
    }

    /// `text` without its user information and its `@` (`https://host/…`).
    package static func removed(_ text: String) -> String {
        guard let range = range(in: text) else { return text }
        return String(text[..<range.lowerBound]) + String(text[text.index(after: range.upperBound)...])
    }
}
