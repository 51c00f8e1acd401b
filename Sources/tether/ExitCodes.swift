import ArgumentParser
import Foundation
import TetherEmulator
import TetherDaemon
import TetherEngine
import TetherGit
import TetherHelm
import TetherKube
import TetherModel
import TetherRender
import TetherSOPS

/// The exit codes Tether documents in the README:
/// 0 success (or in sync), 1 differences found (`diff`), 2 invalid input
/// (bad YAML, bad kustomization, bad flags), 3 source or cluster unreachable,
/// 4 apply or prune failed, 5 internal error, 130 interrupted (SIGINT or SIGTERM, or
/// the sync was cancelled: it stopped after the objects in flight, pruned nothing).
enum TetherExit {
    static let differences = ExitCode(1)
    static let invalidInput = ExitCode(2)
    static let unreachable = ExitCode(3)
    static let applyFailed = ExitCode(4)
    static let internalError = ExitCode(5)
    static let interrupted = ExitCode(130)
}

/// Prints an error to stderr the way every command does, and gives the exit
/// code for it.
func report(_ error: any Error) -> ExitCode {
    printError("error: \(error)")
    return tetherExitCode(for: error)
}

/// The documented exit code for an error.
func tetherExitCode(for error: any Error) -> ExitCode {
    switch error {
    case is ModelError, is RenderError, is SOPSError, is HelmError: return TetherExit.invalidInput
    case let error as EmulatorError:
        // A bad --tls directory, token file or state directory is the user's input to fix;
        // the rest (the address cannot be bound) leaves the emulator unreachable.
        return error.code == .configuration ? TetherExit.invalidInput : TetherExit.unreachable
    case let error as GitError:
        switch error.code {
        case .invalidInput, .refNotFound, .signature: return TetherExit.invalidInput
        case .unreachable, .timeout, .authentication, .hostKey: return TetherExit.unreachable
        default: return TetherExit.internalError
        }
    case let error as KubeError: return exitCode(for: error)
    case let error as ClusterConnectionError: return exitCode(for: error.failure)
    case let error as DaemonError where error.code == .listenFailed: return TetherExit.invalidInput
    case let error as EngineError:
        switch error.code {
        case .source: return error.cause.map(exitCode(forCause:)) ?? TetherExit.unreachable
        case .render, .inventoryMismatch, .emptyRender, .pruneBudget, .planStale, .invalidPlan, .invalidConfig:
            return TetherExit.invalidInput
        case .cluster: return (error.cause as? KubeError).map(exitCode(for:)) ?? TetherExit.unreachable
        case .cancelled: return TetherExit.interrupted
        default: return TetherExit.applyFailed
        }
    default: return TetherExit.internalError
    }
}

private func exitCode(forCause cause: any Error) -> ExitCode {
    if let error = cause as? GitError {
        switch error.code {
        case .invalidInput, .refNotFound, .signature: return TetherExit.invalidInput
        default: return TetherExit.unreachable
        }
    }
    return TetherExit.unreachable
}

/// Cluster errors: unreachable or not allowed in is 3, bad configuration 2, the rest 4.
private func exitCode(for error: KubeError) -> ExitCode {
    switch error.code {
    case .transport, .tls, .timeout, .unauthorized, .forbidden, .cancelled: return TetherExit.unreachable
    case .config: return TetherExit.invalidInput
    default: return TetherExit.applyFailed
    }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
