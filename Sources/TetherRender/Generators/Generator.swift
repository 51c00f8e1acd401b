import TetherModel

/// `configMapGenerator` and `secretGenerator`: build ConfigMaps and Secrets
/// from literals, files and env files, then create, merge or replace.
extension TransformContext {
    func generate(_ k: Kustomization, into objects: inout [RenderedObject]) throws {
        for args in k.configMapGenerator { try generate(args, secret: false, global: k.generatorOptions, into: &objects) }
        for args in k.secretGenerator { try generate(args, secret: true, global: k.generatorOptions, into: &objects) }
    }

    private func generate(
        _ args: Kustomization.GeneratorArgs, secret: Bool, global: Kustomization.GeneratorOptions,
        into objects: inout [RenderedObject]
    ) throws {
        let kind = secret ? "Secret" : "ConfigMap"
        let pairs = try dataPairs(args, kind: kind)
        var data = OrderedMap(), binary = OrderedMap()
        for (key, bytes) in pairs {
            if secret {
                data[key] = .string(Base64.encode(bytes))
            } else if let text = String(validating: bytes, as: UTF8.self) {
                data[key] = .string(text)
            } else {
                binary[key] = .string(Base64.encode(bytes))
            }
        }
        let labels = merged(global.labels, args.options.labels)
        let annotations = merged(global.annotations, args.options.annotations)
        let disableHash = args.options.disableNameSuffixHash ?? global.disableNameSuffixHash ?? false
        let immutable = args.options.immutable ?? global.immutable

        var metadata = OrderedMap()
        metadata["name"] = .string(args.name)
        if let ns = args.namespace, !ns.isEmpty { metadata["namespace"] = .string(ns) }
        if !labels.isEmpty { metadata["labels"] = .map(OrderedMap(labels.map { ($0.0, Value.string($0.1)) })) }
        if !annotations.isEmpty { metadata["annotations"] = .map(OrderedMap(annotations.map { ($0.0, Value.string($0.1)) })) }
        var value: Value = ["apiVersion": "v1", "kind": .string(kind), "metadata": .map(metadata)]
        if !data.isEmpty { value["data"] = .map(data) }
        if !binary.isEmpty { value["binaryData"] = .map(binary) }
        if secret { value["type"] = .string(args.type ?? "Opaque") }
        if let immutable, immutable { value["immutable"] = .bool(true) }
        var object = RenderedObject(Resource(unchecked: value, origin: SourceLocation(file: file)))
        object.needsHash = !disableHash

        let existing = objects.indices.filter {
            objects[$0].matchesAnyID(kind: kind, group: "", name: args.name, namespace: args.namespace.flatMap { $0.isEmpty ? nil : $0 })
        }
        switch args.behavior {
        case .create:
            try Build.append(object, to: &objects, file: file)
        case .merge, .replace:
            guard let index = existing.first else {
                throw RenderError(
                    .noMatch, "\(kind) '\(args.name)' has behavior \(args.behavior.rawValue) but no such \(kind) exists in the bases. Use behavior create, or add the base.",
                    file: file)
            }
            var target = objects[index]
            var newValue = target.resource.value
            if args.behavior == .replace {
                newValue["data"] = value["data"]
                newValue["binaryData"] = value["binaryData"]
            } else {
                for field in ["data", "binaryData"] {
                    guard let add = value[field]?.mapValue else { continue }
                    var map = newValue[field]?.mapValue ?? OrderedMap()
                    for e in add.entries { map[e.key] = e.value }
                    newValue[field] = .map(map)
                }
            }
            for field in ["labels", "annotations"] {
                guard let add = value[path: ["metadata", field]]?.mapValue else { continue }
                var map = newValue[path: ["metadata", field]]?.mapValue ?? OrderedMap()
                for e in add.entries { map[e.key] = e.value }
                newValue["metadata"]?[field] = .map(map)
            }
            if secret, args.type != nil { newValue["type"] = value["type"] }
            if immutable != nil { newValue["immutable"] = value["immutable"] }
            target.resource.value = newValue
            target.needsHash = target.needsHash && !disableHash
            objects[index] = target
        }
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
            guard Self.isValidKey(key) else {
                throw RenderError(
                    .invalidKustomization, "\(kind) '\(args.name)': key '\(key)' is not a valid ConfigMap key (letters, digits, '-', '_', '.'). Rename it.",
                    file: file)
            }
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

    static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= 253
            && key.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "-_.".unicodeScalars.contains($0) }
    }

    static func removeQuotes(_ s: String) -> String {
        guard s.count >= 2, let first = s.first, first == "\"" || first == "'", s.last == first else { return s }
        return String(s.dropFirst().dropLast())
    }

    /// Parses an env file: `KEY=VALUE` lines; blank lines and `#` comments skipped.
    static func envPairs(_ text: String, file: String) throws -> [(String, String)] {
        var out: [(String, String)] = []
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        for (n, rawLine) in body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                // kustomize reads a bare KEY from the process environment; a
                // renderer must be reproducible, so Tether refuses it.
                throw RenderError(
                    .invalidKustomization, "line '\(trimmed)' has no '='. Write it as KEY=VALUE.",
                    at: SourceLocation(file: file, line: n + 1))
            }
            let key = String(trimmed[..<eq])
            guard !key.contains(where: { $0 == " " || $0 == "\t" }) else {
                throw RenderError(
                    .invalidKustomization, "key '\(key)' contains whitespace. Remove it.", at: SourceLocation(file: file, line: n + 1))
            }
            out.append((key, String(trimmed[trimmed.index(after: eq)...])))
        }
        return out
    }
}
