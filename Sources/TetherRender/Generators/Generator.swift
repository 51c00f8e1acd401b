import TetherModel

/// `configMapGenerator` and `secretGenerator`: build ConfigMaps and Secrets
/// from literals, files and env files, then create, merge or replace.
extension TransformContext {
    func generate(_ k: Kustomization, into objects: inout [RenderedObject]) throws {
        let configMaps = PluginReference(file: file, kind: "ConfigMapGenerator"), secrets = PluginReference(file: file, kind: "SecretGenerator")
        for args in k.configMapGenerator { try generate(args, secret: false, global: k.generatorOptions, by: configMaps, into: &objects) }
        for args in k.secretGenerator { try generate(args, secret: true, global: k.generatorOptions, by: secrets, into: &objects) }
    }

    func generate(
        _ args: Kustomization.GeneratorArgs, secret: Bool, global: Kustomization.GeneratorOptions, by: PluginReference,
        into objects: inout [RenderedObject]
    ) throws {
        let kind = secret ? "Secret" : "ConfigMap"
        let pairs = try dataPairs(args, kind: kind)
        var data = OrderedMap(), binary = OrderedMap()
        for (key, bytes) in pairs {
            if secret {
                data[key] = .string(Self.base64Lines(bytes))
            } else if let text = String(validating: bytes, as: UTF8.self) {
                data[key] = .string(text)
            } else {
                binary[key] = .string(Self.base64Lines(bytes))
            }
        }
        // kustomize's MergeGlobalOptionsIntoLocal: local labels and
        // annotations win; a global `true` cannot be turned off locally.
        let labels = merged(global.labels, args.options.labels)
        let annotations = merged(global.annotations, args.options.annotations)
        let disableHash = (global.disableNameSuffixHash ?? false) || (args.options.disableNameSuffixHash ?? false)
        let immutable = (global.immutable ?? false) || (args.options.immutable ?? false)

        var metadata = OrderedMap()
        metadata["name"] = .string(args.name)
        if let ns = args.namespace, !ns.isEmpty { metadata["namespace"] = .string(ns) }
        if !labels.isEmpty { metadata["labels"] = .map(OrderedMap(labels.map { ($0.0, Value.string($0.1)) })) }
        if !annotations.isEmpty { metadata["annotations"] = .map(OrderedMap(annotations.map { ($0.0, Value.string($0.1)) })) }
        var value: Value = ["apiVersion": "v1", "kind": .string(kind), "metadata": .map(metadata)]
        // kustomize always writes a Secret's data map, even empty.
        if !data.isEmpty || secret { value["data"] = .map(data) }
        if !binary.isEmpty { value["binaryData"] = .map(binary) }
        if secret { value["type"] = .string(args.type.flatMap { $0.isEmpty ? nil : $0 } ?? "Opaque") }
        if immutable { value["immutable"] = .bool(true) }
        var object = RenderedObject(Resource(unchecked: value, origin: SourceLocation(file: file)))
        object.needsHash = !disableHash
        object.generatedBy = by

        guard args.behavior == .merge || args.behavior == .replace else {
            try Build.append(object, to: &objects, file: file)
            return
        }
        let existing = objects.indices.filter {
            objects[$0].resource.gvk.version == "v1" && objects[$0].resource.gvk.group.isEmpty
                && objects[$0].matchesAnyID(kind: kind, group: "", name: args.name, namespace: args.namespace ?? "")
        }
        guard let index = existing.first else {
            throw RenderError(
                .noMatch, "\(kind) '\(args.name)' has behavior \(args.behavior.rawValue) but no such \(kind) exists in the bases (cannot merge or replace). Use behavior create, or add the base.",
                file: file)
        }
        guard existing.count == 1 else {
            throw RenderError(
                .conflict, "\(kind) '\(args.name)' has behavior \(args.behavior.rawValue) and matches \(existing.count) objects. Set the generator's namespace.",
                file: file)
        }
        objects[index] = Self.combine(generated: object, into: objects[index], merge: args.behavior == .merge)
    }

