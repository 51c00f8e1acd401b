import TetherModel
import TetherPatch

/// One rendering in progress: the counters behind the limits, and the
/// recursive walk over kustomizations.
struct Build {
    let renderer: Renderer
    private var expanded = 0
    /// Every `vars` entry seen so far (kustomize's merged var set).
    var declaredVars: [Variable] = []
    /// Transformer configuration from `crds` of this kustomization, its
    /// components and its bases (kustomize's accumulated config).
    var crdConfig = CRDConfig()
    /// The schema strategic merge patches use, and whether a kustomization
    /// has chosen it (kustomize's global `openapi.SetSchema`).
    var schema = SchemaChoice.builtin
    var schemaChosen = false
    /// Whether kustomize would have read its built-in schema before a
    /// custom one is set: an object of a kind the built-in schema does not
    /// know was loaded (kyaml's namespace-scope check then flags the
    /// built-in schema for parsing) or a kustomization with patches ran.
    /// kyaml then adds the custom definitions to the built-in ones instead
    /// of using them alone, as it does when the custom schema comes first.
    var builtinSchemaUsed = false
    /// The top kustomization's `buildMetadata`.
    var metadata = BuildMetadataOptions()
    /// Parsed kustomizations by directory: a base included many times is
    /// read and parsed once.
    private let cache = KustomizationCache()

    init(renderer: Renderer) { self.renderer = renderer }

    var fs: any FileSystem { renderer.fileSystem }

    static let fileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    /// Finds and parses the kustomization file in `dir`.
    func loadKustomization(_ dir: String, chain: [String]) throws -> (kustomization: Kustomization, file: String) {
        if let hit = cache.parsed[dir] { return hit }
        let loaded = try parseKustomization(dir)
        cache.parsed[dir] = loaded
        return loaded
    }

    private func parseKustomization(_ dir: String) throws -> (kustomization: Kustomization, file: String) {
        var found: [String] = []
        for name in Self.fileNames {
            let path = dir.isEmpty ? name : dir + "/" + name
            if try fs.kind(of: path) == .file { found.append(path) }
        }
        guard let file = found.first else {
            throw RenderError(
                .fileNotFound,
                "no kustomization file found (looked for 'kustomization.yaml', 'kustomization.yml' and 'Kustomization'). Add one.",
                file: RootedPath.display(dir))
        }
        guard found.count == 1 else {
            throw RenderError(
                .invalidKustomization, "found multiple kustomization files (\(found.map(RootedPath.baseName).joined(separator: ", "))). Keep only one.",
                file: RootedPath.display(dir))
        }
        let text = try readText(file)
        let documents: [YAMLDocument]
        do {
            // kustomize reads kustomization files with YAML 1.1 rules, where
            // unquoted yes/no/on/off/y/n are booleans (and so not strings),
            // and through go-yaml v2, where a repeated key's later value wins.
            documents = try YAMLDecoder(options: .init(recordPositions: true, yaml11Booleans: true, duplicateKeys: .lastWins))
                .decode(text, file: file)
        } catch {
            throw RenderError.wrapping(error)
        }
        // kustomize reads the first document and ignores the rest.
        guard let document = documents.first, !document.value.isNull else {
            throw RenderError(.invalidKustomization, "kustomization is empty. Add resources, generators or transformers.", file: file)
        }
        return (try KustomizationParser(file: file, document: document).parse(), file)
    }

    func readText(_ path: String) throws -> String {
        let bytes = try fs.read(path, maxBytes: renderer.limits.maxFileBytes)
        try EncryptedFile.refuse(bytes, path: path)
        cache.bytesRead += bytes.count
        guard cache.bytesRead <= renderer.limits.maxTotalBytes else {
            throw RenderError(
                .limitExceeded,
                "the files read add up to more than \(renderer.limits.maxTotalBytes) bytes (a large file included through many bases?). Include it fewer times.",
                file: path)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RenderError(.invalidResource, "file is not valid UTF-8. Save it as UTF-8.", file: path)
        }
        return text
    }

