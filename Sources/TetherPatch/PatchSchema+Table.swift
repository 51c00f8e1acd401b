extension PatchSchema {
    /// Parses the generated table (format documented in
    /// `scripts/gen-patch-schema.py`). The table is generated and committed,
    /// so a malformed line is a programmer error and is skipped rather than
    /// reported.
    static func parse(_ text: String) -> Table {
        var table = Table()
        var current: String?
        var fields: [String: Node] = [:]
        func flush() {
            if let current { table.definitions[current] = fields }
            fields = [:]
        }
        for line in text.split(separator: "\n") {
            let cols = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            switch cols.first {
            case "D" where cols.count >= 2:
                flush()
                current = cols[1]
            case "F" where cols.count >= 8:
                var node = Node(
                    shape(of: Substring(cols[2])),
                    strategy: cols[3] == "-" ? [] : PatchStrategy(text: cols[3]),
                    mergeKey: optional(cols[4]),
                    listType: optional(cols[5]),
                    listMapKeys: cols[6] == "-" ? [] : cols[6].split(separator: ",").map(String.init),
                    mapType: optional(cols[7])
                )
                if node.elements == nil, node.mergeKey != nil { node.mergeKey = nil }
                fields[cols[1]] = node
            case "K" where cols.count >= 5:
                let gvk = GVK(group: cols[1] == "-" ? "" : cols[1], version: cols[2], kind: cols[3])
                if table.kinds[gvk] == nil { table.kinds[gvk] = cols[4] }
            default:
                break
            }
        }
        flush()
        return table
    }

    private static func optional(_ s: String) -> String? { s == "-" ? nil : s }

    private static func shape(of type: Substring) -> Node.Shape {
        if type.hasPrefix("@") { return .definition(String(type.dropFirst())) }
        if type.hasPrefix("["), type.hasSuffix("]") {
            return .list(Node(shape(of: type.dropFirst().dropLast())))
        }
        if type.hasPrefix("{"), type.hasSuffix("}") {
            return .map(Node(shape(of: type.dropFirst().dropLast())))
        }
        switch type {
        case "string", "integer", "number", "boolean": return .scalar(String(type))
        default: return .any
        }
    }
}
