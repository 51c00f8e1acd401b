import TetherModel

/// sops' dotenv store: `KEY=VALUE` lines split at the first `=`, nothing trimmed or
/// unquoted, `#` lines are comments, `\n` in a value is a newline; metadata in `sops_…` lines.
enum DotenvStore {
    static let metadataPrefix = "sops_"

    /// Every `KEY=VALUE` line, in order, `sops_` keys included: the line number, the key
    /// and the value with `\n` read as a newline.
    /// - Throws: `SOPSError` (`.invalidFormat`) for a line without `=`, naming its number.
    static func entries(_ bytes: [UInt8]) throws(SOPSError) -> [(line: Int, key: String, value: String)] {
        var out: [(line: Int, key: String, value: String)] = []
        var lineNumber = 0
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw SOPSError(.invalidFormat, "line \(lineNumber) is not KEY=VALUE (no '=')")
            }
            out.append((lineNumber, String(line[..<eq]), String(line[line.index(after: eq)...]).replacingAll("\\n", with: "\n")))
        }
        return out
    }

    /// The data entries, in order, and the metadata rebuilt from the `sops_` lines.
    /// - Throws: `SOPSError` (`.invalidFormat`) for a line without `=` or a repeated key, naming its number.
    static func parse(_ bytes: [UInt8]) throws(SOPSError) -> (OrderedMap, Value?) {
        var data = OrderedMap()
        var meta: [(String, String)] = []
        for (lineNumber, key, value) in try entries(bytes) {
            if key.hasPrefix(metadataPrefix) {
                meta.append((String(key.dropFirst(metadataPrefix.count)), value))
            } else {
                guard data[key] == nil else { throw SOPSError(.invalidFormat, "line \(lineNumber) repeats the key '\(key)'") }
                data.append(key: key, value: .string(value))
            }
        }
        return (data, meta.isEmpty ? nil : try FlatMetadata.unflatten(meta))
    }

    /// `KEY=VALUE` lines with newlines written as `\n`.
    static func emit(_ map: OrderedMap, metadata: Value? = nil) -> [UInt8] {
        var out = ""
        for e in map.entries { out += e.key + "=" + (e.value.scalarText ?? "").replacingAll("\n", with: "\\n") + "\n" }
        if let metadata {
            for (k, v) in FlatMetadata.flatten(metadata) { out += metadataPrefix + k + "=" + v.replacingAll("\n", with: "\\n") + "\n" }
        }
        return Array(out.utf8)
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement`.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return components(separatedByString: target).joined(separator: replacement)
    }
}
