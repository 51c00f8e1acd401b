import TetherModel

/// The stream `helm template` prints, assembled from rendered templates exactly as Helm v4 does
/// (pkg/action/action.go `renderResources`, pkg/release/v1/util/manifest_sorter.go, pkg/cmd/template.go).
///
/// Paths are sorted byte-wise; `NOTES.txt`, partials (`_*`) and whitespace-only texts are left out;
/// each text is split at lines starting with `---`; documents annotated `helm.sh/hook` become hooks
/// (dropped when an event is unknown); manifests and hooks are each stable-sorted by
/// ``InstallOrder`` and printed as `---\n# Source: PATH\nDOC\n`.
package struct ManifestStream: Sendable {
    /// What `helm template` was asked to include.
    package struct Options: Sendable {
        /// `--skip-tests`: leave out hooks whose events include `test`.
        package var skipTests = false
        /// Creates options; the defaults are `helm template`'s.
        package init(skipTests: Bool = false) { self.skipTests = skipTests }
    }

    /// One document of the release, with the template path it came from.
    package struct Document: Sendable, Equatable {
        /// The template path (`chart/templates/x.yaml`), printed in the `# Source:` line.
        package var path: String
        /// The document's text, leading whitespace trimmed.
        package var text: String
        /// The document's `kind` (empty when it has none).
        package var kind: String
        /// The hook events, lowercased; empty for a plain manifest.
        package var hookEvents: [String]
    }

    /// The plain manifests, in install order.
    package private(set) var manifests: [Document] = []
    /// The hooks, in install order.
    package private(set) var hooks: [Document] = []

    private static let knownHookEvents: Set<String> = [
        "pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade", "post-upgrade",
        "pre-rollback", "post-rollback", "test", "test-success",
    ]

    /// Splits and classifies rendered templates.
    /// - Parameter rendered: template path to rendered text, as the engine returns it (every template).
    /// - Throws: `HelmError` `.invalidManifest` when a document's head is not valid YAML.
    package init(rendered: [String: String]) throws(HelmError) {
        let paths = rendered.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for path in paths {
            guard let text = rendered[path], !path.hasSuffix("NOTES.txt") else { continue }
            let base = path.split(separator: "/").last.map(String.init) ?? path
            if base.hasPrefix("_") || text.allSatisfy(\.isWhitespace) { continue }
            for piece in Self.splitDocuments(text) {
                if let document = try Self.classify(piece, path: path) {
                    if document.hookEvents.isEmpty { manifests.append(document) } else { hooks.append(document) }
                }
            }
        }
        manifests = Self.sortedByKind(manifests)
        hooks = Self.sortedByKind(hooks)
    }

    /// The text `helm template` prints on stdout.
    /// - Parameters:
    ///   - crds: `(path, text)` of each CRD file from `crds/` folders, printed first (`--include-crds`).
    ///   - options: which hooks to print.
    /// - Returns: the manifest part trimmed of surrounding whitespace plus a newline, then each hook.
    package func text(crds: [(path: String, text: String)] = [], options: Options = Options()) -> String {
        var manifest = ""
        for crd in crds { manifest += "---\n# Source: \(crd.path)\n\(crd.text)\n" }
        for document in manifests { manifest += "---\n# Source: \(document.path)\n\(document.text)\n" }
        var out = Self.trimmed(manifest) + "\n"
        for hook in hooks where !(options.skipTests && hook.hookEvents.contains("test")) {
            out += "---\n# Source: \(hook.path)\n\(hook.text)\n"
        }
        return out
    }

    /// Go's `\s` (`[\t\n\f\r ]`), the whitespace of Helm's separator regexp.
    private static func isRegexSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0C || byte == 0x0D
    }

    /// Helm's split on `(?:^|\s*\n)---\s*` after trimming leading whitespace; whitespace-only
    /// pieces are dropped and each piece's leading whitespace is trimmed.
    static func splitDocuments(_ text: String) -> [String] {
        let bytes = Array(trimmedLeading(text).utf8)
        var pieces: [String] = []
        var start = 0  // start of the current piece
        var i = 0
        if bytes.starts(with: Array("---".utf8)) {
            i = 3
            while i < bytes.count, isRegexSpace(bytes[i]) { i += 1 }
            start = i
        }
        while i < bytes.count {
            guard isRegexSpace(bytes[i]) else { i += 1; continue }
            // A whitespace run: the leftmost match starts here if the run holds "\n---".
            var j = i
            var matchEnd: Int?
            while j < bytes.count, isRegexSpace(bytes[j]) {
                if bytes[j] == 0x0A, bytes[(j + 1)...].starts(with: Array("---".utf8)) {
                    var k = j + 4
                    while k < bytes.count, isRegexSpace(bytes[k]) { k += 1 }
                    matchEnd = k
                    break
                }
                j += 1
            }
            if let end = matchEnd {
                pieces.append(String(decoding: bytes[start..<i], as: UTF8.self))
                start = end
                i = end
            } else {
                i = j
            }
        }
        pieces.append(String(decoding: bytes[start..<bytes.count], as: UTF8.self))
        return pieces.filter { !$0.allSatisfy(\.isWhitespace) }.map(trimmedLeading)
    }

    private static func trimmedLeading(_ text: String) -> String {
        String(text.drop { $0.isWhitespace })
    }

    /// Go's `strings.TrimSpace`.
    private static func trimmed(_ text: String) -> String {
        var scalars = Substring(text)
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return trimmedLeading(String(scalars))
    }

    /// Reads a document's head; `nil` for a hook with an unknown event (Helm drops it silently).
    private static func classify(_ text: String, path: String) throws(HelmError) -> Document? {
        let head = try headValue(text, path: path)
        switch head {
        case .null, .map: break
        default:
            throw HelmError(.invalidManifest, "YAML parse error: the document is a \(head.typeDescription), not a mapping. Fix the template so each document is a Kubernetes object.", path: path)
        }
        let kind = head["kind"]?.scalarText ?? ""
        guard let hook = head["metadata"]?["annotations"]?["helm.sh/hook"]?.scalarText else {
            return Document(path: path, text: text, kind: kind, hookEvents: [])
        }
        var events: [String] = []
        for raw in hook.split(separator: ",", omittingEmptySubsequences: false) {
            let event = trimmed(String(raw)).lowercased()
            guard knownHookEvents.contains(event) else { return nil }
            events.append(event)
        }
        return Document(path: path, text: text, kind: kind, hookEvents: events)
    }

    /// The document parsed for its head. Helm reads heads with go-yaml v2, which accepts a
    /// duplicate mapping key (charts do render duplicate labels) and keeps the later value.
    /// Only `kind` and the hook annotation are used.
    private static func headValue(_ text: String, path: String) throws(HelmError) -> Value {
        let options = YAMLDecoder.Options(yaml11Booleans: true, duplicateKeys: .lastWins)
        do {
            return try YAMLDecoder(options: options).decode(text, file: path).first?.value ?? .null
        } catch {
            throw HelmError(.invalidManifest, "YAML parse error: \(error). Fix the template so it renders valid YAML.", path: path, cause: error)
        }
    }

    /// A stable sort by ``InstallOrder``.
    private static func sortedByKind(_ documents: [Document]) -> [Document] {
        documents.enumerated().sorted { a, b in
            if InstallOrder.isOrdered(a.element.kind, before: b.element.kind) { return true }
            if InstallOrder.isOrdered(b.element.kind, before: a.element.kind) { return false }
            return a.offset < b.offset
        }.map(\.element)
    }
}
