import TetherModel
import TetherTemplate

/// Sprig's encodings (b64enc/b64dec, b32enc/b32dec) and path functions (path.*, filepath.*
/// with Linux semantics, as Helm runs them).
extension Sprig {
    static var encoding: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        f["b64enc"] = TemplateFunction([.string]) { a, _ in .string(Base64.encode(Array(str(a, 0).utf8))) }
        f["b64dec"] = TemplateFunction([.string]) { a, _ in
            guard let bytes = Base64.decode(str(a, 0)) else { return .string("illegal base64 data at input byte 0") }
            return .string(String(decoding: bytes, as: UTF8.self))
        }
        f["b32enc"] = TemplateFunction([.string]) { a, _ in .string(base32(Array(str(a, 0).utf8))) }
        f["b32dec"] = TemplateFunction([.string]) { a, _ in
            guard let bytes = unbase32(str(a, 0)) else { return .string("illegal base32 data at input byte 0") }
            return .string(String(decoding: bytes, as: UTF8.self))
        }
        return f
    }

    static var paths: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        for prefix in ["", "os"] {
            let name = { (s: String) in prefix.isEmpty ? s : prefix + s.prefix(1).uppercased() + s.dropFirst() }
            f[name("base")] = stringFunction(pathBase)
            f[name("dir")] = stringFunction { s in pathDir(s) }
            f[name("clean")] = stringFunction(pathClean)
            f[name("ext")] = stringFunction(pathExt)
            f[name("isAbs")] = TemplateFunction([.string]) { a, _ in .bool(str(a, 0).hasPrefix("/")) }
        }
        return f
    }

    private static let base32Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// RFC 4648 base32 with padding (Go's `base32.StdEncoding`).
    static func base32(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i..<min(i + 5, bytes.count)])
            var buffer = [UInt8](repeating: 0, count: 5)
            for (j, b) in chunk.enumerated() { buffer[j] = b }
            let bits = buffer.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let chars = [2, 4, 5, 7, 8][chunk.count - 1]  // ceil(8 × bytes / 5)
            for j in 0..<8 { out.append(j < chars ? base32Alphabet[Int((bits >> UInt64(35 - 5 * j)) & 31)] : UInt8(ascii: "=")) }
            i += 5
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unbase32(_ s: String) -> [UInt8]? {
        let text = Array(s.utf8).filter { $0 != 0x0A && $0 != 0x0D }
        guard text.count % 8 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < text.count {
            let block = text[i..<(i + 8)]
            let data = block.prefix { $0 != UInt8(ascii: "=") }
            guard block.dropFirst(data.count).allSatisfy({ $0 == UInt8(ascii: "=") }) else { return nil }
            var bits: UInt64 = 0
            for c in data {
                guard let v = base32Alphabet.firstIndex(of: c) else { return nil }
                bits = bits << 5 | UInt64(v)
            }
            bits <<= UInt64(5 * (8 - data.count))
            let count: Int
            switch data.count {
            case 8: count = 5
            case 7: count = 4
            case 5: count = 3
            case 4: count = 2
            case 2: count = 1
            default: return nil
            }
            for j in 0..<count { out.append(UInt8((bits >> UInt64(32 - 8 * j)) & 0xFF)) }
            i += 8
        }
        return out
    }

    /// Go's `path.Clean`.
    static func pathClean(_ p: String) -> String {
        if p.isEmpty { return "." }
        let rooted = p.hasPrefix("/")
        var parts: [Substring] = []
        for part in p.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." { parts.removeLast() } else if !rooted { parts.append(part) }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Go's `path.Base`.
    static func pathBase(_ p: String) -> String {
        if p.isEmpty { return "." }
        var s = Substring(p)
        while s.count > 1, s.hasSuffix("/") { s = s.dropLast() }
        if s == "/" { return "/" }
        if let slash = s.lastIndex(of: "/") { s = s[s.index(after: slash)...] }
        return s.isEmpty ? "/" : String(s)
    }

    /// Go's `path.Dir`.
    static func pathDir(_ p: String) -> String {
        guard let slash = p.lastIndex(of: "/") else { return "." }
        return pathClean(String(p[...slash]))
    }

    /// Go's `path.Ext`.
    static func pathExt(_ p: String) -> String {
        for i in p.indices.reversed() {
            if p[i] == "/" { break }
            if p[i] == "." { return String(p[i...]) }
        }
        return ""
    }
}
