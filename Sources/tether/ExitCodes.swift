import ArgumentParser
import Foundation
import TetherEmulator
import TetherGit
import TetherModel
import TetherRender

/// The exit codes Tether documents in the README:
/// 0 success (or in sync), 1 differences found (`diff`), 2 invalid input
/// (bad YAML, bad kustomization, bad flags), 3 source or cluster unreachable,
/// 4 apply or prune failed, 5 internal error.
enum TetherExit {
    static let differences = ExitCode(1)
    static let invalidInput = ExitCode(2)
    static let unreachable = ExitCode(3)
    static let applyFailed = ExitCode(4)
    static let internalError = ExitCode(5)
}

/// Prints an error to stderr the way every command does, and gives the exit
/// code for it.
func report(_ error: any Error) -> ExitCode {
    printError("error: \(error)")
    switch error {
    case is ModelError, is RenderError: return TetherExit.invalidInput
    case is EmulatorError: return TetherExit.unreachable
    case let error as GitError:
        switch error.code {
        case .invalidInput, .refNotFound, .signature: return TetherExit.invalidInput
        case .unreachable, .timeout, .authentication, .hostKey: return TetherExit.unreachable
        default: return TetherExit.internalError
        }
    default: return TetherExit.internalError
    }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
