import TetherModel

/// A plaintext file read into the documents sops encrypts, checked against what the output
/// store can hold and against what it reserves for its metadata.
enum PlaintextTree {
    /// The documents of a plaintext (non-binary) file.
    /// - Parameters:
    ///   - bytes: the plaintext.
    ///   - format: its store.
    ///   - output: the store the encrypted file is written in.
    ///   - file: the file name, for YAML errors.
    /// - Throws: `SOPSError` (`.invalidFormat`) when the plaintext is not its store, already
    ///   holds what the output store reads as sops metadata (as sops refuses: "file already
    ///   encrypted"), or cannot be written in the output store.
    static func documents(_ bytes: [UInt8], format: SOPSFormat, reservedFor output: SOPSFormat, file: String) throws(SOPSError) -> [Value] {
        var documents: [Value] = []
        switch format {
        case .yaml:
            documents = try SOPSFormat.yamlMappings(bytes, file: file, rule: "sops encrypts YAML mappings only").map(Value.map)
            guard !documents.isEmpty else { throw SOPSError(.invalidFormat, "the file holds no YAML document to encrypt") }
        case .json:
            let value: Value
            do { value = try JSONParsing().value(from: bytes) } catch {
                throw SOPSError(.invalidFormat, "not valid JSON", cause: error)
            }
            guard value.mapValue != nil else { throw SOPSError(.invalidFormat, "the JSON document is not an object; sops encrypts objects only") }
            documents = [value]
        case .dotenv:
            var map = OrderedMap()
            for (line, key, value) in try DotenvStore.entries(bytes) {
                guard map[key] == nil else { throw SOPSError(.invalidFormat, "line \(line) repeats the key '\(key)'") }
                map.append(key: key, value: .string(value))
            }
            documents = [.map(map)]
        case .ini:
            let (sections, meta) = try INIStore.parse(bytes)
            if let meta, !meta.isNull { throw alreadyEncrypted("it has a [sops] section") }  // parse gives .null for none
            documents = [.map(sections)]
        case .binary:
            throw SOPSError(.unsupported, "a binary file has no documents")
        }
        try checkReserved(documents, output: output)
        return try documents.map { (document) throws(SOPSError) in try shaped(document, for: output) }
    }

    /// sops' `HasSopsTopLevelKey` of the output store: a top-level `sops` key (YAML, JSON), a
    /// key starting with `sops_` (dotenv: exactly the lines its reader takes as metadata), a
    /// `sops` section (INI).
    private static func checkReserved(_ documents: [Value], output: SOPSFormat) throws(SOPSError) {
        for (index, document) in documents.enumerated() {
            let keys = document.mapValue?.keys ?? []
            switch output {
            case .yaml, .json, .ini:
                if keys.contains("sops") {
                    throw alreadyEncrypted(output == .ini ? "it has a [sops] section" : "document \(index + 1) has a top-level 'sops' key")
                }
            case .dotenv:
                if let key = keys.first(where: { $0.hasPrefix(DotenvStore.metadataPrefix) }) {
                    throw alreadyEncrypted(
                        "the key '\(key)' starts with '\(DotenvStore.metadataPrefix)', which the dotenv store reads as sops metadata. Rename the key")
                }
            case .binary:
                break
            }
        }
    }

    private static func alreadyEncrypted(_ why: String) -> SOPSError {
        SOPSError(.invalidFormat, "the file looks already encrypted: \(why). sops refuses such a file the same way.")
    }

    /// The document as the output store can hold it: dotenv wants one flat mapping of scalars,
    /// INI a mapping of sections of scalars; both store text, so scalars become their text
    /// (what the MAC then covers, as a decrypter reads it back).
    private static func shaped(_ document: Value, for output: SOPSFormat) throws(SOPSError) -> Value {
        switch output {
        case .yaml, .json, .binary:
            return document
        case .dotenv:
            return .map(try flatStrings(document.mapValue ?? OrderedMap(), what: "a dotenv file"))
        case .ini:
            var sections = OrderedMap()
            for section in document.mapValue?.entries ?? [] {
                guard let entries = section.value.mapValue else {
                    throw SOPSError(.invalidFormat, "'\(section.key)' is not a section (a mapping); an INI file holds sections of key = value")
                }
                sections.append(key: section.key, value: .map(try flatStrings(entries, what: "INI section '\(section.key)'")))
            }
            return .map(sections)
        }
    }

    private static func flatStrings(_ map: OrderedMap, what: String) throws(SOPSError) -> OrderedMap {
        var out = OrderedMap()
        for entry in map.entries {
            switch entry.value {
            case .map, .list:
                throw SOPSError(.invalidFormat, "the value of '\(entry.key)' is a \(entry.value.typeDescription), which \(what) cannot hold. Flatten it or choose --output-type yaml or json.")
            default:
                out.append(key: entry.key, value: .string(entry.value.scalarText ?? ""))
            }
        }
        return out
    }
}

extension SOPSFormat {
    /// The encrypted documents with their metadata in this store: YAML and JSON with a
    /// top-level `sops` key after the data (every YAML document carries it), dotenv with
    /// `sops_…` lines, INI with a `[sops]` section, binary as JSON `{"data": …, "sops": …}`.
    func emitEncrypted(_ documents: [Value], metadata: Value) throws(SOPSError) -> [UInt8] {
        func withMetadata(_ document: Value) -> Value {
            var map = document.mapValue ?? OrderedMap()
            map["sops"] = metadata
            return .map(map)
        }
        do {
            switch self {
            case .yaml:
                var encoder = YAMLEncoder()
                encoder.keepsKeyOrder = true
                return Array(try encoder.encode(documents: documents.map(withMetadata)).utf8)
            case .json, .binary:
                return try JSONEncoding(pretty: true).bytes(withMetadata(documents.first ?? .map(OrderedMap()))) + [0x0A]
            case .dotenv:
                return DotenvStore.emit(documents.first?.mapValue ?? OrderedMap(), metadata: metadata)
            case .ini:
                return INIStore.emit(documents.first?.mapValue ?? OrderedMap(), metadata: metadata)
            }
        } catch {
            throw SOPSError(.invalidFormat, "the encrypted data cannot be written as \(rawValue)", cause: error)
        }
    }
}