    /// Runs one kustomization (or component) over `objects`: its resources,
    /// components, generators and transformers.
    mutating func accumulate(
        _ dir: String, _ k: Kustomization, file: String, into objects: [RenderedObject], chain: [String]
    ) throws -> [RenderedObject] {
        expanded += 1
        guard expanded <= renderer.limits.maxKustomizations else {
            throw RenderError(
                .limitExceeded,
                "more than \(renderer.limits.maxKustomizations) kustomizations expanded (bases included many times over, as in a deep diamond). Reduce how often bases are repeated.",
                file: file)
        }
        guard chain.count <= renderer.limits.maxDepth else {
            throw RenderError(.limitExceeded, "kustomizations nest deeper than \(renderer.limits.maxDepth) levels. Flatten the bases.", file: file)
        }
        var objects = objects
        var ids: Set<ResourceID>?
        for entry in k.resources {
            try addResource(entry, dir: dir, file: file, chain: chain, to: &objects, ids: &ids)
        }
        for entry in k.configurations {
            let path = try filePath(entry, dir: dir, file: file, field: "configurations")
            crdConfig.merge(try CRDConfig.parseConfiguration(try readText(path), file: path))
        }
        for crd in k.crds {
            let path = try filePath(crd, dir: dir, file: file, field: "crds")
            crdConfig.merge(try CRDConfig.parse(try readText(path), file: path))
        }
        // kustomize v5.5 runs a kustomization's own generators before its
        // components, so a component's transformers (and merge generators)
        // see the generated objects.
        let generators = try plugins(k.generators, field: "generators", dir: dir, file: file, chain: chain)
        try TransformContext(build: self, dir: dir, file: file).generate(k, into: &objects)
        try inflateHelmCharts(k, dir: dir, file: file, into: &objects)
        try TransformContext(build: self, dir: dir, file: file).generate(generators, into: &objects)
        for entry in k.components {
            let sub = try subdirectory(entry, dir: dir, file: file, field: "components")
            try checkCycle(sub, chain: chain, file: file)
            let target = try loadKustomization(sub, chain: chain)
            try chooseSchema(target.kustomization, dir: sub, file: target.file)
            guard target.kustomization.kind == .component else {
                throw RenderError(
                    .invalidKustomization, "component '\(entry)' is a Kustomization, not a Component. Set kind: Component in \(target.file) or list it under resources.",
                    file: file)
            }
            objects = try accumulate(sub, target.kustomization, file: target.file, into: objects, chain: chain + [sub])
        }
        let transformers = try plugins(k.transformers, field: "transformers", dir: dir, file: file, chain: chain)
        let validators = try plugins(k.validators, field: "validators", dir: dir, file: file, chain: chain)
        let context = TransformContext(build: self, dir: dir, file: file)
        if !schemaChosen, !k.patches.isEmpty { builtinSchemaUsed = true }
        try context.transform(k, &objects)
        try context.transform(transformers, &objects)
        try context.validate(validators, objects)
        try Variables.tag(k.vars, in: &objects, declared: &declaredVars)
        guard objects.count <= renderer.limits.maxObjects else {
            throw RenderError(.limitExceeded, "more than \(renderer.limits.maxObjects) objects. Split the kustomization.", file: file)
        }
        return objects
    }

    /// kustomize's `openapi.SetSchema` as each kustomization loads: the
    /// first `openapi` field seen wins.
    mutating func chooseSchema(_ k: Kustomization, dir: String, file: String) throws {
        guard !schemaChosen, k.openAPIPath != nil || k.openAPIVersion != nil else { return }
        if let path = k.openAPIPath {
            guard k.openAPIVersion == nil else {
                throw RenderError(
                    .invalidKustomization, "openapi has both version and path (builtin version and custom schema provided, cannot use both). Keep one.",
                    file: file)
            }
            let resolved = try filePath(path, dir: dir, file: file, field: "openapi.path")
            schema = .custom(try CustomSchema(text: try readText(resolved), file: resolved, addedToBuiltin: builtinSchemaUsed))
        } else if let version = k.openAPIVersion {
            guard SchemaChoice.builtinVersions.contains(version) else {
                throw RenderError(
                    .invalidKustomization, "openapi.version '\(version)' is not built in (the specified OpenAPI version is not built in). Use \(SchemaChoice.builtinVersions.sorted().joined(separator: ", ")) or a schema file.",
                    file: file)
            }
            schema = .builtin
        }
        schemaChosen = true
    }

