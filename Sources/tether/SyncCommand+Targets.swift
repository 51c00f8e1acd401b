import ArgumentParser
import Foundation
import Logging
import TetherDaemon
import TetherEngine
import TetherGit
import TetherModel

/// `tether sync --config FILE`: every target of a targets file, in parallel, with a
/// row per target in the report.
extension SyncCommand {
    /// One target's outcome.
    struct TargetRow: Sendable {
        var name: String
        var revision: String?
        var report: SyncReport?
        /// With `--dry-run`: the plan, printed per target as `sync --dry-run` prints one.
        var plan: Plan?
        var error: String?
        var exitCode: Int32

        var succeeded: Bool { exitCode == 0 }
    }

    func syncTargets(_ file: String, logger: Logger) async throws -> ExitCode {
        let targets = try TargetsFile.read(file).targets
        let command = self
        // A target others depend on is waited on until its objects are ready ("synced and
        // healthy"), with or without --wait.
        let depended = Set(targets.flatMap(\.dependsOn))
        let rows = try await TargetOptions.inDependencyOrder(targets, succeeded: \.succeeded, skipped: { target, failed in
            let names = failed.map { "'\($0.0)'" }.joined(separator: ", ")
            return TargetRow(name: target.name, revision: nil, report: nil, plan: nil,
                             error: "not synced: depends on \(names), which did not succeed",
                             exitCode: failed.map(\.1.exitCode).max() ?? TetherExit.applyFailed.rawValue)
        }) { await command.syncTarget($0, waitReady: command.wait || depended.contains($0.name), logger: logger) }
        if output == .text {
            // --dry-run: each target's plan as `sync --dry-run` lists one, then the table.
            for row in rows { if let plan = row.plan { print("target \(row.name):\n" + PlanListing.text(plan, prune: pruning.prune) + "\n") } }
        }
        print(output == .json ? try Self.targetsJSON(rows) : Self.targetsTable(rows))
        let worst = rows.map(\.exitCode).max() ?? 0
        return worst == 0 ? .success : ExitCode(worst)
    }

    /// Syncs one target; errors become the row's error, never stop the others.
    /// - Parameter waitReady: wait (up to `--timeout`) until the applied objects are ready.
    func syncTarget(_ target: TargetsFile.Target, waitReady: Bool, logger: Logger) async -> TargetRow {
        var logger = logger
        logger[metadataKey: "target"] = "\(target.name)"
        let options = TargetOptions(target, git: git, cluster: cluster, reconcile: reconcile)
        do {
            let decrypter = try TargetOptions.decrypter(target, decryption)
            var session = try await ReconcileSession.open(git: options.git, cluster: options.cluster, reconcile: options.reconcile,
                                                          pruning: pruning, decrypter: decrypter, target: options.clusterSetBy, logger: logger)
            defer { Task { [session] in await session.close() } }
            let plan = try await session.plan(detail: dryRun ? .diff : .sync)
            if dryRun {
                return TargetRow(name: target.name, revision: plan.revision, report: nil, plan: plan, error: nil, exitCode: 0)
            }
            let outcome = try await session.execute(plan, waitTimeout: waitReady ? .seconds(timeout) : nil)
            let code: Int32 = outcome.result.pruneRefusal.map { tetherExitCode(for: $0).rawValue }
                ?? (outcome.succeeded ? 0 : TetherExit.applyFailed.rawValue)
            return TargetRow(name: target.name, revision: plan.revision, report: outcome.report, plan: nil,
                             error: outcome.waitError?.description, exitCode: code)
        } catch {
            printError("error: target \(target.name) (\(target.location)): \(error)")
            return TargetRow(name: target.name, revision: nil, report: nil, plan: nil, error: "\(error)", exitCode: tetherExitCode(for: error).rawValue)
        }
    }

    static func targetsTable(_ rows: [TargetRow]) -> String {
        var lines = [["TARGET", "REVISION", "RESULT", "SUMMARY"]]
        for row in rows {
            let result = row.succeeded ? (row.report == nil ? "planned" : "succeeded") : "failed"
            let summary = row.report?.summary.description ?? row.plan.map { "plan: \($0.summary)" } ?? (row.error.map { String($0.prefix(80)) } ?? "")
            lines.append([row.name, row.revision.map { String($0.prefix(12)) } ?? "-", result, summary])
        }
        let widths = (0..<3).map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { line in
            (0..<3).map { line[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + line[3]
        }.joined(separator: "\n")
    }

    static func targetsJSON(_ rows: [TargetRow]) throws -> String {
        var items: [Value] = []
        for row in rows {
            var item = OrderedMap([("name", .string(row.name)), ("revision", row.revision.map(Value.string) ?? .null),
                                   ("succeeded", .bool(row.succeeded)), ("exitCode", .int(Int(row.exitCode)))])
            if let report = row.report { item["report"] = try JSONParsing().value(from: report.json()) }
            if let plan = row.plan { item["plan"] = try JSONParsing().value(from: PlanReport(plan: plan).json()) }
            if let error = row.error { item["error"] = .string(error) }
            items.append(.map(item))
        }
        return try JSONEncoding(pretty: true).string(["targets": .list(items)])
    }
}
