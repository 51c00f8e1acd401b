import ArgumentParser
import Foundation
import Logging
import TetherDaemon
import TetherEngine
import TetherGit
import TetherModel
import TetherSOPS

/// `tether sync`: render the source and make the cluster match it.
struct SyncCommand: AsyncParsableCommand, PipelineCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Apply the rendered source to the cluster with server-side apply, and prune what left it.",
        discussion: """
            Renders --path of --source, plans (create / update / unchanged / prune), then \
            applies in dependency order with field manager 'tether'. With --prune, objects \
            applied earlier and no longer rendered are deleted, within the prune budget. \
            SOPS-encrypted files are decrypted and verified while rendering, as \
            `tether render` does (--age-key-file, --pgp-key-file, SOPS_AGE_KEY, \
            SOPS_AGE_KEY_FILE; a target's ageKeyFile and pgpKeyFile with --config). \
            The set is tracked by an ApplySet parent ConfigMap tether-NAME in \
            --parent-namespace. Exit codes: 0 done, 2 invalid input or refused \
            (a refused prune budget holds back only the deletions), 3 source or \
            cluster unreachable, 4 some objects failed, 130 interrupted (SIGINT or \
            SIGTERM: stopped after the objects in flight; run it again to finish).
            """)

    @OptionGroup var pipelineOptions: PipelineOptions

    @Flag(name: .long, help: "Print the plan without changing anything.")
    var dryRun = false

    @Flag(name: .long, help: "Wait until applied workloads, Jobs, CRDs and PVCs are ready.")
    var wait = false

    @Option(name: .long, help: ArgumentHelp("How long --wait waits (e.g. 90s, 5m; a bare number is seconds).", valueName: "duration"),
            transform: DurationFlag.wholeSeconds)
    var timeout = 300

    @Option(name: .long, help: ArgumentHelp("Output: text or json (json is quiet until the end, for CI).", valueName: "format"))
    var output: SyncOutput = .text

    @Option(name: .long, help: ArgumentHelp("Apply exactly a plan saved by `tether diff --save-plan`; refuse if anything moved since.", valueName: "file"))
    var plan: String?

    @Option(name: .long, help: ArgumentHelp("Sync every target of this file in parallel (name, source, ref, path, context or server each).", valueName: "file"))
    var config: String?

    enum SyncOutput: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        if timeout <= 0 { throw ValidationError("--timeout must be a positive number of seconds.") }
        if config != nil, plan != nil { throw ValidationError("--plan applies one saved plan; it cannot be combined with --config.") }
        if plan != nil, dryRun { throw ValidationError("--plan applies a saved plan; leave out --dry-run (use tether diff to look at it).") }
    }

    func run() async throws {
        let logger = global.bootstrapLogging()
        GitLibrary.initialize()
        if let config {
            let code: ExitCode
            do { code = try await syncTargets(config, logger: logger) } catch { throw report(error) }
            if code != .success { throw code }
            return
        }
        // The parsed flags are plain strings and numbers, only read from here on; the
        // sync runs in a child task so that SIGINT and SIGTERM can cancel it.
        let command = UncheckedCommand(value: self)
        let code = await Interruption.cancellingOnSignals { await command.value.syncReporting(logger: logger) }
        if code != .success { throw code }
    }

    /// Runs one sync and prints its outcome, whatever it is, in the chosen format: with
    /// `--output json`, standard output always holds one complete JSON document (the
    /// error, the stage it happened in and what was applied before it, when it stopped).
    /// - Returns: the exit code.
    func syncReporting(logger: Logger) async -> ExitCode {
        var session: ReconcileSession
        do {
            session = try await ReconcileSession.open(git: git, cluster: cluster, reconcile: reconcile, pruning: pruning,
                                                      decrypter: try decryption.fileDecrypter(), logger: logger)
        } catch {
            let stage = error is SOPSError || (error as? EngineError)?.code == .render ? "render" : "fetch"
            return failed(error, stage: stage, phases: [])
        }
        let plan: Plan
        do {
            plan = try await session.plan(detail: dryRun ? .diff : .sync)
        } catch {
            await session.close()
            return failed(error, stage: "plan", phases: session.phases)
        }
        let code: ExitCode
        do {
            code = try await sync(plan, session: session)
        } catch {
            await session.close()
            return failed(error, stage: "apply", phases: session.phases)
        }
        await session.close()
        return code
    }

    private func sync(_ plan: Plan, session: ReconcileSession) async throws -> ExitCode {
        if let file = self.plan {
            let saved = try SavedPlan.read(from: file)
            let problems = saved.problems(comparedWith: plan)
            guard problems.isEmpty else {
                throw EngineError(.planStale, "the saved plan \(file) no longer matches:\n  " + problems.joined(separator: "\n  "),
                                  hint: "Make a new plan with tether diff --save-plan, review it, and apply that.")
            }
        }
        let text = output == .text
        if text { FileHandle.standardOutput.write(Data((PlanListing.text(plan, prune: pruning.prune) + "\n").utf8)) }
        if dryRun {
            if !text { FileHandle.standardOutput.write(Data(try PlanReport(plan: plan).json().utf8)) }
            return .success
        }
        var progress: Reconciler.Progress?
        if text, isatty(STDERR_FILENO) != 0 {
            progress = { done, total in
                FileHandle.standardError.write(Data("\rapplying \(done)/\(total)".utf8))
                if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
            }
        }
        let outcome: ReconcilePipeline.Outcome
        do {
            outcome = try await session.execute(plan, waitTimeout: wait ? .seconds(timeout) : nil, progress: progress)
        } catch {
            if error.partial != nil { throw StoppedSync(error: error, plan: plan, prune: pruning.prune) }
            throw error
        }
        FileHandle.standardOutput.write(Data((text ? outcome.report.text() : outcome.report.json()).utf8))
        if let waitError = outcome.waitError { printError("error: \(waitError)") }
        // A refused prune budget is a refusal (2), after the creates and updates went in.
        if let refusal = outcome.result.pruneRefusal { return report(refusal) }
        return outcome.succeeded ? .success : TetherExit.applyFailed
    }

    /// Prints why the sync stopped and what it did before (a complete JSON document with
    /// `--output json`), and gives the exit code.
    private func failed(_ error: any Error, stage: String, phases: [SyncReport.Phase]) -> ExitCode {
        let stopped = error as? StoppedSync
        let cause: any Error = stopped?.error ?? error
        var summary = stopped?.error.partial.map { SyncReport($0, before: phases) }
            ?? SyncReport(revision: nil, phases: phases, duration: phases.reduce(.zero) { $0 + $1.duration })
        summary.error = "\(cause)"
        summary.stage = stopped?.stage ?? stage
        if output == .json {
            FileHandle.standardOutput.write(Data(summary.json().utf8))
        } else if let stopped {
            FileHandle.standardOutput.write(Data((summary.text() + stopped.notApplied() + "\n").utf8))
        }
        return report(cause)
    }
}