    private func checkCycle(_ sub: String, chain: [String], file: String) throws {
        if let start = chain.firstIndex(of: sub) {
            let cycle = (chain[start...] + [sub]).map(RootedPath.display).joined(separator: " -> ")
            throw RenderError(.cycle, "kustomizations include each other: \(cycle). Remove one of the references.", file: file)
        }
    }

    mutating func addResource(
        _ entry: String, dir: String, file: String, chain: [String], to objects: inout [RenderedObject], ids: inout Set<ResourceID>?
    ) throws {
        if Self.isRemote(entry) {
            throw RenderError(
                .remoteRefused, "resource '\(Self.redacted(entry))' is a remote URL; tether renders local files only. Vendor the base into the repository.",
                file: file)
        }
        guard !entry.hasPrefix("/"), let path = RootedPath.join(dir, entry) else {
            throw RenderError(
                .outsideRoot, "resource '\(entry)' is outside the root. Move it inside the repository and use a relative path.",
                file: file)
        }
        switch try fs.kind(of: path) {
        case .directory:
            try checkCycle(path, chain: chain, file: file)
            let target = try loadKustomization(path, chain: chain)
            try chooseSchema(target.kustomization, dir: path, file: target.file)
            guard target.kustomization.kind == .kustomization else {
                throw RenderError(
                    .invalidKustomization, "resource '\(entry)' is a Component. List it under components instead.", file: file)
            }
            let outer = crdConfig
            crdConfig = CRDConfig()
            let sub = try accumulate(path, target.kustomization, file: target.file, into: [], chain: chain + [path])
            let inner = crdConfig
            crdConfig = outer
            crdConfig.merge(inner)
            try Self.append(contentsOf: sub, to: &objects, ids: &ids, unique: true, file: file)
        case .file:
            guard RootedPath.isWithin(path, dir) else {
                throw RenderError(
                    .outsideRoot, "file '\(entry)' is not in or below '\(RootedPath.display(dir))'. Move it into the kustomization directory, or make its directory a base.",
                    file: file)
            }
            let text = try readText(path)
            let decoded: [Resource]
            do {
                decoded = try Resource.decodeStream(
                    text, file: path, decoder: YAMLDecoder(options: .init(annotationsAsText: true)), validation: .kustomize)
            } catch { throw RenderError.wrapping(error) }
            if !schemaChosen, !builtinSchemaUsed, decoded.contains(where: { PatchSchema.root(for: $0.value) == nil }) {
                builtinSchemaUsed = true
            }
            guard decoded.count + objects.count <= renderer.limits.maxObjects else {
                throw RenderError(.limitExceeded, "more than \(renderer.limits.maxObjects) objects. Split the input.", file: path)
            }
            try Self.append(contentsOf: decoded.map { RenderedObject($0) }, to: &objects, ids: &ids, unique: false, file: file)
        case nil:
            throw RenderError(.fileNotFound, "resource '\(entry)' does not exist. Fix the path or remove the entry.", file: file)
        }
    }

    /// Appends a generated object; an object with the same identity (no
    /// namespace counting as `default`, as kustomize's `IsNsEquals` does)
    /// is a conflict.
    static func append(_ object: RenderedObject, to objects: inout [RenderedObject], file: String) throws {
        let id = effective(object.id), name = object.resource.name
        if objects.contains(where: { $0.resource.name == name && effective($0.id) == id }) {
            throw RenderError(
                .conflict, "\(object.id) already exists (id exists; behavior must be merge or replace). Set behavior: merge or replace, or give it another name or namespace.",
                file: file)
        }
        objects.append(object)
    }

    /// The identity with no namespace read as `default`.
    static func effective(_ id: ResourceID) -> ResourceID {
        ResourceID(group: id.group, kind: id.kind, namespace: Namespaces.effective(id.namespace), name: id.name)
    }

