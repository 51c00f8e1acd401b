import TetherModel

/// sops' INI store (go-ini rules): `[section]` headers, `key = value` with both sides
/// trimmed, a value cut at an inline `;` or `#`, unquoted, or a `"""` multi-line value;
/// keys before the first section belong to `DEFAULT`; metadata in the `[sops]` section.
enum INIStore {
    static let defaultSection = "DEFAULT"

    /// Sections as a map of maps, in order, and the metadata rebuilt from `[sops]`.
    /// - Throws: `SOPSError` (`.invalidFormat`) for an unreadable line, naming its number.
    static func parse(_ bytes: [UInt8]) throws(SOPSError) -> (OrderedMap, Value?) {
        var sections = OrderedMap()
        var meta: [(String, String)] = []
        var current = defaultSection
        var entries = OrderedMap()
        func flush() {
            if current == "sops" {
                meta = entries.entries.map { ($0.key, ($0.value.stringValue ?? "").replacingAll("\\n", with: "\n")) }
            } else if !(current == defaultSection && entries.isEmpty) {
                sections[current] = .map(entries)
            }
            entries = OrderedMap()
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        var i = 0
        while i < lines.count {
            let line = lines[i].trimmingCharacters(inSet: [" ", "\t", "\r"])
            i += 1
            if line.isEmpty || line.hasPrefix(";") || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw SOPSError(.invalidFormat, "line \(i): a section header lacks ']'") }
                flush()
                current = String(line.dropFirst().dropLast()).trimmingCharacters(inSet: [" ", "\t"])
                continue
            }
            guard let eq = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw SOPSError(.invalidFormat, "line \(i) is neither a section, a comment nor key = value")
            }
            let key = line[..<eq].trimmingCharacters(inSet: [" ", "\t"])
            var value = line[line.index(after: eq)...].trimmingCharacters(inSet: [" ", "\t"])
            if value.hasPrefix("\"\"\"") {
                var text = String(value.dropFirst(3))
                while !text.hasSuffix("\"\"\"") {
                    guard i < lines.count else { throw SOPSError(.invalidFormat, "line \(i): a \"\"\" value is not closed") }
                    text += "\n" + String(lines[i]).replacingAll("\r", with: "")
                    i += 1
                }
                value = String(text.dropLast(3))
            } else if let q = value.first, q == "\"" || q == "'", value.count >= 2, value.last == q {
                value = String(value.dropFirst().dropLast())
            } else if let cut = value.firstIndex(where: { $0 == ";" || $0 == "#" }) {
                value = value[..<cut].trimmingCharacters(inSet: [" ", "\t"])
            }
            entries[key] = .string(value)
        }
        flush()
        return (sections, meta.isEmpty ? nil : try FlatMetadata.unflatten(meta))
    }

    /// `[section]` blocks of `key = value` lines.
    static func emit(_ sections: OrderedMap, metadata: Value? = nil) -> [UInt8] {
        var blocks: [String] = []
        for section in sections.entries {
            var block = section.key == defaultSection ? "" : "[\(section.key)]\n"
            for e in section.value.mapValue?.entries ?? [] { block += "\(e.key) = \(quoted(e.value.scalarText ?? ""))\n" }
            blocks.append(block)
        }
        if let metadata {
            var block = "[sops]\n"
            for (k, v) in FlatMetadata.flatten(metadata) { block += "\(k) = \(quoted(v.replacingAll("\n", with: "\\n")))\n" }
            blocks.append(block)
        }
        return Array(blocks.joined(separator: "\n").utf8)
    }

    private static func quoted(_ value: String) -> String {
        if value.contains("\n") { return "\"\"\"\(value)\"\"\"" }
        if value.contains(";") || value.contains("#") || value.first == " " || value.last == " " { return "\"\(value)\"" }
        return value
    }
}