    /// kustomize's `appendReplaceOrMerge`: the generated object takes the
    /// old one's place, with the old labels and annotations under its own,
    /// the old name and namespace, and for `merge` the old data under its own.
    static func combine(generated: RenderedObject, into old: RenderedObject, merge: Bool) -> RenderedObject {
        var result = old
        var value = generated.resource.value
        for field in ["labels", "annotations"] {
            var map = old.resource.value[path: ["metadata", field]]?.mapValue ?? OrderedMap()
            for e in value[path: ["metadata", field]]?.mapValue?.entries ?? [] { map[e.key] = e.value }
            value["metadata"]?[field] = map.isEmpty ? nil : .map(map)
        }
        value["metadata"]?["name"] = .string(old.resource.name)
        value["metadata"]?["namespace"] = old.resource.namespace.isEmpty ? nil : .string(old.resource.namespace)
        if merge {
            for field in ["data", "binaryData"] {
                var map = old.resource.value[field]?.mapValue ?? OrderedMap()
                for e in value[field]?.mapValue?.entries ?? [] { map[e.key] = e.value }
                let sorted = OrderedMap(map.entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, $0.value) })
                value[field] = map.isEmpty ? nil : .map(sorted)
            }
        }
        result.resource.value = value
        // Build annotations come from the old object: the hash survives only
        // when both asked for it.
        result.needsHash = old.needsHash && generated.needsHash
        // A replaced object's origin is the generator that replaced it.
        if !merge { result.generatedBy = generated.generatedBy }
        return result
    }

    /// kustomize's `encodeBase64`: lines of 70 characters, each ended by a
    /// newline, once the encoding is 70 characters or longer.
    static func base64Lines(_ bytes: [UInt8]) -> String {
        let encoded = Base64.encode(bytes)
        guard encoded.utf8.count >= 70 else { return encoded }
        var out = "", line = ""
        for c in encoded {
            line.append(c)
            if line.utf8.count == 70 { out += line + "\n"; line = "" }
        }
        if !line.isEmpty { out += line + "\n" }
        return out
    }

    private func merged(_ a: [(String, String)], _ b: [(String, String)]) -> [(String, String)] {
        var out = a
        for (k, v) in b {
            if let i = out.firstIndex(where: { $0.0 == k }) { out[i].1 = v } else { out.append((k, v)) }
        }
        return out
    }

    private func dataPairs(_ args: Kustomization.GeneratorArgs, kind: String) throws -> [(String, [UInt8])] {
        var pairs: [(String, [UInt8])] = []
        func add(_ key: String, _ bytes: [UInt8]) throws {
            if pairs.contains(where: { $0.0 == key }) {
                throw RenderError(
                    .invalidKustomization, "\(kind) '\(args.name)' repeats the key '\(key)'. Remove one of them.", file: file)
            }
            pairs.append((key, bytes))
        }
        for env in args.envs {
            let (path, text) = try readText(env, field: "envs")
            for (key, value) in try Self.envPairs(text, file: path) { try add(key, Array(value.utf8)) }
        }
        for literal in args.literals {
            guard let eq = literal.firstIndex(of: "=") else {
                throw RenderError(
                    .invalidKustomization, "\(kind) '\(args.name)': literal '\(literal)' has no '='. Write it as key=value.", file: file)
            }
            try add(String(literal[..<eq]), Array(Self.removeQuotes(String(literal[literal.index(after: eq)...])).utf8))
        }
        for entry in args.files {
            let key: String, source: String
            if let eq = entry.firstIndex(of: "=") {
                key = String(entry[..<eq])
                source = String(entry[entry.index(after: eq)...])
                guard !key.isEmpty, !source.isEmpty else {
                    throw RenderError(.invalidKustomization, "\(kind) '\(args.name)': file source '\(entry)' needs key=path. Fix it.", file: file)
                }
            } else {
                key = RootedPath.baseName(entry)
                source = entry
            }
            try add(key, try readBytes(source, field: "files").bytes)
        }
        return pairs
    }

    static func removeQuotes(_ s: String) -> String {
        guard s.count >= 2, let first = s.first, first == "\"" || first == "'", s.last == first else { return s }
        return String(s.dropFirst().dropLast())
    }

    /// Parses an env file as kustomize's `KeyValuesFromLines` does: lines
    /// split at `\n` (a trailing `\r` dropped), a byte-order mark dropped
    /// from the first, leading white space trimmed, blank lines and `#`
    /// comments skipped, the value everything after the first `=`.
    static func envPairs(_ text: String, file: String) throws -> [(String, String)] {
        var out: [(String, String)] = []
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        for (n, rawLine) in lines.enumerated() {
            var line = Substring(String(String.UnicodeScalarView(rawLine)))
            if n == lines.count - 1 && line.isEmpty { break }
            if line.unicodeScalars.last == "\r" { line = Substring(String(line.unicodeScalars.dropLast())) }
            if n == 0 && line.unicodeScalars.first == "\u{FEFF}" { line = Substring(String(line.unicodeScalars.dropFirst())) }
            let trimmed = Substring(String(line.unicodeScalars.drop { $0.properties.isWhitespace }))
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                // kustomize reads a bare KEY from the process environment; a
                // renderer must be reproducible, so Tether refuses it.
                throw RenderError(
                    .invalidKustomization, "line '\(trimmed)' has no '='. Write it as KEY=VALUE.",
                    at: SourceLocation(file: file, line: n + 1))
            }
            out.append((String(trimmed[..<eq]), String(trimmed[trimmed.index(after: eq)...])))
        }
        return out
    }
}
