import Foundation
package import Prometheus

/// Renders a registry in the Prometheus text format (version 0.0.4) with `# HELP` lines
/// from `MetricName` and metric families in name order, so the output is stable.
package enum PrometheusExposition {
    /// The `Content-Type` of the text format.
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The exposition text of `registry`.
    package static func render(_ registry: PrometheusCollectorRegistry) -> String {
        let text = registry.emitToString()
        // Split into families: each starts at its `# HELP` or `# TYPE` line.
        var families: [(name: String, lines: [Substring])] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let name = String(line.dropFirst(7).prefix { $0 != " " })
                if families.last?.name != name { families.append((name, [])) }
            } else if families.isEmpty {
                families.append(("", []))
            }
            families[families.count - 1].lines.append(line)
        }
        var out = ""
        for family in families.sorted(by: { $0.name < $1.name }) {
            if let known = MetricName(rawValue: family.name), !family.lines.contains(where: { $0.hasPrefix("# HELP ") }) {
                out += "# HELP \(family.name) \(escapeHelp(known.help))\n"
            }
            for line in family.lines { out += line + "\n" }
        }
        return out
    }

    /// Escapes `\` and line breaks as the text format requires in HELP.
    static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}
