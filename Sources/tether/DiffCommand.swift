import ArgumentParser
import Foundation
import Logging
import TetherEngine
import TetherGit

/// `tether diff`: what `tether sync --prune` would change, like `kubectl diff`.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what a sync would change: a unified diff per object, Secret values masked.",
        discussion: """
            Renders --path of --source and compares each object with the cluster (server-side \
            apply dry runs; objects the live state already matches need no request). Objects \
            that left the render are shown as prunes. SOPS-encrypted files are decrypted and \
            verified as `tether render` does (--age-key-file, --pgp-key-file, SOPS_AGE_KEY, \
            SOPS_AGE_KEY_FILE); decrypted values are masked like Secret data. Exit codes: 0 in sync, 1 differences, \
            2 invalid input, 3 source or cluster unreachable.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var git: GitOptions
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var reconcile: ReconcileOptions
    @OptionGroup var decryption: DecryptionOptions

    @Option(name: .long, help: ArgumentHelp("Output: text, json or markdown (for a pull-request comment).", valueName: "format"))
    var output: DiffOutput = .text

    @Option(name: .long, help: ArgumentHelp("Also write the plan to this file, for `tether sync --plan` (mode 0600, no Secret values).", valueName: "file"))
    var savePlan: String?

    @Option(name: .long, help: ArgumentHelp("Diff every target of this file in parallel (as `tether sync --config`), each under its name.", valueName: "file"))
    var config: String?

    enum DiffOutput: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    func validate() throws {
        if config != nil, savePlan != nil {
            throw ValidationError("--save-plan saves one target's plan; it cannot be combined with --config (diff that target with its --path and --name).")
        }
    }

    func run() async throws {
        let logger = global.bootstrapLogging()
        GitLibrary.initialize()
        if let config {
            let code: ExitCode
            do { code = try await diffTargets(config, logger: logger) } catch { throw report(error) }
            if code != .success { throw code }
            return
        }
        var session: ReconcileSession
        do {
            session = try await ReconcileSession.open(git: git, cluster: cluster, reconcile: reconcile, pruning: nil,
                                                      decrypter: try decryption.fileDecrypter(), logger: logger)
        } catch {
            throw report(error)
        }
        let changed: Bool
        do {
            let plan = try await session.plan(detail: .diff)
            let report = try PlanReport(plan: plan)
            let format: ReportFormat = switch output {
            case .text: .text
            case .json: .json
            case .markdown: .markdown
            }
            let colours = DiffFormat.forOutput(isTerminal: isatty(STDOUT_FILENO) != 0, environment: ProcessInfo.processInfo.environment)
            let refusal = DiffPruneWarning.refusal(plan, options: session.reconciler.options)
            FileHandle.standardOutput.write(Data(try DiffPruneWarning.rendered(report, format: format, colours: colours, refusal: refusal).utf8))
            if let savePlan {
                try SavedPlan(plan: plan, tetherVersion: TetherVersion.current, createdAt: Date()).write(to: savePlan)
                printError("plan saved to \(savePlan); apply it with: tether sync --plan \(savePlan) (same source and cluster flags)")
            }
            changed = plan.summary.hasChanges
        } catch {
            await session.close()
            throw report(error)
        }
        await session.close()
        if changed { throw TetherExit.differences }
    }
}
