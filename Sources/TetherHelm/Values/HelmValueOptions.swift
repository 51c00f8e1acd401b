import Foundation
import TetherModel
package import TetherTemplate

/// The user's values as `helm template`'s flags give them (Helm's `values.Options`), merged in
/// Helm's order: every `-f/--values` file in turn (later files win, maps merge key by key),
/// then every `--set-json`, `--set`, `--set-string`, `--set-file` and `--set-literal`, each
/// kind in its own order (not interleaved as on the command line, as Helm does).
package struct HelmValueOptions: Sendable {
    /// `-f/--values` files.
    package var valueFiles: [String] = []
    /// `--set` expressions.
    package var values: [String] = []
    /// `--set-string` expressions.
    package var stringValues: [String] = []
    /// `--set-file` expressions (each value a file name).
    package var fileValues: [String] = []
    /// `--set-json` expressions, or whole JSON objects.
    package var jsonValues: [String] = []
    /// `--set-literal` expressions.
    package var literalValues: [String] = []

    package init(
        valueFiles: [String] = [], values: [String] = [], stringValues: [String] = [], fileValues: [String] = [],
        jsonValues: [String] = [], literalValues: [String] = []
    ) {
        self.valueFiles = valueFiles
        self.values = values
        self.stringValues = stringValues
        self.fileValues = fileValues
        self.jsonValues = jsonValues
        self.literalValues = literalValues
    }

    /// Whether no flag gives any value.
    package var isEmpty: Bool {
        valueFiles.isEmpty && values.isEmpty && stringValues.isEmpty && fileValues.isEmpty && jsonValues.isEmpty && literalValues.isEmpty
    }

    /// Helm's `MergeValues`.
    /// - Parameter directory: the folder relative file names (values files and `--set-file`
    ///   values) are read from; the working directory when nil.
    /// - Returns: the merged user values, to be coalesced over the chart's own.
    /// - Throws: `HelmError` `.invalidValues` with Helm's wording (`failed parsing --set data: ...`).
    package func merged(directory: String? = nil) throws(HelmError) -> [String: TemplateValue] {
        @Sendable func path(_ name: String) -> String {
            guard let directory, !name.hasPrefix("/") else { return name }
            return directory + "/" + name
        }
        var base: [String: TemplateValue] = [:]
        for file in valueFiles {
            base = HelmValues.merged(base, with: try HelmValues.read(file: path(file)))
        }
        for expression in jsonValues {
            let trimmed = expression.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("{") {
                guard case .map(let object)? = try? JSONParsing().value(from: trimmed) else {
                    throw HelmError(.invalidValues, "failed parsing --set-json data JSON: the object is not valid JSON. Give a JSON object or key=JSON.")
                }
                base = HelmValues.merged(base, with: object.entries.reduce(into: [:]) { $0[$1.key] = HelmValues.templateValue($1.value) })
            } else {
                do {
                    try StrVals.parse(expression, into: &base, mode: .json)
                } catch {
                    throw HelmError(.invalidValues, "failed parsing --set-json data: \(error.message)")
                }
            }
        }
        try Self.parse(values, "--set", into: &base, mode: .typed)
        try Self.parse(stringValues, "--set-string", into: &base, mode: .string)
        let read: @Sendable (String) throws(HelmError) -> String = { name throws(HelmError) in
            String(decoding: try HelmValues.contents(of: path(name)), as: UTF8.self)
        }
        try Self.parse(fileValues, "--set-file", into: &base, mode: .file(read: read))
        try Self.parse(literalValues, "--set-literal", into: &base, mode: .literal)
        return base
    }

    private static func parse(_ expressions: [String], _ flag: String, into base: inout [String: TemplateValue], mode: StrVals.Mode) throws(HelmError) {
        for expression in expressions {
            do {
                try StrVals.parse(expression, into: &base, mode: mode)
            } catch {
                // the expression itself is not printed: it may hold a secret
                throw HelmError(.invalidValues, "failed parsing \(flag) data: \(error.message)")
            }
        }
    }
}
