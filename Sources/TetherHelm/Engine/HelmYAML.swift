import Foundation
import TetherModel
package import TetherTemplate

/// Helm's YAML, JSON and TOML functions (`pkg/engine/funcs.go`): `toYaml` is sigs.k8s.io/yaml's
/// `Marshal` (Go's JSON, then go-yaml: keys sorted, integral floats as integers, 80-column
/// folding, YAML 1.1 words quoted) with the final newline trimmed; `fromYaml` and `fromJson`
/// answer a map whose `Error` key holds the message instead of failing the template.
package enum HelmYAML {
    /// `toYaml`: the YAML text without its final newline; `""` when the value cannot be
    /// encoded (Helm swallows the error).
    package static func toYAML(_ value: TemplateValue) -> String {
        (try? encode(value)) ?? ""
    }

    /// `mustToYaml`/`toYamlPretty`'s strict form: the YAML text, or the encoder's error.
    static func encode(_ value: TemplateValue) throws -> String {
        var text = try YAMLEncoder().encode(modelValue(value))
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// A template value as the model value its JSON image reads back as.
    static func modelValue(_ value: TemplateValue) -> Value {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i, _): return .int(Int(i))
        case .uint(let u, _): return .uint(UInt(u))
        case .float(let d, _): return .float(d)
        case .complex: return .null
        case .string(let s): return .string(s)
        case .list(let items, .uint(.uint8)):
            return .string(Base64.encode(items.map { v -> UInt8 in if case .uint(let u, _) = v { return UInt8(truncatingIfNeeded: u) }; return 0 }))
        case .list(let items, _): return .list(items.map(modelValue))
        case .map(let entries, _):
            let keys = entries.sortedKeys
            return .map(OrderedMap(keys.map { ($0, modelValue(entries[$0]!)) }))
        case .object(let object):
            if let underlying = object.underlying { return modelValue(underlying) }
            return .map(OrderedMap())
        }
    }

    /// `fromYaml`: the document as a map (numbers float64), or `{"Error": message}`.
    static func fromYAML(_ text: String) -> TemplateValue {
        do {
            let value = try decode(text)
            switch value {
            case .map: return value
            case .null: return .map([:])
            default:
                return .map(["Error": .string("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(jsonKind(value)) into Go value of type map[string]interface {}")])
            }
        } catch {
            return .map(["Error": .string("error converting YAML to JSON: yaml: \(error)")])
        }
    }

    /// `fromYamlArray`: the document as a list, or `[message]`.
    static func fromYAMLArray(_ text: String) -> TemplateValue {
        do {
            let value = try decode(text)
            switch value {
            case .list: return value
            case .null: return .list([])
            default:
                return .list([.string("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal \(jsonKind(value)) into Go value of type []interface {}")])
            }
        } catch {
            return .list([.string("error converting YAML to JSON: yaml: \(error)")])
        }
    }

    /// `fromJson`: the object as a map, or `{"Error": message}`.
    static func fromJSON(_ text: String) -> TemplateValue {
        do {
            let value = SprigJSON.convert(try JSONParsing().value(from: text))
            if case .map = value { return value }
            if case .null = value { return .map([:]) }
            return .map(["Error": .string("json: cannot unmarshal \(jsonKind(value)) into Go value of type map[string]interface {}")])
        } catch {
            return .map(["Error": .string("\(error)")])
        }
    }

    /// `fromJsonArray`: the array as a list, or `[message]`.
    static func fromJSONArray(_ text: String) -> TemplateValue {
        do {
            let value = SprigJSON.convert(try JSONParsing().value(from: text))
            if case .list = value { return value }
            if case .null = value { return .list([]) }
            return .list([.string("json: cannot unmarshal \(jsonKind(value)) into Go value of type []interface {}")])
        } catch {
            return .list([.string("\(error)")])
        }
    }

    private static func decode(_ text: String) throws -> TemplateValue {
        let documents = try YAMLDecoder(options: .init(yaml11Booleans: true, duplicateKeys: .lastWins)).decode(text, file: "fromYaml")
        return HelmValues.templateValue(documents.first?.value ?? .null)
    }

    private static func jsonKind(_ value: TemplateValue) -> String {
        switch value {
        case .list: return "array"
        case .map: return "object"
        case .string: return "string"
        case .bool: return "bool"
        case .null: return "null"
        default: return "number"
        }
    }

    /// `toToml` (BurntSushi/toml's encoder): plain keys first, then `[table]` sections, each
    /// table's keys indented by two spaces; `""` on error.
    static func toTOML(_ value: TemplateValue) -> String {
        guard let map = value.mapValue else { return "" }
        var out = ""
        writeTable(map, path: [], into: &out)
        return out
    }

    private static func writeTable(_ map: [String: TemplateValue], path: [String], into out: inout String) {
        let keys = TemplateValue.sortedKeys(map)
        let indent = String(repeating: "  ", count: max(0, path.count))
        let isTable: (TemplateValue) -> Bool = { if case .map = $0 { return true }; return false }
        for key in keys where !isTable(map[key]!) {
            guard let text = tomlValue(map[key]!) else { continue }
            out += indent + tomlKey(key) + " = " + text + "\n"
        }
        for key in keys {
            guard case .map(let sub, _) = map[key]! else { continue }
            let subPath = path + [key]
            if !out.isEmpty { out += "\n" }
            out += String(repeating: "  ", count: path.count) + "[" + subPath.map(tomlKey).joined(separator: ".") + "]\n"
            writeTable(sub.entries, path: subPath, into: &out)
        }
    }

    private static func tomlKey(_ key: String) -> String {
        let bare = !key.isEmpty && key.unicodeScalars.allSatisfy { $0.properties.isAlphabetic && $0.isASCII || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
        return bare ? key : tomlString(key)
    }

    private static func tomlString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func tomlValue(_ value: TemplateValue) -> String? {
        switch value {
        case .null: return nil
        case .bool(let b): return b ? "true" : "false"
        case .int(let i, _): return String(i)
        case .uint(let u, _): return String(u)
        case .float(let d, _):
            if d.isNaN { return "nan" }
            if d.isInfinite { return d < 0 ? "-inf" : "inf" }
            let text = GoFormat.shortestFloat(d)
            return text.contains(".") || text.contains("e") ? text : text + ".0"
        case .string(let s): return tomlString(s)
        case .list(let items, _):
            return "[" + items.compactMap(tomlValue).joined(separator: ", ") + "]"
        case .map(let entries, _):
            let keys = entries.sortedKeys
            return "{" + keys.compactMap { k in tomlValue(entries[k]!).map { tomlKey(k) + " = " + $0 } }.joined(separator: ", ") + "}"
        default: return nil
        }
    }
}
