import Foundation
package import TetherModel
package import TetherEngine

/// `tether sync --config tether.yaml`: several targets synced in parallel, e.g. one per
/// cloud overlay.
///
/// ```yaml
/// targets:
/// - name: aws
///   path: overlays/aws
///   context: eks-prod           # kubeconfig context (or server: URL)
/// - name: gcp
///   source: https://git.example.com/platform/config.git
///   ref: main
///   path: overlays/gcp
///   server: https://gke.example.com
///   namespace: shop
///   ageKeyFile: keys/gcp.agekey # SOPS age identities for this target, besides --age-key-file
///   dependsOn: [aws]            # synced (and ready) only after these targets succeeded
/// ```
package struct TargetsFile: Sendable {
    package struct Target: Sendable, Hashable {
        /// The ApplySet name, and the row in the report.
        package var name: String
        /// Source directory or URL; the command's `--source` when absent.
        package var source: String?
        package var ref: String?
        package var path: String
        package var context: String?
        package var kubeconfig: String?
        package var server: String?
        package var namespace: String?
        /// An age identity file and a PGP secret key file for this target's SOPS-encrypted
        /// files, used besides the command's `--age-key-file`/`--pgp-key-file` and the sops
        /// environment (relative to the current directory, as `kubeconfig`).
        package var ageKeyFile: String?
        package var pgpKeyFile: String?
        /// Targets that must have synced, and become ready, before this one is synced.
        package var dependsOn: [String] = []
        /// Where the target is declared, for messages.
        package var location: SourceLocation
    }

    package var targets: [Target]
    /// The file's `notifications:` section (empty when it has none).
    package var notifications = NotificationConfig()

    static let fields: Set<String> = ["name", "source", "ref", "path", "context", "kubeconfig", "server", "namespace", "ageKeyFile", "pgpKeyFile",
                                      "dependsOn"]

    /// Reads and checks a targets file.
    /// - Throws: `EngineError` `invalidConfig` with `file:line:column` and what to fix.
    package static func read(_ path: String) throws(EngineError) -> TargetsFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw EngineError(.invalidConfig, "\(path): cannot read the targets file", hint: "Check the path given to --config.", cause: error)
        }
        return try parse(text, file: path)
    }

    package static func parse(_ text: String, file: String) throws(EngineError) -> TargetsFile {
        let documents: [YAMLDocument]
        do {
            documents = try YAMLDecoder(options: YAMLDecoder.Options(recordPositions: true)).decode(text, file: file)
        } catch {
            throw EngineError(.invalidConfig, "\(file): not valid YAML", cause: error)
        }
        guard documents.count == 1, let document = documents.first, case .map(let top) = document.value else {
            throw EngineError(.invalidConfig, "\(file): expected one YAML document with a 'targets' list",
                              hint: "Write targets: followed by a list of {name, path, context or server}.")
        }
        for key in top.keys where key != "targets" && key != "notifications" {
            throw EngineError(.invalidConfig, "\(document.location(of: "/" + key)): unknown field '\(key)'", hint: "Only 'targets' and 'notifications' are allowed at the top.")
        }
        guard case .list(let items)? = top["targets"], !items.isEmpty else {
            throw EngineError(.invalidConfig, "\(document.location): 'targets' must be a non-empty list")
        }
        var targets: [Target] = []
        var names = Set<String>()
        for (index, item) in items.enumerated() {
            let pointer = "/targets/\(index)"
            let location = document.location(of: pointer)
            guard case .map(let fields) = item else {
                throw EngineError(.invalidConfig, "\(location): each target must be a map with name and path")
            }
            let strings = try ConfigFields.strings(fields, allowed: Self.fields, structured: ["dependsOn"], at: pointer, in: document)
            var dependsOn: [String] = []
            if let value = fields["dependsOn"] {
                dependsOn = try dependencyNames(value, at: document.location(of: pointer + "/dependsOn"))
            }
            guard let name = strings["name"], let path = strings["path"] else {
                throw EngineError(.invalidConfig, "\(location): a target needs 'name' and 'path'")
            }
            guard names.insert(name).inserted else {
                throw EngineError(.invalidConfig, "\(location): target name '\(name)' is used twice", hint: "Names must be unique: each is its own ApplySet.")
            }
            if strings["server"] != nil, strings["context"] != nil || strings["kubeconfig"] != nil {
                throw EngineError(.invalidConfig, "\(location): target '\(name)' gives both server and a kubeconfig context", hint: "Use one of them.")
            }
            targets.append(Target(name: name, source: strings["source"], ref: strings["ref"], path: path, context: strings["context"],
                                  kubeconfig: strings["kubeconfig"], server: strings["server"], namespace: strings["namespace"],
                                  ageKeyFile: strings["ageKeyFile"], pgpKeyFile: strings["pgpKeyFile"], dependsOn: dependsOn,
                                  location: location))
        }
        try checkDependencies(targets)
        return TargetsFile(targets: targets, notifications: try NotificationConfig.parse(document))
    }

    /// `dependsOn: [a, b]` or `dependsOn: a`.
    private static func dependencyNames(_ value: Value, at location: SourceLocation) throws(EngineError) -> [String] {
        let items: [Value]
        if case .list(let list) = value { items = list } else { items = [value] }
        var names: [String] = []
        for item in items {
            guard let name = item.scalarText, !name.isEmpty else {
                throw EngineError(.invalidConfig, "\(location): 'dependsOn' must be a target name or a list of them")
            }
            names.append(name)
        }
        return names
    }

    /// Every `dependsOn` names another target of the file, and no target depends on itself
    /// through a chain.
    private static func checkDependencies(_ targets: [Target]) throws(EngineError) {
        let byName = Dictionary(uniqueKeysWithValues: targets.map { ($0.name, $0) })
        for target in targets {
            for name in target.dependsOn where byName[name] == nil || name == target.name {
                throw EngineError(.invalidConfig, "\(target.location): target '\(target.name)' depends on '\(name)', "
                                  + (name == target.name ? "itself" : "which is not a target of this file"),
                                  hint: "dependsOn names other targets: \(targets.map(\.name).filter { $0 != target.name }.joined(separator: ", ")).")
            }
        }
        _ = try waves(targets)
    }

    /// The targets in dependency order: each wave holds the targets whose dependencies are
    /// all in earlier waves (in file order within a wave).
    /// - Throws: `EngineError` `invalidConfig` naming the chain of a dependency cycle.
    package static func waves(_ targets: [Target]) throws(EngineError) -> [[Target]] {
        var done = Set<String>()
        var left = targets
        var waves: [[Target]] = []
        while !left.isEmpty {
            let ready = left.filter { $0.dependsOn.allSatisfy(done.contains) }
            guard !ready.isEmpty else {
                let cycle = Self.cycle(in: left)
                throw EngineError(.invalidConfig, "\(left[0].location): the targets' dependsOn form a cycle: \(cycle.joined(separator: " → "))",
                                  hint: "Remove one of these dependencies.")
            }
            waves.append(ready)
            done.formUnion(ready.map(\.name))
            left.removeAll { done.contains($0.name) }
        }
        return waves
    }

    /// One cycle among `targets` (each of which waits on another of them), as a chain of names.
    private static func cycle(in targets: [Target]) -> [String] {
        let byName = Dictionary(uniqueKeysWithValues: targets.map { ($0.name, $0) })
        var chain = [targets[0].name]
        while true {
            guard let next = byName[chain.last!]?.dependsOn.first(where: { byName[$0] != nil }) else { return chain }
            if let start = chain.firstIndex(of: next) { return Array(chain[start...]) + [next] }
            chain.append(next)
        }
    }
}
