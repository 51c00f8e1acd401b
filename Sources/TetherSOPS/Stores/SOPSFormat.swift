import TetherModel

/// The store a SOPS file uses, chosen from its extension as sops does.
package enum SOPSFormat: String, Sendable, CaseIterable {
    case yaml, json, dotenv, ini, binary

    /// `.yaml`/`.yml` → YAML, `.json` → JSON, `.env` → dotenv, `.ini` → INI, anything else binary.
    package init(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.split(separator: ".").count > 1 ? name.split(separator: ".").last.map { $0.lowercased() } ?? "" : ""
        switch ext {
        case "yaml", "yml": self = .yaml
        case "json": self = .json
        case "env": self = .dotenv
        case "ini": self = .ini
        default: self = .binary
        }
    }

    /// The documents of a YAML store, each of which must be a mapping: the one YAML reader
    /// for encrypted files and for plaintexts about to be encrypted.
    /// - Parameter rule: what the error says sops accepts, after "is not a mapping; ".
    /// - Throws: `SOPSError` (`.invalidFormat`) for YAML that does not parse or a document
    ///   that is not a mapping.
    static func yamlMappings(_ bytes: [UInt8], file: String, rule: String) throws(SOPSError) -> [OrderedMap] {
        let docs: [YAMLDocument]
        do { docs = try YAMLDecoder().decode(bytes: bytes, file: file) } catch {
            throw SOPSError(.invalidFormat, "not valid YAML", cause: error)
        }
        var maps: [OrderedMap] = []
        for doc in docs {
            guard let map = doc.value.mapValue else {
                throw SOPSError(.invalidFormat, "document \(doc.index + 1) is not a mapping; \(rule)")
            }
            maps.append(map)
        }
        return maps
    }
}

/// A SOPS file split into its data documents and its metadata, in the store's own order.
struct EncryptedTree: Sendable {
    var documents: [Value]
    var metadata: Value

    /// Parses a file of `format`.
    /// - Throws: `SOPSError` (`.notEncrypted`) when there is no sops metadata,
    ///   (`.invalidFormat`) when the store cannot be read.
    init(bytes: [UInt8], format: SOPSFormat, file: String) throws(SOPSError) {
        var documents: [Value] = []
        var metadata: Value?
        switch format {
        case .yaml:
            for var map in try SOPSFormat.yamlMappings(bytes, file: file, rule: "sops YAML files hold mappings") {
                if let m = map.removeValue(forKey: "sops"), metadata == nil { metadata = m }
                documents.append(.map(map))
            }
        case .json, .binary:
            var value: Value
            do { value = try JSONParsing().value(from: bytes) } catch {
                if format == .binary { throw SOPSError(.notEncrypted, "not a sops file: a binary-store file is JSON with 'data' and 'sops' keys") }
                throw SOPSError(.invalidFormat, "not valid JSON", cause: error)
            }
            guard var map = value.mapValue else { throw SOPSError(.invalidFormat, "the JSON document is not an object") }
            metadata = map.removeValue(forKey: "sops")
            if format == .binary {
                guard map.keys == ["data"], map["data"]?.stringValue != nil else {
                    throw SOPSError(.invalidFormat, "a binary-store file must hold exactly a 'data' string beside 'sops'")
                }
            }
            value = .map(map)
            documents = [value]
        case .dotenv:
            let (data, meta) = try DotenvStore.parse(bytes)
            documents = [.map(data)]
            metadata = meta
        case .ini:
            let (data, meta) = try INIStore.parse(bytes)
            documents = [.map(data)]
            metadata = meta
        }
        guard let metadata, !metadata.isNull else {
            throw SOPSError(.notEncrypted, "the file has no sops metadata, so it is not SOPS-encrypted")
        }
        self.documents = documents
        self.metadata = metadata
    }

    /// Whether `bytes` look like a SOPS file of `format`, without decrypting: a `sops`
    /// metadata mapping with `version` and `lastmodified` (a plain object that merely has a
    /// `sops` key is not one).
    static func isEncrypted(_ bytes: [UInt8], format: SOPSFormat) -> Bool {
        guard let tree = try? EncryptedTree(bytes: bytes, format: format, file: ""),
            let meta = tree.metadata.mapValue
        else { return false }
        return meta["version"] != nil && meta["lastmodified"] != nil
    }
}

extension SOPSFormat {
    /// The plaintext documents written back in this store's format, as `sops --decrypt` prints
    /// them: YAML and JSON keep key order, dotenv and INI one entry per line; binary the raw data.
    func emit(_ documents: [Value], binaryData: [UInt8]?) throws(SOPSError) -> [UInt8] {
        do {
            switch self {
            case .yaml:
                var encoder = YAMLEncoder()
                encoder.keepsKeyOrder = true
                return Array(try encoder.encode(documents: documents).utf8)
            case .json:
                return try JSONEncoding(pretty: true).bytes(documents.first ?? .map(OrderedMap())) + [0x0A]
            case .dotenv:
                return DotenvStore.emit(documents.first?.mapValue ?? OrderedMap())
            case .ini:
                return INIStore.emit(documents.first?.mapValue ?? OrderedMap())
            case .binary:
                return binaryData ?? []
            }
        } catch {
            throw SOPSError(.invalidFormat, "the decrypted data cannot be written as \(rawValue)", cause: error)
        }
    }
}
