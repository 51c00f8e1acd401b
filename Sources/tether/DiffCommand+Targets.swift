import ArgumentParser
import Foundation
import Logging
import TetherDaemon
import TetherEngine
import TetherModel

/// `tether diff --config FILE`: every target of a targets file, planned in parallel, each
/// shown in the chosen format under its name (a JSON document with a row per target).
extension DiffCommand {
    /// One target's plan, or why it could not be made.
    struct TargetDiff: Sendable {
        var name: String
        var revision: String?
        var report: PlanReport?
        /// What `sync --prune` would refuse (`DiffPruneWarning`).
        var refusal: String?
        var changed: Bool
        var error: String?
        var exitCode: Int32
    }

    /// - Returns: the worst exit code: 0 every target in sync, 1 differences, else the
    ///   worst error's code.
    func diffTargets(_ file: String, logger: Logger) async throws -> ExitCode {
        let targets = try TargetsFile.read(file).targets
        let command = self
        let rows = await TargetOptions.eachTarget(targets) { await command.diffTarget($0, logger: logger) }
        let colours = DiffFormat.forOutput(isTerminal: isatty(STDOUT_FILENO) != 0, environment: ProcessInfo.processInfo.environment)
        FileHandle.standardOutput.write(Data(try Self.targetsOutput(rows, format: output, colours: colours).utf8))
        let worst = rows.map(\.exitCode).max() ?? 0
        return worst == 0 ? .success : ExitCode(worst)
    }

    func diffTarget(_ target: TargetsFile.Target, logger: Logger) async -> TargetDiff {
        var logger = logger
        logger[metadataKey: "target"] = "\(target.name)"
        let options = TargetOptions(target, git: git, cluster: cluster, reconcile: reconcile)
        do {
            var session = try await ReconcileSession.open(git: options.git, cluster: options.cluster, reconcile: options.reconcile,
                                                          pruning: nil, decrypter: try TargetOptions.decrypter(target, decryption),
                                                          target: options.clusterSetBy, logger: logger)
            defer { Task { [session] in await session.close() } }
            let plan = try await session.plan(detail: .diff)
            let changed = plan.summary.hasChanges
            return TargetDiff(name: target.name, revision: plan.revision, report: try PlanReport(plan: plan),
                              refusal: DiffPruneWarning.refusal(plan, options: session.reconciler.options), changed: changed,
                              error: nil, exitCode: changed ? TetherExit.differences.rawValue : 0)
        } catch {
            printError("error: target \(target.name) (\(target.location)): \(error)")
            return TargetDiff(name: target.name, revision: nil, report: nil, refusal: nil, changed: false, error: "\(error)",
                              exitCode: tetherExitCode(for: error).rawValue)
        }
    }

    /// Text and markdown: each target's report under a heading naming it; JSON: one
    /// document, `{"targets": [{name, revision, changed, exitCode, report | error}]}`.
    static func targetsOutput(_ rows: [TargetDiff], format: DiffOutput, colours: DiffFormat) throws -> String {
        switch format {
        case .json:
            var items: [Value] = []
            for row in rows {
                var item = OrderedMap([("name", .string(row.name)), ("revision", row.revision.map(Value.string) ?? .null),
                                       ("changed", .bool(row.changed)), ("exitCode", .int(Int(row.exitCode)))])
                if let report = row.report {
                    item["report"] = try JSONParsing().value(from: DiffPruneWarning.rendered(report, format: .json, colours: colours, refusal: row.refusal))
                }
                if let error = row.error { item["error"] = .string(error) }
                items.append(.map(item))
            }
            return try JSONEncoding(pretty: true).string(["targets": .list(items)]) + "\n"
        case .text, .markdown:
            return try rows.map { row in
                let heading = format == .markdown ? "## Target `\(row.name)`\n\n" : "=== target \(row.name) ===\n"
                let body = try row.report.map {
                    try DiffPruneWarning.rendered($0, format: format == .markdown ? .markdown : .text, colours: colours, refusal: row.refusal)
                } ?? "error: \(row.error ?? "unknown")\n"
                return heading + body
            }.joined(separator: "\n")
        }
    }
}