    /// Appends many objects, checking identities against `ids` (the
    /// identities already in `objects`, built on first need and kept up to
    /// date), so adding 20,000 objects from many files stays linear. A
    /// kustomization's result (`unique`) added first needs no check at all.
    static func append(
        contentsOf new: [RenderedObject], to objects: inout [RenderedObject], ids: inout Set<ResourceID>?, unique: Bool, file: String
    ) throws {
        if objects.isEmpty && unique && ids == nil {
            objects = new
            return
        }
        var known = ids ?? Set(objects.map { effective($0.id) })
        defer { ids = known }
        objects.reserveCapacity(objects.count + new.count)
        for object in new {
            guard known.insert(effective(object.id)).inserted else {
                throw RenderError(
                    .conflict, "may not add resource with an already registered id: \(object.id). Give one of them another name or namespace.",
                    file: file)
            }
            objects.append(object)
        }
    }

    /// `entry` with the secret part of a URL's user information masked
    /// (`https://user:***@host/…`, a lone token `https://***@host/…`), for
    /// error messages.
    static func redacted(_ entry: String) -> String {
        URLUserinfo.masked(entry, showing: .userBeforePassword)
    }

    static func isRemote(_ entry: String) -> Bool {
        entry.contains("://") || entry.hasPrefix("git@") || entry.hasPrefix("github.com/") || entry.contains("?ref=")
    }

    func subdirectory(_ entry: String, dir: String, file: String, field: String) throws -> String {
        if Self.isRemote(entry) {
            throw RenderError(.remoteRefused, "\(field) entry '\(Self.redacted(entry))' is a remote URL; tether renders local files only. Vendor it into the repository.", file: file)
        }
        guard !entry.hasPrefix("/"), let path = RootedPath.join(dir, entry) else {
            throw RenderError(.outsideRoot, "\(field) entry '\(entry)' is outside the root. Use a relative path inside the repository.", file: file)
        }
        guard try fs.kind(of: path) == .directory else {
            throw RenderError(.fileNotFound, "\(field) entry '\(entry)' is not a directory. Fix the path.", file: file)
        }
        return path
    }

    /// Resolves a file a kustomization names, enforcing kustomize's load
    /// restriction: it must be in or below the kustomization's directory.
    func filePath(_ entry: String, dir: String, file: String, field: String) throws -> String {
        guard !entry.hasPrefix("/"), let path = RootedPath.join(dir, entry), RootedPath.isWithin(path, dir) else {
            throw RenderError(
                .outsideRoot, "\(field): file '\(entry)' is not in or below '\(RootedPath.display(dir))'. Move it into the kustomization directory.",
                file: file)
        }
        guard try fs.kind(of: path) == .file else {
            throw RenderError(.fileNotFound, "\(field): file '\(entry)' does not exist. Fix the path.", file: file)
        }
        return path
    }
}

/// The per-rendering memo of parsed kustomizations and expansion counts.
/// A class so that the value-typed ``Build`` copies handed to transformers
/// share it; a rendering runs on one thread.
final class KustomizationCache {
    var parsed: [String: (kustomization: Kustomization, file: String)] = [:]
    var expansions: [String: Int] = [:]
    /// Bytes read so far, every inclusion counted.
    var bytesRead = 0
}

extension Build {
    /// How many kustomizations rendering `dir` expands, counting a base once
    /// per inclusion, computed from the parsed files alone (memoised per
    /// directory) so a deep diamond is refused before any object is built.
    /// Problems (missing files, cycles) count as nothing here; the real
    /// pass reports them with their own message.
    func expansionCount(_ dir: String, chain: Set<String> = [], cap: Int) -> Int {
        if let known = cache.expansions[dir] { return known }
        guard !chain.contains(dir), let k = try? loadKustomization(dir, chain: []).kustomization else { return 1 }
        var total = 1
        let chain = chain.union([dir])
        for entry in k.resources + k.components where !Self.isRemote(entry) {
            guard let path = RootedPath.join(dir, entry), (try? fs.kind(of: path)) == .directory else { continue }
            total = min(cap, total + expansionCount(path, chain: chain, cap: cap))
        }
        cache.expansions[dir] = total
        return total
    }
}
