import ArgumentParser
import Foundation

/// The `tether` command: subcommands do the work; this type only lists them.
@main
struct Tether: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tether",
        abstract: "Keep Kubernetes clusters equal to a Git repository.",
        discussion: """
            Tether fetches a config repository, renders its kustomize overlays \
            byte-identically to `kubectl kustomize`, and (as the other commands land) \
            diffs, applies and prunes them on a cluster.
            """,
        version: TetherVersion.current,
        subcommands: [
            ValidateCommand.self,
            EmulatorCommand.self,
            RenderCommand.self,
            DecryptCommand.self,
            EncryptCommand.self,
            FetchCommand.self,
            DiffCommand.self,
            SyncCommand.self,
            RunCommand.self,
        ])

    /// Parses the command line, letting `--emulator` stand without an address.
    static func main() async {
        let arguments = ClusterOptions.normalisedArguments(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // Bad flags exit 2, as the README documents (ArgumentParser's default is 64);
            // help, --version and Tether's own exit codes pass through unchanged.
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(TetherExit.invalidInput.rawValue)
            }
            exit(withError: error)
        }
    }
}

/// The version printed by `--version` and used in User-Agent and ApplySet
/// tooling annotations.
enum TetherVersion {
    static let current = "0.1.0"
}
