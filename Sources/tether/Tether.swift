import ArgumentParser

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
            FetchCommand.self,
        ])
}

/// The version printed by `--version` and used in User-Agent and ApplySet
/// tooling annotations.
enum TetherVersion {
    static let current = "0.1.0"
}
