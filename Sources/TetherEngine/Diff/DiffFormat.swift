/// How diffs are printed: plain, or coloured for a terminal.
package struct DiffFormat: Sendable, Hashable {
    /// ANSI colours: `+` lines green, `-` lines red, `---`/`+++` headers bold and `@@`
    /// lines cyan.
    package var color: Bool

    /// - Parameter color: whether to write ANSI colour codes.
    package init(color: Bool = false) {
        self.color = color
    }

    /// The format for standard output: coloured when it is a terminal and `NO_COLOR` is
    /// unset or empty (https://no-color.org).
    /// - Parameters:
    ///   - isTerminal: whether standard output is a terminal (`isatty(1)`).
    ///   - environment: the process environment.
    package static func forOutput(isTerminal: Bool, environment: [String: String]) -> DiffFormat {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return DiffFormat(color: isTerminal && !noColor)
    }

    static let reset = "\u{1B}[0m"
    static let bold = "\u{1B}[1m"
    static let red = "\u{1B}[31m"
    static let green = "\u{1B}[32m"
    static let cyan = "\u{1B}[36m"

    /// Appends one line (without its newline) in `style`, then a newline.
    func append(_ text: some StringProtocol, style: String, to out: inout String) {
        if color {
            out += style
            out += text
            out += Self.reset
        } else {
            out += text
        }
        out += "\n"
    }
}

extension LineDiff {
    /// The diff in unified format, as `diff -u` prints it with the given file names
    /// (and no timestamps).
    /// - Parameters:
    ///   - oldName: the name after `--- `.
    ///   - newName: the name after `+++ `.
    ///   - format: plain or coloured.
    /// - Returns: the text, ending with a newline; empty when the texts are equal.
    package func unified(oldName: String, newName: String, format: DiffFormat = DiffFormat()) -> String {
        guard !hunks.isEmpty else { return "" }
        var out = ""
        format.append("--- " + oldName, style: DiffFormat.bold, to: &out)
        format.append("+++ " + newName, style: DiffFormat.bold, to: &out)
        appendHunks(to: &out, format: format)
        return out
    }

    /// Appends the hunks (from the first `@@` line on) to `out`.
    package func appendHunks(to out: inout String, format: DiffFormat = DiffFormat()) {
        for hunk in hunks {
            format.append(hunk.header, style: DiffFormat.cyan, to: &out)
            for line in hunk.lines {
                let (marker, text, style): (String, Substring, String)
                switch line {
                case .context(let t): (marker, text, style) = (" ", t, "")
                case .deleted(let t): (marker, text, style) = ("-", t, DiffFormat.red)
                case .inserted(let t): (marker, text, style) = ("+", t, DiffFormat.green)
                }
                let hasNewline = text.utf8.last == 0x0A
                if style.isEmpty || !format.color {
                    out += marker
                    out += text
                    if !hasNewline { out += "\n" }
                } else {
                    // Byte-wise: a "\r\n" ending is one Character, and only the "\n" goes.
                    let body = hasNewline ? String(decoding: text.utf8.dropLast(), as: UTF8.self) : String(text)
                    format.append(marker + body, style: style, to: &out)
                }
                if !hasNewline { out += "\\ No newline at end of file\n" }
            }
        }
    }
}
