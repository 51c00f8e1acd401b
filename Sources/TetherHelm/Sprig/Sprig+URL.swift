import TetherTemplate

/// Sprig's `urlParse` and `urlJoin` (url.go) over a port of Go's `net/url` `Parse` and
/// `URL.String`, escaping each part as Go does.
extension Sprig {
    static var url: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        f["urlParse"] = TemplateFunction([.string]) { a, _ in
            let u: GoURL
            do { u = try GoURL.parse(str(a, 0)) } catch { throw SprigError("unable to parse url: \(error)") }
            return .map([
                "scheme": .string(u.scheme), "host": .string(u.host), "hostname": .string(u.hostname),
                "path": .string(u.path), "query": .string(u.rawQuery), "opaque": .string(u.opaque),
                "fragment": .string(u.fragment), "userinfo": .string(u.userinfo ?? ""),
            ])
        }
        f["urlJoin"] = TemplateFunction([.map(.any)]) { a, _ in
            let d = a[0].mapValue ?? [:]
            func get(_ key: String) throws -> String {
                guard let v = d[key] else { return "" }
                guard case .string(let s) = v else {
                    throw SprigError("unable to parse \(key) key, must be of type string, but \(kind(v)) found")
                }
                return s
            }
            var u = GoURL(scheme: try get("scheme"), opaque: try get("opaque"), host: try get("host"), path: try get("path"),
                          rawQuery: try get("query"), fragment: try get("fragment"))
            let userinfo = try get("userinfo")
            if !userinfo.isEmpty {
                do { u.userinfo = try GoURL.parse("proto://\(userinfo)@host").userinfo } catch {
                    throw SprigError("unable to parse userinfo in dict: \(error)")
                }
            }
            return .string(u.string)
        }
        return f
    }
}

/// The parts of Go's `url.URL` Sprig reads and writes; `userinfo` is `User.String()`.
struct GoURL {
    var scheme = "", opaque = "", host = "", path = "", rawQuery = "", fragment = ""
    var forceQuery = false
    var userinfo: String?

    struct ParseError: Error, CustomStringConvertible {
        var op: String, url: String, message: String
        var description: String { "\(op) \(goQuote(url)): \(message)" }
    }

    var hostname: String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") { return String(host[host.index(after: host.startIndex)..<close]) }
        if let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
        return host
    }

    static func parse(_ raw: String) throws -> GoURL {
        var rest = raw
        var frag = ""
        if let hash = rest.firstIndex(of: "#") {
            frag = String(rest[rest.index(after: hash)...])
            rest = String(rest[..<hash])
        }
        var u = try parseMain(rest, raw)
        guard let f = unescape(frag) else { throw ParseError(op: "parse", url: raw, message: "invalid URL escape") }
        u.fragment = f
        return u
    }

    private static func parseMain(_ text: String, _ raw: String) throws -> GoURL {
        var u = GoURL()
        var rest = Substring(text)
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw ParseError(op: "parse", url: raw, message: "net/url: invalid control character in URL")
        }
        // Scheme.
        for (i, c) in rest.enumerated() {
            if c.isASCII && c.isLetter { continue }
            if c.isASCII && (c.isNumber || c == "+" || c == "-" || c == ".") {
                if i == 0 { break }
                continue
            }
            if c == ":" {
                if i == 0 { throw ParseError(op: "parse", url: raw, message: "missing protocol scheme") }
                u.scheme = rest.prefix(i).lowercased()
                rest = rest.dropFirst(i + 1)
            }
            break
        }
        if rest.hasSuffix("?") && rest.filter({ $0 == "?" }).count == 1 {
            u.forceQuery = true
            rest = rest.dropLast()
        } else if let q = rest.firstIndex(of: "?") {
            u.rawQuery = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        if !rest.hasPrefix("/") {
            if !u.scheme.isEmpty {
                u.opaque = String(rest)
                return u
            }
            if let colon = rest.firstIndex(of: ":"), !rest[..<colon].contains("/") {
                throw ParseError(op: "parse", url: raw, message: "first path segment in URL cannot contain colon")
            }
        }
        if (!u.scheme.isEmpty || !rest.hasPrefix("///")) && rest.hasPrefix("//") {
            var authority = rest.dropFirst(2)
            var after: Substring = ""
            if let slash = authority.firstIndex(of: "/") {
                after = authority[slash...]
                authority = authority[..<slash]
            }
            if let at = authority.lastIndex(of: "@") {
                let info = authority[..<at]
                let parts = info.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                guard let user = unescape(String(parts[0])), parts.count == 1 || unescape(String(parts[1])) != nil else {
                    throw ParseError(op: "parse", url: raw, message: "net/url: invalid userinfo")
                }
                var s = escape(user, .userPassword)
                if parts.count > 1 { s += ":" + escape(unescape(String(parts[1]))!, .userPassword) }
                u.userinfo = s
                authority = authority[authority.index(after: at)...]
            }
            u.host = String(authority)
            rest = after
        }
        guard let p = unescape(String(rest)) else { throw ParseError(op: "parse", url: raw, message: "invalid URL escape") }
        u.path = p
        return u
    }

    enum Mode { case path, fragment, host, userPassword }

    static func escape(_ s: String, _ mode: Mode) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if shouldEscape(b, mode) {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            } else {
                out.append(c)
            }
        }
        return out
    }

    private static func shouldEscape(_ b: UInt8, _ mode: Mode) -> Bool {
        let c = Character(Unicode.Scalar(b))
        if b < 0x80, c.isLetter || c.isNumber { return false }
        if mode == .host, b >= 0x80 || "!$&'()*+,;=:[]<>\"".contains(c) { return false }
        if "-_.~".contains(c) { return false }
        if "$&+,/:;=?@".contains(c) {
            switch mode {
            case .path: return c == "?"
            case .userPassword: return c == "@" || c == "/" || c == "?" || c == ":"
            case .fragment, .host: return false
            }
        }
        if mode == .fragment, "!()*".contains(c) { return false }
        return true
    }

    static func unescape(_ s: String) -> String? {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `URL.String`.
    var string: String {
        var out = ""
        if !scheme.isEmpty { out += scheme + ":" }
        if !opaque.isEmpty {
            out += opaque
        } else {
            if !scheme.isEmpty || !host.isEmpty || userinfo != nil {
                if !host.isEmpty || !path.isEmpty || userinfo != nil { out += "//" }
                if let userinfo { out += userinfo + "@" }
                if !host.isEmpty { out += Self.escape(host, .host) }
            }
            let p = Self.escape(path, .path)
            if !p.isEmpty && !p.hasPrefix("/") && !host.isEmpty { out += "/" }
            if out.isEmpty, let segment = p.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first, segment.contains(":") {
                out += "./"
            }
            out += p
        }
        if forceQuery || !rawQuery.isEmpty { out += "?" + rawQuery }
        if !fragment.isEmpty { out += "#" + Self.escape(fragment, .fragment) }
        return out
    }
}

private extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
