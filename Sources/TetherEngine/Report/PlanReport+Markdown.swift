import TetherModel

/// Options for the Markdown report.
package struct MarkdownOptions: Sendable, Hashable {
    /// The longest report, in characters. GitHub refuses comments over 65,536
    /// characters; diffs that do not fit are left out with a note saying how many.
    package var maxLength: Int

    package init(maxLength: Int = 60_000) {
        self.maxLength = maxLength
    }
}

extension PlanReport {
    /// The plan as Markdown for a pull-request comment: a heading with the summary, a
    /// table of counts, a table with a row per object that is not unchanged, then one
    /// collapsible `<details>` block per changed object holding its diff in a
    /// ```` ```diff ```` fence.
    /// - Parameter options: the size limit.
    package func markdown(options: MarkdownOptions = MarkdownOptions()) -> String {
        let summary = plan.summary
        var out = "### Tether plan: \(summary.description)\n\n"
        out += (plan.revision.map { "Revision \(Markdown.code($0)) · " } ?? "")
        out += "ApplySet \(Markdown.code(plan.applySet.id.description))\n\n"
        out += "| create | update | prune | unchanged | skipped |\n| ---: | ---: | ---: | ---: | ---: |\n"
        out += "| \(summary.create) | \(summary.update) | \(summary.prune) | \(summary.unchanged) | \(summary.skip) |\n\n"

        let shown = plan.entries.indices.filter { plan.entries[$0].action != .unchanged }
        guard !shown.isEmpty else {
            out += "No changes: the cluster matches the revision.\n"
            return out
        }
        out += "| object | action | note |\n| --- | --- | --- |\n"
        for index in shown {
            let entry = plan.entries[index]
            out += "| \(Markdown.cell(entry.id.description)) | \(entry.action.rawValue) | \(Markdown.cell(entry.reason ?? "")) |\n"
        }
        out += "\n"
        var omitted = 0
        for index in shown where !diffs[index].lines.isEmpty {
            let block = Self.detailsBlock(diffs[index])
            // Leave room for the omission note.
            if omitted > 0 || out.utf8.count + block.utf8.count + 200 > options.maxLength {
                omitted += 1
                continue
            }
            out += block
        }
        if omitted > 0 {
            out += "_The diffs of \(omitted) more object\(omitted == 1 ? "" : "s") are left out to keep this comment under GitHub's size limit; run `tether diff` to see them._\n"
        }
        return out
    }

    static func detailsBlock(_ diff: ObjectDiff) -> String {
        let body = diff.unified()
        let fence = String(repeating: "`", count: max(3, Markdown.longestBacktickRun(body) + 1))
        return "<details><summary>\(HTML.escape(diff.id.description)) — \(diff.action.rawValue)</summary>\n\n"
            + fence + "diff\n" + body + fence + "\n\n</details>\n\n"
    }
}

/// Escaping for the Markdown report.
enum Markdown {
    /// Text for a table cell: characters Markdown or HTML would interpret are escaped,
    /// and line breaks become spaces (a cell is one line).
    static func cell(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\n", "\r", "\r\n": out += " "
            case "|", "\\", "`", "*", "_", "[", "]", "~", "#": out += "\\" + String(character)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A code span that holds `text` whatever backticks it contains.
    static func code(_ text: String) -> String {
        let ticks = String(repeating: "`", count: longestBacktickRun(text) + 1)
        let pad = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return ticks + pad + text.replacingNewlines() + pad + ticks
    }

    static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0, run = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "`") {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        return longest
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        String(map { $0.isNewline ? " " : $0 })
    }
}
