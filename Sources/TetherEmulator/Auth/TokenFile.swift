import Foundation

/// Bearer tokens in kube-apiserver's `--token-auth-file` format: one CSV
/// line per token, `token,user,uid,"group1,group2"` (groups optional).
struct TokenFile: Sendable {
    private(set) var users: [String: UserInfo] = [:]

    /// Reads and checks the file.
    ///
    /// - Throws: `EmulatorError` `.configuration` naming the file and line.
    init(path: String) throws(EmulatorError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "it is not readable" : "no such file"
            throw EmulatorError(.configuration, "\(path): cannot read the token file: \(reason); "
                                + "give a CSV file of token,user,uid[,\"group1,group2\"] lines, as kube-apiserver's --token-auth-file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EmulatorError(.configuration, "\(path): the token file is not UTF-8 text")
        }
        try self.init(text: text, path: path)
    }

    init(text: String, path: String) throws(EmulatorError) {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = Self.csvFields(trimmed)
            guard fields.count >= 3, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw EmulatorError(.configuration,
                    "\(path):\(index + 1): expected token,user,uid[,\"group1,group2\"]. Fix that line of the token file.")
            }
            let groups = fields.count > 3 ? fields[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
            guard users[fields[0]] == nil else {
                throw EmulatorError(.configuration, "\(path):\(index + 1): this token is already given to another user.")
            }
            users[fields[0]] = UserInfo(name: fields[1], uid: fields[2], groups: groups.filter { !$0.isEmpty })
        }
    }

    /// Splits one CSV line; double quotes enclose commas, `""` is a quote.
    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars = chars.dropFirst() } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(c)
            }
        }
        fields.append(field)
        return fields
    }
}
