/// Removes credentials from text that may quote a URL (libgit2 messages, logs, errors).
package struct URLRedactor: Sendable {
    /// Substrings that must never appear in output, longest first.
    private let secrets: [String]

    /// A redactor that changes nothing (for messages that cannot contain a URL).
    package static let none = URLRedactor(secrets: [])

    /// Creates a redactor that masks each of `secrets` (empty strings are ignored).
    package init(secrets: [String]) {
        self.secrets = secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    /// Returns `text` with every secret replaced by `***`.
    package func redact(_ text: String) -> String {
        var result = text
        for secret in secrets { result = result.replacingOccurrences(of: secret, with: "***") }
        return result
    }
}

extension String {
    /// Plain substring replacement, so this file does not need Foundation.
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var output = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            output += rest[..<range.lowerBound]
            output += replacement
            rest = rest[range.upperBound...]
        }
        output += rest
        return output
    }
}

extension Substring {
    fileprivate func range(of target: String) -> Range<Substring.Index>? {
        guard let first = target.first else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index] == first, self[index...].hasPrefix(target) {
                return index..<self.index(index, offsetBy: target.count)
            }
            index = self.index(after: index)
        }
        return nil
    }
}
