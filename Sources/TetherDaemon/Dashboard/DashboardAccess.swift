import Foundation

/// Who may press "sync now" and "refresh": nobody unless `--ui-actions` is set; then a
/// request that carries the bearer token (`--ui-token-file`), or one from the dashboard's
/// own page (the per-process CSRF token it embeds, sent from the same origin).
///
/// The page itself is read-only and open to whoever reaches `--listen`.
package struct DashboardAccess: Sendable {
    package var actionsEnabled: Bool
    /// The bearer token, when a token file was given.
    let bearerToken: [UInt8]?
    /// Embedded in the page's forms; random for each process.
    package let csrfToken: String

    /// - Parameters:
    ///   - actionsEnabled: `--ui-actions`.
    ///   - bearerToken: the token file's text (trimmed), or nil.
    package init(actionsEnabled: Bool, bearerToken: String?) {
        self.actionsEnabled = actionsEnabled
        self.bearerToken = bearerToken.map { Array($0.utf8) }
        var generator = SystemRandomNumberGenerator()
        csrfToken = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// Why an action request is refused, or nil when it is allowed.
    /// - Parameters:
    ///   - authorization: the `Authorization` header.
    ///   - csrf: the `csrf` form field or `X-CSRF-Token` header.
    ///   - origin: the `Origin` header; `host` the `Host` header. A browser sends Origin
    ///     with every form POST, so a request with a CSRF token must name this host.
    ///   - fetchSite: `Sec-Fetch-Site`, when the browser sends it.
    package func refusal(authorization: String?, csrf: String?, origin: String?, host: String?, fetchSite: String?) -> String? {
        guard actionsEnabled else { return "actions are disabled: start tether run with --ui-actions" }
        if let authorization, authorization.hasPrefix("Bearer ") {
            guard let bearerToken else { return "bearer tokens are not accepted: start tether run with --ui-token-file" }
            return Self.constantTimeEqual(Array(authorization.dropFirst("Bearer ".count).utf8), bearerToken)
                ? nil : "the bearer token does not match --ui-token-file"
        }
        guard let csrf else { return "send the bearer token (Authorization: Bearer …) or use the dashboard's own buttons" }
        guard Self.constantTimeEqual(Array(csrf.utf8), Array(csrfToken.utf8)) else {
            return "the CSRF token does not match (the daemon restarted?): reload the page"
        }
        if let fetchSite, fetchSite != "same-origin" { return "cross-site request refused" }
        guard let origin, let host else { return "same-origin check failed: the request has no Origin or Host header" }
        guard origin == "http://" + host || origin == "https://" + host else { return "cross-origin request refused" }
        return nil
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
