import Foundation
import TetherModel

/// Small file helpers for configuration loading.
enum ConfigFiles {
    /// Reads a whole file.
    static func read(_ path: String, what: String) throws(KubeError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeError(.config, "cannot read \(what) file '\(path)'. Check that it exists and is readable.")
        }
        return [UInt8](data)
    }

    /// Checks a server URL and strips userinfo, which must never be printed.
    static func validatedServer(_ text: String, where location: String) throws(KubeError) -> String {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              scheme == "https" || scheme == "http", components.host?.isEmpty == false else {
            throw KubeError(.config, "\(location) '\(redactedURL(text))' is not an http(s) URL. Give it as https://host:port (http:// for a local emulator).")
        }
        return URLUserinfo.removed(trimmed)
    }

    /// A URL with userinfo, query and fragment removed, for messages. Text that is not a
    /// URL at all is shown as typed (so the user recognises it), less anything before an `@`.
    static func redactedURL(_ text: String) -> String {
        var plain = URLUserinfo.removed(text)
        if !plain.contains("://"), let at = plain.lastIndex(of: "@") { plain = "***" + plain[at...] }
        return String(plain[..<(plain.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? plain.endIndex)])
    }

    /// Resolves `path` against `directory` the way kubectl resolves paths inside a kubeconfig.
    static func resolve(_ path: String, relativeTo directory: String) -> String {
        if path.isEmpty || path.hasPrefix("/") || directory.isEmpty { return path }
        return (directory as NSString).appendingPathComponent(path)
    }
}
