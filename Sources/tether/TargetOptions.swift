import TetherDaemon
import TetherRender

/// The command's flags with one `tether.yaml` target's fields laid over them, for
/// `sync --config` and `diff --config` alike.
struct TargetOptions {
    var git: GitOptions
    var cluster: ClusterOptions
    var reconcile: ReconcileOptions
    /// The target, when it names its own cluster (`server`, `context` or `kubeconfig`), so
    /// that errors reaching it name those fields rather than the flags.
    var clusterSetBy: String?

    /// - Parameters: the command's option groups; the target's `source`, `ref`, `path`,
    ///   `server`/`context`/`kubeconfig` and `namespace` replace theirs, and its name names the set.
    init(_ target: TargetsFile.Target, git: GitOptions, cluster: ClusterOptions, reconcile: ReconcileOptions) {
        self.git = git
        if let source = target.source { self.git.source = source }
        if let ref = target.ref { self.git.ref = ref }
        self.cluster = cluster
        if target.server != nil || target.context != nil || target.kubeconfig != nil {
            self.cluster.server = target.server
            self.cluster.context = target.context
            self.cluster.kubeconfig = target.kubeconfig
            self.cluster.emulator = nil
            clusterSetBy = "target '\(target.name)' (\(target.location))"
        }
        if let namespace = target.namespace { self.cluster.namespace = namespace }
        self.reconcile = reconcile
        self.reconcile.path = target.path
        self.reconcile.name = target.name
    }

    /// The command's keys plus the target's `ageKeyFile` and `pgpKeyFile`.
    static func decrypter(_ target: TargetsFile.Target, _ decryption: DecryptionOptions) throws -> any FileDecrypting {
        try decryption.fileDecrypter(extraAgeKeyFiles: target.ageKeyFile.map { [$0] } ?? [],
                                     extraPGPKeyFiles: target.pgpKeyFile.map { [$0] } ?? [])
    }

    /// Runs `body` wave by wave in dependency order (`dependsOn`; the targets of one wave at
    /// once) and answers the rows in the file's order. A target one of whose dependencies
    /// did not succeed is not run: its row is `skipped(target, failed dependencies' rows)`.
    /// - Throws: `EngineError` `invalidConfig` for a dependency cycle (also refused when
    ///   the file is read).
    static func inDependencyOrder<Row: Sendable>(_ targets: [TargetsFile.Target], succeeded: (Row) -> Bool,
                                                 skipped: (TargetsFile.Target, [(String, Row)]) -> Row,
                                                 _ body: @escaping @Sendable (TargetsFile.Target) async -> Row) async throws -> [Row] {
        var results: [String: Row] = [:]
        for wave in try TargetsFile.waves(targets) {
            var runnable: [TargetsFile.Target] = []
            for target in wave {
                let failed = target.dependsOn.compactMap { name in results[name].flatMap { succeeded($0) ? nil : (name, $0) } }
                if failed.isEmpty { runnable.append(target) } else { results[target.name] = skipped(target, failed) }
            }
            for (target, row) in zip(runnable, await eachTarget(runnable, body)) { results[target.name] = row }
        }
        return targets.compactMap { results[$0.name] }
    }

    /// Runs `body` for every target at once and answers the rows in the file's order.
    static func eachTarget<Row: Sendable>(_ targets: [TargetsFile.Target],
                                          _ body: @escaping @Sendable (TargetsFile.Target) async -> Row) async -> [Row] {
        await withTaskGroup(of: (Int, Row).self) { group in
            for (index, target) in targets.enumerated() {
                group.addTask { (index, await body(target)) }
            }
            var rows = [Row?](repeating: nil, count: targets.count)
            for await (index, row) in group { rows[index] = row }
            return rows.compactMap { $0 }
        }
    }
}
