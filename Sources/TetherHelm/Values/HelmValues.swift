import Foundation
package import TetherModel
package import TetherTemplate

/// Values as Helm's templates see them: maps are `map[string]interface {}`, lists
/// `[]interface {}`, and every number is a `float64` (Helm reads YAML through JSON).
package enum HelmValues {
    /// Reads a values file (`values.yaml`, `-f FILE`) as Helm does: YAML 1.1 booleans (`yes` is
    /// true), numbers as float64, an empty file as an empty map.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - file: its path, for errors.
    /// - Returns: the top-level map.
    /// - Throws: `HelmError` `.invalidValues` when the text is not YAML or its top level is not a map.
    package static func parse(_ text: String, file: String) throws(HelmError) -> [String: TemplateValue] {
        let documents: [YAMLDocument]
        do {
            documents = try YAMLDecoder(options: .init(yaml11Booleans: true, duplicateKeys: .lastWins, scalarKeys: .stringified)).decode(text, file: file)
        } catch {
            throw HelmError(.invalidValues, "cannot read values: \(error). Fix the YAML.", path: file, cause: error)
        }
        switch documents.first?.value ?? .null {
        case .null: return [:]
        case .map(let map): return map.entries.reduce(into: [:]) { $0[$1.key] = templateValue($1.value) }
        case let other:
            throw HelmError(.invalidValues, "values must be a mapping, found a \(other.typeDescription). Put the values under keys.", path: file)
        }
    }

    /// Decrypts a values file that is encrypted at rest (SOPS, the helm-secrets pattern): the
    /// plaintext, or `nil` when the file is not encrypted. The executable supplies it (the one
    /// SOPS decryption path), so TetherHelm does not depend on a cryptography target.
    package typealias Decrypting = @Sendable (_ bytes: [UInt8], _ path: String) throws -> [UInt8]?

    /// Reads a values file given by the user (`-f FILE`, a kustomize `valuesFile`), decrypted
    /// first when `decrypting` finds it SOPS-encrypted; a file that is not encrypted is read as it is.
    /// - Parameters:
    ///   - bytes: the file as stored.
    ///   - file: its path, for the store (by extension) and for errors.
    ///   - decrypting: the decryption seam; `nil` reads every file as it is.
    /// - Returns: the top-level map.
    /// - Throws: `HelmError` `.invalidValues` when decryption fails (the cause names what failed,
    ///   never a value) or the plaintext is not a YAML mapping.
    package static func parseFile(_ bytes: [UInt8], file: String, decrypting: Decrypting?) throws(HelmError) -> [String: TemplateValue] {
        var plaintext = bytes
        if let decrypting {
            do {
                plaintext = try decrypting(bytes, file) ?? bytes
            } catch {
                throw HelmError(.invalidValues, "cannot decrypt this SOPS-encrypted values file: \(error)", path: file, cause: error)
            }
        }
        return try parse(String(decoding: plaintext, as: UTF8.self), file: file)
    }

    /// Reads and parses a values file given by the user (`-f FILE`, a kustomization's
    /// `valuesFile`): the one place such a file is read, so that a decrypting reader can hook in.
    /// - Throws: `HelmError` `.invalidValues` when it cannot be read or is no values file.
    /// - Parameter decrypting: the SOPS decryption seam (see `parseFile`); `nil` reads the file as it is.
    package static func read(file path: String, decrypting: Decrypting? = nil) throws(HelmError) -> [String: TemplateValue] {
        try parseFile(try contents(of: path), file: path, decrypting: decrypting)
    }

    /// The bytes of a file named on the command line (`-f`, `--set-file`); `-` is standard input.
    /// - Throws: `HelmError` `.invalidValues` naming the file when it cannot be read; a URL is
    ///   refused (Helm would download it).
    package static func contents(of path: String) throws(HelmError) -> [UInt8] {
        if path.hasPrefix("http://") || path.hasPrefix("https://") || path.hasPrefix("oci://") {
            throw HelmError(.invalidValues, "values from a URL are not fetched. Download the file and give its path.", path: path)
        }
        if path == "-" { return [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw HelmError(.invalidValues, exists ? "cannot read the file. Check its permissions." : "no such file. Check the path.", path: path)
        }
        return [UInt8](data)
    }

    /// A decoded YAML value as a template value, numbers as float64.
    package static func templateValue(_ value: Value) -> TemplateValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .float(Double(i))
        case .uint(let u): return .float(Double(u))
        case .float(let d): return .float(d)
        case .string(let s): return .string(s)
        case .list(let items): return .list(items.map(templateValue))
        case .map(let map): return .map(map.entries.reduce(into: [:]) { $0[$1.key] = templateValue($1.value) })
        }
    }

    /// Helm's `MergeValues` for several `-f` files and `--set` layers: `top` wins; nested maps merge
    /// key by key; a `null` in `top` is kept (so that coalescing later deletes the key).
    /// - Returns: the merged map.
    package static func merged(_ base: [String: TemplateValue], with top: [String: TemplateValue]) -> [String: TemplateValue] {
        var out = base
        for (key, value) in top {
            if case .map(let topMap, _) = value, case .map(let baseMap, _)? = out[key] {
                out[key] = .map(merged(baseMap.entries, with: topMap.entries))
            } else {
                out[key] = value
            }
        }
        return out
    }

    /// Helm's `coalesceValues`: user-supplied `values` over a chart's `defaults` at the top level.
    /// A key the user set to `null` that the chart defines is removed; nested maps coalesce with
    /// ``coalescedTables(_:over:)``; a `null` default is kept (templates see the key, valued nil).
    /// - Parameters:
    ///   - values: what the user supplied (files and `--set`, already merged).
    ///   - defaults: the chart's `values.yaml`.
    /// - Returns: the coalesced values.
    package static func coalesced(_ values: [String: TemplateValue], over defaults: [String: TemplateValue]) -> [String: TemplateValue] {
        var out = values
        for (key, defaultValue) in defaults {
            guard let userValue = values[key] else { out[key] = withoutNulls(defaultValue); continue }
            if userValue.isNull {
                out[key] = nil
            } else if case .map(let userMap, _) = userValue, case .map(let defaultMap, _) = defaultValue {
                out[key] = .map(coalescedTables(userMap.entries, over: defaultMap.entries))
            }
        }
        return out
    }

    /// Helm's `coalesceTablesFullKey`, below the top level: every user `null` at this level is
    /// removed (even for keys the chart lacks); otherwise as ``coalesced(_:over:)``.
    package static func coalescedTables(_ values: [String: TemplateValue], over defaults: [String: TemplateValue]) -> [String: TemplateValue] {
        var out = values
        for (key, value) in values where value.isNull { out[key] = nil }
        for (key, defaultValue) in defaults {
            guard let userValue = values[key] else { out[key] = withoutNulls(defaultValue); continue }
            if case .map(let userMap, _) = userValue, case .map(let defaultMap, _) = defaultValue {
                out[key] = .map(coalescedTables(userMap.entries, over: defaultMap.entries))
            }
        }
        return out
    }

    /// A chart default copied in whole: `null` entries of its maps are dropped, at every depth
    /// (Helm's rendered values never hold them: `a: {b: null}` renders as an empty, false `a`).
    static func withoutNulls(_ value: TemplateValue) -> TemplateValue {
        guard case .map(let entries, let type) = value else { return value }
        var out: [String: TemplateValue] = [:]
        for (key, item) in entries where !item.isNull { out[key] = withoutNulls(item) }
        return .map(out, type)
    }
}
